"""Typed once: each record form starts from what the case already states — the parties, the facts,
violation and basis of the investigation report, the proposed penalty and its 裁量 ground from the
latest record stating one, the decision for the 送达 and the fine for the 履行 — so the report's
figures reach the notice, the draft and the decision without being typed again."""

from __future__ import annotations

from typing import Any

from sanxiang.cases.context import PROPOSAL_RECORDS, CaseView
from sanxiang.cases.display import penalty_text
from sanxiang.cases.specs import Penalty

PENALTY_RECORDS = (
    "penalty_notice",
    "defence_review",
    "hearing_report",
    "decision_draft",
    "decision_document",
)
SERVICE_RECORDS = (
    "service_direct",
    "service_mail",
    "service_left",
    "service_entrusted",
    "service_public_notice",
)


def _basis(view: CaseView) -> str:
    for kind in ("decision_draft", "investigation_report", "simple_facts_record"):
        r = view.latest(kind)
        if r is not None and r.payload.get("basis"):
            return str(r.payload["basis"])
    return ""


def _matter_basis(view: CaseView) -> str:
    from sanxiang.catalog.models import EnforcementItem

    if not view.case.matter_ref:
        return ""
    item = EnforcementItem.objects.filter(public_id=view.case.matter_ref).first()
    return f"《{item.basis_law}》{item.basis_article}" if item else ""


def defaults(view: CaseView, kind: str, *, user=None) -> dict[str, Any]:
    """Field name -> the value the form starts with (a list for multiple choices, bool for checks)."""
    out: dict[str, Any] = {}
    report = view.latest("investigation_report")
    proposal_record = view.latest_with_penalty(PROPOSAL_RECORDS)
    parties = "、".join(p.name for p in view.parties)
    if kind == "investigation_report":
        out["violation"] = view.case.title.removesuffix("案")
        out["basis"] = _matter_basis(view)
    if kind in PENALTY_RECORDS and proposal_record is not None:
        p = proposal_record.payload
        for name in (
            "penalty_kinds",
            "fine_amount",
            "confiscation_amount",
            "discretion_ground",
            "discretion_reason",
        ):
            if p.get(name) not in (None, "", []):
                out[name] = p[name]
        penalty = Penalty.of(p)
        if penalty is not None:
            what = penalty_text(penalty)
            if kind == "penalty_notice":
                out["content"] = f"拟对{parties}作出{what}的行政处罚（依据：{_basis(view)}）"
            elif kind == "decision_document":
                out["content"] = f"对{parties}作出{what}的行政处罚"
    if kind in ("decision_document", "decision_draft") and report is not None:
        out.setdefault("violation", report.payload.get("violation") or view.case.title.removesuffix("案"))
    if kind == "decision_draft":
        out["basis"] = _basis(view)
        if user is not None:
            out["drafter"] = str(user)
    if kind == "decision_document":
        out.setdefault("violation", view.case.title.removesuffix("案"))
    if kind in SERVICE_RECORDS:
        decision = view.latest("decision_document", "licence_decision", "seizure_decision")
        out["recipient"] = parties
        if decision is not None:
            spec = view.defn.records().get(decision.kind)
            number = decision.payload.get("document_number", "")
            out["document"] = f"{spec.name if spec else ''} {number}".strip()
            out["content"] = f"向{parties}送达{out['document']}"
    if kind == "performance_record":
        decision = view.latest("decision_document", "on_spot_decision")
        if decision is not None and decision.payload.get("fine_amount"):
            out["amount_paid"] = decision.payload["fine_amount"]
    if kind == "closing_report":
        out["summary"] = f"{view.case.title}办理完毕"
    if kind == "archive_record":
        out["volumes"] = "1"
    return out
