"""Reads of the legal review, scoped: staff of the case's agency and of its legal office see its
reviews, supervisors their region's, administrators all; anyone else nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.errors import NotFound
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope
from sanxiang.review.models import (
    CHECKLIST,
    EXPLANATION,
    MATERIALS,
    REQUIRED_EXPLANATION,
    Assignment,
    Disagreement,
    Extension,
    Opinion,
    ReviewRound,
)
from sanxiang.workdays.services import count_working_days

ROUND_RELATED = ("review__case", "review__agency", "review__legal_office", "submitted_by")


def visible_rounds(user) -> QuerySet[ReviewRound]:
    qs = ReviewRound.objects.select_related(*ROUND_RELATED)
    scope = agency_scope(user)
    if scope is None:
        return qs
    ids = Agency.objects.filter(scope).values("pk")
    return qs.filter(Q(review__agency__in=ids) | Q(review__legal_office__in=ids))


def round_for(user, public_id) -> ReviewRound:
    r = visible_rounds(user).filter(public_id=public_id).first()
    if r is None:
        raise NotFound("review")
    return r


def registration_for(user, round_: ReviewRound, public_id):
    """A registration of the round's legal office's 名录库 that ``user`` may see (NotFound otherwise)."""
    from sanxiang.registry.selectors import visible_reviewers

    try:
        reg = (
            visible_reviewers(user)
            .filter(agency_id=round_.review.legal_office_id, public_id=public_id)
            .first()
        )
    except (TypeError, ValueError, ValidationError):
        reg = None
    if reg is None:
        raise NotFound("registration")
    return reg


def staffing_options(user, round_: ReviewRound, reviewer: Assignment | None) -> dict[str, Any]:
    """What the round page offers ``user`` for staffing an open round: reassignment (the head) and
    adding a legal adviser or 公职律师 (the head or the assigned reviewer), with the 名录库 entries to
    choose from. The services decide; this only fills the forms."""
    from sanxiang.registry.models import ReviewerRegistration
    from sanxiang.registry.selectors import visible_reviewers

    none = {"can_reassign": False, "can_add_adviser": False, "reviewers": [], "advisers": []}
    if not getattr(user, "is_authenticated", False) or round_.status not in ReviewRound.OPEN:
        return none
    is_head = user.has_role(Role.HEAD) and user.agency_id in (
        round_.review.agency_id,
        round_.review.legal_office_id,
    )
    is_reviewer = reviewer is not None and reviewer.user_id == user.pk
    if not (is_head or is_reviewer):
        return none
    on = today()
    regs = [
        r
        for r in visible_reviewers(user)
        .filter(agency_id=round_.review.legal_office_id)
        .order_by("name", "pk")
        if r.is_active_on(on)
    ]
    R = ReviewerRegistration.Role
    return {
        "can_reassign": is_head,
        "can_add_adviser": True,
        "reviewers": [
            r for r in regs if r.role == R.REVIEWER and (reviewer is None or r.pk != reviewer.registration_id)
        ],
        "advisers": [r for r in regs if r.role in (R.LEGAL_ADVISER, R.PUBLIC_LAWYER)],
    }


def extension_for(user, public_id) -> Extension:
    e = Extension.objects.select_related("round").filter(public_id=public_id).first()
    if e is None or not visible_rounds(user).filter(pk=e.round_id).exists():
        raise NotFound("extension")
    return e


def disagreement_for(user, public_id) -> Disagreement:
    d = Disagreement.objects.select_related("round").filter(public_id=public_id).first()
    if d is None or not visible_rounds(user).filter(pk=d.round_id).exists():
        raise NotFound("disagreement")
    return d


def today() -> dt.date:
    return timezone.localdate()


def is_overdue(r: ReviewRound, on: dt.date | None = None) -> bool:
    """第十一条: still under review after the due date (an opinion given late is overdue too)."""
    on = on or today()
    if r.status == ReviewRound.Status.REVIEWING:
        return on > r.due_date
    opinion = getattr(r, "opinion", None) if r.status != ReviewRound.Status.MATERIALS_REQUESTED else None
    return bool(opinion and opinion.overdue)


def deadline_state(r: ReviewRound, on: dt.date | None = None) -> str:
    """The round's 第十一条 period as a state of the procedures engine (``DEADLINE_STATE_LABELS``):
    running or overdue while under review, met or late once the opinion is given, else ''."""
    if r.status == ReviewRound.Status.REVIEWING:
        return "overdue" if (on or today()) > r.due_date else "running"
    opinion = getattr(r, "opinion", None) if r.status != ReviewRound.Status.MATERIALS_REQUESTED else None
    if opinion is None:
        return ""
    return "late" if opinion.overdue else "met"


def current_reviewer_ids(rounds: list[ReviewRound]) -> dict[int, Assignment]:
    latest: dict[int, Assignment] = {}
    for a in Assignment.objects.filter(
        round__in=[r.pk for r in rounds], role=Assignment.Role.REVIEWER
    ).order_by("round_id", "at", "pk"):
        latest[a.round_id] = a
    return latest


def queue(user) -> QuerySet[ReviewRound]:
    """The reviewer's open rounds (currently assigned to them), soonest due first."""
    if not getattr(user, "is_authenticated", False):
        return ReviewRound.objects.none()
    mine = [
        rid
        for rid, a in current_reviewer_ids(
            list(visible_rounds(user).filter(status__in=ReviewRound.OPEN))
        ).items()
        if a.user_id == user.pk
    ]
    return visible_rounds(user).filter(pk__in=mine).order_by("due_date", "pk")


def overdue_rounds(user) -> QuerySet[ReviewRound]:
    """Rounds past their 第十一条 due date and still under review: for heads and supervisors."""
    return (
        visible_rounds(user)
        .filter(status=ReviewRound.Status.REVIEWING, due_date__lt=today())
        .order_by("due_date", "pk")
    )


def pending_extensions(user) -> QuerySet[Extension]:
    """Extension requests awaiting the head of the user's agency (第十一条)."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.HEAD)):
        return Extension.objects.none()
    return (
        Extension.objects.filter(round__review__agency_id=user.agency_id, ruling__isnull=True)
        .select_related("round__review__case", "requested_by")
        .order_by("at", "pk")
    )


def pending_disagreements(user) -> QuerySet[Disagreement]:
    """Disagreements awaiting the head (第十二条), with both opinions."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.HEAD)):
        return Disagreement.objects.none()
    return (
        Disagreement.objects.filter(round__review__agency_id=user.agency_id, ruling__isnull=True)
        .select_related("round__review__case", "round__opinion", "raised_by")
        .order_by("at", "pk")
    )


@dataclass
class AgencyStats:
    agency: Agency
    count: int
    concluded: int
    passed: int
    pass_rate: float | None
    average_working_days: float | None
    overdue: int
    open: int


def statistics(user, *, year: int | None = None) -> list[AgencyStats]:
    """Per agency: rounds submitted, pass rate (first opinions that approve), average working days
    from the complete submission to the opinion, and overdue rounds (第十一条)."""
    on = today()
    rounds = visible_rounds(user).select_related("opinion")
    if year:
        rounds = rounds.filter(submitted_at__year=year)
    by_agency: dict[int, list[ReviewRound]] = {}
    agencies: dict[int, Agency] = {}
    for r in rounds:
        by_agency.setdefault(r.review.agency_id, []).append(r)
        agencies[r.review.agency_id] = r.review.agency
    out = []
    for aid, rows in sorted(by_agency.items(), key=lambda kv: agencies[kv[0]].name):
        opinions = [r.opinion for r in rows if hasattr(r, "opinion")]
        passed = sum(1 for o in opinions if o.outcome == "approve")
        days = [
            count_working_days(
                timezone.localdate(o.round.complete_at or o.round.submitted_at), timezone.localdate(o.at)
            )
            for o in opinions
        ]
        out.append(
            AgencyStats(
                agency=agencies[aid],
                count=len(rows),
                concluded=len(opinions),
                passed=passed,
                pass_rate=round(passed / len(opinions), 3) if opinions else None,
                average_working_days=round(sum(days) / len(days), 1) if days else None,
                overdue=sum(1 for r in rows if is_overdue(r, on)),
                open=sum(1 for r in rows if r.status in ReviewRound.OPEN),
            )
        )
    return out


def round_detail(r: ReviewRound) -> dict[str, Any]:
    """Everything about one round, for the API and the pages."""
    from sanxiang.review.services import checklist_state

    state = checklist_state(r)
    assignments = list(r.assignments.select_related("registration").order_by("at", "pk"))
    opinion = Opinion.objects.filter(round=r).first()
    ext = Extension.objects.filter(round=r).select_related("ruling").first()
    dis = Disagreement.objects.filter(round=r).select_related("ruling").first()
    discussion = getattr(r, "discussion", None) if hasattr(r, "discussion") else None
    requests = list(r.material_requests.select_related("supplement").order_by("at", "pk"))
    from sanxiang.review.services import review_extension_rule, review_period_rule
    from sanxiang.rules.selectors import UnknownRule, rule_of_version

    try:
        period_rule = rule_of_version(r.rule_version) if r.rule_version else None
    except UnknownRule:
        period_rule = None
    today = timezone.localdate()
    return {
        "round": r,
        "period_rule": period_rule or review_period_rule(r, r.start_date or today),
        "extension_rule": review_extension_rule(r, today),
        "checklist": [
            {
                "item": key,
                "label": label,
                "source": source,
                "passed": state[key].passed if key in state else None,
                "note": state[key].note if key in state else "",
                "at": state[key].at if key in state else None,
            }
            for key, label, source in CHECKLIST
        ],
        "assignments": assignments,
        "reviewer": next((a for a in reversed(assignments) if a.role == Assignment.Role.REVIEWER), None),
        "opinion": opinion,
        "extension": ext,
        "extension_ruling": getattr(ext, "ruling", None) if ext and hasattr(ext, "ruling") else None,
        "disagreement": dis,
        "disagreement_ruling": getattr(dis, "ruling", None) if dis and hasattr(dis, "ruling") else None,
        "discussion": discussion,
        "material_requests": requests,
        "overdue": is_overdue(r),
        "deadline_state": deadline_state(r),
        "explanation": [
            {"key": k, "label": label, "source": s, "text": r.explanation.get(k, "")}
            for k, label, s in EXPLANATION
        ],
        "material_labels": {k: label for k, label, _s in MATERIALS},
    }


def rounds_of_case(user, case_public_id) -> list[ReviewRound]:
    """Every round of a case, in order, for side-by-side comparison."""
    rows = list(visible_rounds(user).filter(review__case__public_id=case_public_id).order_by("number"))
    if not rows:
        raise NotFound("case")
    return rows


def compare(rounds: list[ReviewRound]) -> list[dict[str, Any]]:
    """Rows (proposal, each explanation item, each checklist item, the opinion) × rounds."""
    from sanxiang.review.services import checklist_state

    states = [checklist_state(r) for r in rounds]
    opinions = {o.round_id: o for o in Opinion.objects.filter(round__in=rounds)}
    rows: list[dict[str, Any]] = [
        {"label": "处理建议", "values": [r.proposal.get("description", "") for r in rounds]},
    ]
    for key, label, _s in EXPLANATION:
        rows.append({"label": label, "values": [r.explanation.get(key, "") for r in rounds]})
    for key, label, _s in CHECKLIST:
        rows.append(
            {
                "label": label,
                "values": [
                    ("通过" if s[key].passed else "未通过") + f"：{s[key].note}" if key in s else ""
                    for s in states
                ],
            }
        )
    rows.append(
        {
            "label": "审核意见",
            "values": [
                f"{opinions[r.pk].get_outcome_display()}：{opinions[r.pk].reasons}"
                if r.pk in opinions
                else ""
                for r in rounds
            ],
        }
    )
    for row in rows:
        row["differs"] = len(set(row["values"])) > 1
    return rows


def work_items(user) -> list[tuple[str, str, str, str]]:
    """(kind, title, due, url) for the staff home: the reviewer's queue and the head's decisions."""
    from django.urls import reverse

    items: list[tuple[str, str, str, str]] = []
    if not getattr(user, "is_authenticated", False):
        return items
    if user.has_role(Role.REVIEWER):
        for r in queue(user)[:50]:
            items.append(
                (
                    "法制审核",
                    f"{r.review.case.number} {r.review.case.title}（第{r.number}轮，{r.get_status_display()}）",
                    r.due_date.isoformat(),
                    reverse("review:round", args=[r.public_id]),
                )
            )
    if user.has_role(Role.HEAD):
        for e in pending_extensions(user)[:50]:
            items.append(
                (
                    "审核延期待批",
                    f"{e.round.review.case.number} 申请延长{e.days}个工作日",
                    e.round.due_date.isoformat(),
                    reverse("review:head"),
                )
            )
        for d in pending_disagreements(user)[:50]:
            items.append(
                ("审核分歧待处理", f"{d.round.review.case.number} 承办机构有异议", "", reverse("review:head"))
            )
    if user.has_role(Role.HEAD) or user.has_role(Role.SUPERVISOR):
        for r in overdue_rounds(user)[:50]:
            items.append(
                (
                    "法制审核超期",
                    f"{r.review.case.number} {r.review.agency.name}",
                    r.due_date.isoformat(),
                    reverse("review:round", args=[r.public_id]),
                )
            )
    return items


# ---------------------------------------------------------------- the 送审 page (第四至七条)

MATERIAL_FIELDS = {
    "investigation_report": "investigation_report",
    "proposal": "proposal",
    "draft_decision": "draft_decision",
    "draft_decision_blob": "draft_decision",
    "evidence": "evidence",
    "hearing_or_assessment": "hearing_or_assessment",
    "assessment_report_blob": "hearing_or_assessment",
    "other_blobs": "other",
}


def _yuan(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value is not None else ""


def penalty_text(penalty) -> str:
    from sanxiang.cases.display import penalty_text as text

    return text(penalty)


def explanation_defaults(view) -> dict[str, str]:
    """情况说明 (第七条) as the case already states it: the report's facts, basis and proposal, the
    officers' credentials, the investigation and the hearing — typed once, edited if need be."""
    from sanxiang.registry.services import officer_eligibility

    specs = view.defn.records()
    report = view.latest("investigation_report")
    facts = (report.payload.get("facts") or "") if report else ""
    basis = (report.payload.get("basis") or "") if report else ""
    law = basis
    if view.proposal is not None:
        what = penalty_text(view.proposal)
        law = f"{basis}；拟{what}" if basis else f"拟{what}"
    officers = []
    for o in view.officers:
        reasons = officer_eligibility(
            officer=o.officer, category=view.case.category, region_code=view.case.region_code, on=view.today
        ).reasons
        state = "证件有效" if not reasons else "；".join(r.message for r in reasons)
        officers.append(f"{o.name}（执法证号 {o.credential_number}，{state}）")
    made: dict[str, int] = {}
    with_av: set[str] = set()
    for r in view.records:
        if r.stage == "investigation" and r.kind not in services_excluded():
            name = specs[r.kind].name if r.kind in specs else r.kind
            made[name] = made.get(name, 0) + 1
            if r.has_av:
                with_av.add(name)
    parts = [f"{name}{n}份{'（含音像记录）' if name in with_av else ''}" for name, n in made.items()]
    investigation = "调查取证：" + ("、".join(parts) if parts else "无") + "。"
    if view.has("hearing_record"):
        investigation += "已举行听证。"
    elif view.has("hearing_request"):
        investigation += "当事人已申请听证。"
    elif view.has("hearing_waiver"):
        investigation += "当事人放弃听证。"
    defence = view.latest("statement_defence")
    if defence is not None:
        investigation += f"陈述申辩：{defence.payload.get('content') or '已听取'}。"
    return {
        "basic_facts": facts,
        "law_and_discretion": law,
        "officer_qualifications": "、".join(officers),
        "investigation_and_hearing": investigation,
        "other": "",
    }


def services_excluded() -> set[str]:
    from sanxiang.review.services import EVIDENCE_EXCLUDED

    return EVIDENCE_EXCLUDED


def draft_decision_default(view) -> str:
    """行政处罚决定书代拟稿 (第六条第三项) from what the case states: parties, facts, evidence, basis,
    the proposed penalty."""
    report = view.latest("investigation_report")
    payload = report.payload if report else {}
    parties = "、".join(
        f"{p.name}" + (f"（统一社会信用代码 {p.credit_code}）" if p.credit_code else "") for p in view.parties
    )
    lines = [
        f"{view.case.agency.name}行政处罚决定书（代拟稿）",
        f"当事人：{parties}",
        f"违法事实：{payload.get('facts', '')}",
        f"证据：{payload.get('evidence', '')}",
        f"处罚依据：{payload.get('basis', '')}",
        f"处罚决定：{penalty_text(view.proposal)}",
    ]
    return "\n".join(lines)


@dataclass
class MaterialRow:
    key: str
    label: str
    source: str
    ok: bool
    detail: str
    messages: list[str]


def submission_form(user, case, *, data=None, blobs: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What the 送审 page shows: the major-decision criteria the proposal meets, the materials of
    第六条 each present or missing (with its article — the same check ``review_submit`` makes), the
    情况说明 of 第七条 prefilled, the evidence to choose from."""
    from sanxiang.cases.context import load, major_criteria
    from sanxiang.review import services

    view = load(case)
    defaults = explanation_defaults(view)
    data = data or {}
    blobs = blobs or {}
    explanation = {k: data.get(f"explanation.{k}", defaults.get(k, "")) for k, _l, _s in EXPLANATION}
    draft = data.get("draft_decision", draft_decision_default(view))
    evidence_rows = [
        r for r in view.records if r.stage == "investigation" and r.kind not in services.EVIDENCE_EXCLUDED
    ]
    chosen = data.get("evidence")
    evidence = chosen if chosen is not None else [str(r.public_id) for r in evidence_rows]
    _m, _c, _b, errors = services._materials(
        case=case,
        view=view,
        explanation=explanation,
        draft_decision=draft,
        draft_decision_blob=(blobs.get("draft_decision_blob") or [""])[0],
        evidence=evidence,
        assessment_held=bool(data.get("assessment_held")),
        assessment_report_blob=(blobs.get("assessment_report_blob") or [""])[0],
        other_blobs=blobs.get("other_blobs", []),
    )
    by_material: dict[str, list[str]] = {}
    for e in errors:
        key = MATERIAL_FIELDS.get(e.field.split("[")[0])
        if key:
            by_material.setdefault(key, []).append(e.message)
    specs = view.defn.records()
    report = view.latest("investigation_report")
    hearing = view.latest("hearing_record", "hearing_report")
    details = {
        "investigation_report": f"{specs['investigation_report'].name}（{timezone.localtime(report.made_at):%Y-%m-%d}）"
        if report
        else "",
        "proposal": penalty_text(view.proposal),
        "draft_decision": "见下方代拟稿",
        "evidence": f"{len(evidence_rows)}份调查取证记录",
        "hearing_or_assessment": (specs[hearing.kind].name if hearing else "未举行听证、未经评估"),
        "other": "",
    }
    rows = [
        MaterialRow(
            key,
            label,
            source,
            key not in by_material,
            details.get(key, ""),
            by_material.get(key, []),
        )
        for key, label, source in MATERIALS
    ]
    criteria = major_criteria(view)
    return {
        "view": view,
        "criteria": criteria,
        "proposal": penalty_text(view.proposal),
        "rows": rows,
        "missing": [m for r in rows for m in r.messages],
        "explanation": [
            {
                "key": k,
                "label": label,
                "source": s,
                "value": explanation.get(k, ""),
                "required": k in REQUIRED_EXPLANATION,
            }
            for k, label, s in EXPLANATION
        ],
        "draft_decision": draft,
        "evidence": [
            {
                "record": r,
                "name": specs[r.kind].name if r.kind in specs else r.kind,
                "checked": str(r.public_id) in evidence,
            }
            for r in evidence_rows
        ],
        "assessment_held": bool(data.get("assessment_held")),
        "voluntary_reason": data.get("voluntary_reason", ""),
        "stage_ok": services.may_submit_from(view.defn, case.stage),
        "enters_review": bool(criteria and services.review_transition(view.defn, case.stage)),
        "stage_name": view.defn.stage(case.stage).name,
    }


def material_rows(r: ReviewRound, records) -> list[dict[str, Any]]:
    """The case's records beside the checklist: each by its name, with a line of its content in
    words, its files, whether it was sent as evidence, and the link to its page (调阅 logged there)."""
    from sanxiang.cases import display
    from sanxiang.procedures import registry

    specs = registry.get(r.review.case.procedure).records()
    sent = {m.get("record") for m in (r.materials or {}).get("evidence", [])}
    report = (r.materials or {}).get("investigation_report") or {}
    out = []
    for m in records:
        out.append(
            {
                "record": m,
                "name": specs[m.kind].name if m.kind in specs else "案件记录",
                "summary": display.summary(m),
                "files": display.record_files(m),
                "evidence": str(m.public_id) in sent,
                "report": str(m.public_id) == report.get("record"),
                "superseded": m.corrections.exists() if hasattr(m, "corrections") else False,
            }
        )
    return out


def discretion_for_round(r: ReviewRound):
    """The 裁量基准 comparison of the case's current proposal (for 第八条第三项), or None."""
    try:
        from sanxiang.cases.discretion import compare_case
    except ImportError:
        return None
    return compare_case(r.review.case)
