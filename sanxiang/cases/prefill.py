"""Typed once: each record form starts from what the case already states — the parties, the facts,
violation and basis of the investigation report, the proposed penalty and its 裁量 ground from the
latest record stating one, the decision for the 送达 and the fine for the 履行 — so the report's
figures reach the notice, the draft and the decision without being typed again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
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


# Another app may offer a form's starting values, each with its origin (the assist app's drafted
# decision: ``?from=assist-draft``). The officer still edits and saves the record; the origins are shown
# beside the fields they filled, and the saved record keeps them (``CaseRecord.origins``): which value
# came from which origin and which ones the officer changed before saving.


@dataclass(frozen=True)
class Origin:
    """Where an offered value comes from, as a reviewer reads it (``text``), of one ``kind``:
    ``record`` (the case's own records and registration), ``rule`` (the rules registry, the
    行政执法事项清单 and its 裁量基准, a statute) or ``officer`` (what the officer typed elsewhere)."""

    text: str
    kind: str = "record"


ORIGIN_KINDS = {"record": "案件记录", "rule": "规则与清单", "officer": "承办人填写"}


@dataclass(frozen=True)
class Offer:
    """What a provider offered for one form: ``ref`` names the logged offer (the provider finds it
    again when the form is saved), ``fields``: name -> (value, origin)."""

    provider: str
    ref: str
    record_kind: str
    fields: dict[str, tuple[Any, Origin]]


@dataclass(frozen=True)
class Provider:
    offer: Callable[[CaseView, str, Mapping[str, str], Any], Offer | None]
    # the offer logged under ``ref`` for this case and user, or None (it is not theirs or not there)
    recall: Callable[[CaseView, str, Any], Offer | None]
    # the record saved from the offer, in the transaction that writes it (the provider logs the answer)
    taken: Callable[[Any, Offer, Any], None]


_providers: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _providers[name] = provider


def offered(view: CaseView, kind: str, params: Mapping[str, str], *, user=None) -> Offer | None:
    """What the provider named by ``params["from"]`` offers for the form (None without one)."""
    name = params.get("from", "")
    provider = _providers.get(name)
    if provider is None:
        return None
    return provider.offer(view, kind, params, user)


def recalled(view: CaseView, name: str, ref: str, *, user) -> Offer | None:
    """The offer a form was opened with (its provider and ``ref`` come back with the POST)."""
    provider = _providers.get(name)
    if provider is None or not ref:
        return None
    return provider.recall(view, ref, user)


def _same(offered: Any, saved: Any) -> bool:
    if isinstance(offered, list) or isinstance(saved, list):
        return sorted(map(str, offered or [])) == sorted(map(str, saved or []))
    a, b = (
        str(offered if offered is not None else "").strip(),
        str(saved if saved is not None else "").strip(),
    )
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except (InvalidOperation, ValueError):
        return False


def origins_of(offer: Offer, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The record's origins: for each offered field its origin, the value offered and whether the
    officer changed it before saving (the saved value is the record's own)."""
    fields = []
    for name, (value, origin) in offer.fields.items():
        fields.append(
            {
                "field": name,
                "origin": origin.text,
                "origin_kind": origin.kind,
                "offered": value,
                "changed": not _same(value, payload.get(name)),
            }
        )
    return {"from": offer.provider, "ref": offer.ref, "fields": fields}


def taken(offer: Offer, record: Any, actor: Any) -> None:
    provider = _providers.get(offer.provider)
    if provider is not None:
        provider.taken(record, offer, actor)
