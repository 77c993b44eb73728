"""Submission: the materials, the time limit and a new round (审核办法 第四至七条、第十一条)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.cases import clock
from sanxiang.cases import services as case_services
from sanxiang.cases.context import load, major_criteria
from sanxiang.cases.models import Case, CaseRecord
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.ledger.models import Blob
from sanxiang.review import flow
from sanxiang.review.models import (
    EXPLANATION,
    MATERIAL_LABELS,
    MATERIALS,
    REQUIRED_EXPLANATION,
    SB,
    Assignment,
    Review,
    ReviewRound,
)
from sanxiang.review.services.common import (
    EVIDENCE_EXCLUDED,
    INDEPENDENCE_SOURCE,
    _assign,
    _iso,
    _legal_office,
    _refused,
    _review_stage,
    _subject,
    eligible_reviewers,
    is_handler,
    may_submit_from,
    proposal_of,
    review_transition,
)
from sanxiang.rules.selectors import Rule, rule_for
from sanxiang.workdays.services import add_working_days

# ---------------------------------------------------------------- submission (第四至七条)


def _record_ref(r: CaseRecord) -> dict[str, Any]:
    return {"record": str(r.public_id), "kind": r.kind, "ledger_seq": r.ledger_seq}


def _blobs_checked(field: str, hashes: Iterable[str]) -> tuple[list[Blob], list[FieldError]]:
    wanted = [str(h).strip().lower() for h in hashes if str(h).strip()]
    found = Blob.objects.in_bulk(wanted)
    missing = [h for h in wanted if h not in found]
    if missing:
        return [], [FieldError(field, "exists", f"文件不存在，请先上传: {', '.join(missing)}")]
    return [found[h] for h in wanted], []


def _materials(
    *,
    case: Case,
    view,
    explanation: dict[str, Any],
    draft_decision: str,
    draft_decision_blob: str,
    evidence: Iterable[str] | None,
    assessment_held: bool,
    assessment_report_blob: str,
    other_blobs: Iterable[str],
) -> tuple[dict[str, Any], dict[str, str], list[Blob], list[FieldError]]:
    """The submission's materials (第六条) and explanation (第七条); every missing one is named."""
    errors: list[FieldError] = []
    blobs: list[Blob] = []

    def missing(field: str, key: str, extra: str = "") -> FieldError:
        source = next(s for k, _l, s in MATERIALS if k == key)
        return FieldError(
            field, "material_required", f"送审材料缺少{MATERIAL_LABELS[key]}{extra}（{source}）"
        )

    materials: dict[str, Any] = {}
    report = view.latest("investigation_report")
    if report is None:
        errors.append(missing("investigation_report", "investigation_report"))
    else:
        materials["investigation_report"] = _record_ref(report)
    clean: dict[str, str] = {}
    explanation = explanation or {}
    for key in explanation:
        if key not in {k for k, _l, _s in EXPLANATION}:
            errors.append(FieldError(f"explanation.{key}", "unknown_field", f"{key}: 情况说明没有此项"))
    for key, label, source in EXPLANATION:
        text = str(explanation.get(key) or "").strip()
        if key in REQUIRED_EXPLANATION and not text:
            errors.append(
                FieldError(f"explanation.{key}", "required", f"情况说明应当载明{label}（{source}）")
            )
        clean[key] = text
    if view.proposal is None:
        errors.append(missing("proposal", "proposal", "（案件尚无处理建议）"))
    draft_decision = (draft_decision or "").strip()
    draft_rows, e = _blobs_checked(
        "draft_decision_blob", [draft_decision_blob] if draft_decision_blob else []
    )
    errors += e
    blobs += draft_rows
    if not draft_decision and not draft_rows:
        errors.append(missing("draft_decision", "draft_decision"))
    materials["draft_decision"] = {"text": draft_decision, "blob": draft_rows[0].sm3 if draft_rows else ""}
    if evidence is None:
        rows = [r for r in view.records if r.stage == "investigation" and r.kind not in EVIDENCE_EXCLUDED]
    else:
        by_id = {str(r.public_id): r for r in view.records}
        rows = []
        for i, rid in enumerate(evidence):
            r = by_id.get(str(rid))
            if r is None:
                errors.append(FieldError(f"evidence[{i}]", "case_record", "证据: 不是本案的现行记录"))
            else:
                rows.append(r)
    if not rows:
        errors.append(missing("evidence", "evidence"))
    materials["evidence"] = [_record_ref(r) for r in rows]
    hearing = [r for k in ("hearing_record", "hearing_report") for r in view.by_kind.get(k, ())]
    if view.has("hearing_request") and not view.has("hearing_record"):
        errors.append(
            missing("hearing_or_assessment", "hearing_or_assessment", "：已申请听证，应提交听证笔录")
        )
    assessment_rows, e = _blobs_checked(
        "assessment_report_blob", [assessment_report_blob] if assessment_report_blob else []
    )
    errors += e
    blobs += assessment_rows
    if assessment_held and not assessment_rows:
        errors.append(
            missing("assessment_report_blob", "hearing_or_assessment", "：经评估的，应提交评估报告")
        )
    materials["hearing_or_assessment"] = {
        "hearing": [_record_ref(r) for r in hearing],
        "assessment_held": bool(assessment_held),
        "assessment_report": assessment_rows[0].sm3 if assessment_rows else "",
    }
    other_rows, e = _blobs_checked("other_blobs", other_blobs or ())
    errors += e
    blobs += other_rows
    materials["other"] = [b.sm3 for b in other_rows]
    return materials, clean, blobs, errors


def _region(round_: ReviewRound) -> str:
    return round_.review.agency.region_code


def review_period_rule(round_: ReviewRound, on: dt.date) -> Rule:
    """第十一条: 七个工作日内审核完毕 — the registry's rule for the agency's region."""
    return rule_for("review.period", region=_region(round_), on=on)


def review_extension_rule(round_: ReviewRound, on: dt.date) -> Rule:
    """第十一条: 经负责人批准可以延长五个工作日 — the registry's rule for the agency's region."""
    return rule_for("review.extension", region=_region(round_), on=on)


DEADLINE_FIELDS = [
    "start_date",
    "days",
    "unit",
    "due_date",
    "provisional",
    "calendar_version",
    "calendar_region",
    "rule_version",
    "rule_region",
]


def _deadline(round_: ReviewRound, start: dt.datetime, extra_days: int = 0) -> None:
    """The review period from the complete submission (plus any granted extension); the round
    keeps the rule version (a later rule change moves it only through ``sanxiang rules recompute``)."""
    day = timezone.localdate(start)
    rule = review_period_rule(round_, day)
    region = _region(round_)
    round_.set_deadline(
        add_working_days(day, rule.days + extra_days, region=region), region=region, rule=rule
    )


def review_submit(
    *,
    actor,
    case: Case,
    explanation: dict[str, Any],
    draft_decision: str = "",
    draft_decision_blob: str = "",
    evidence: Iterable[str] | None = None,
    assessment_held: bool = False,
    assessment_report_blob: str = "",
    other_blobs: Iterable[str] = (),
    voluntary_reason: str = "",
    idempotency_key: str = "",
) -> ReviewRound:
    """Send the case's proposal to the legal office (第四、五条) with its materials (第六、七条).

    A major case (行政处罚法 第五十八条) moves into its 法制审核 stage; a case the handler or head
    chooses to send (第四条) needs a reason. The round is assigned at once to the least-loaded
    registered reviewer who is not the case's handler or approver; its 7 working days (第十一条)
    run from now, the materials being complete."""
    if not is_handler(actor, case):
        raise Forbidden(f"送审: 只能由本案承办人员或本机关负责人提交（{SB}第四条、第五条）")
    if idempotency_key:
        existing = ReviewRound.objects.filter(submitted_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.review.case_id != case.pk:
                raise InvalidInput(
                    [FieldError("Idempotency-Key", "idempotency_conflict", "幂等键已用于另一案件")]
                )
            return existing
    now = clock.now()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("agency__legal_office")
            .get(pk=case.pk)
        )
        if case.sealed:
            raise case_services.sealed_error()
        view = load(case, now=now)
        criteria = [
            {"code": m.code, "description": m.description, "source": m.source} for m in major_criteria(view)
        ]
        review = Review.objects.filter(case=case).first()
        latest = None
        if review is not None:
            latest = review.rounds.order_by("-number").first()
            if latest and latest.status in (*ReviewRound.OPEN, ReviewRound.Status.DISPUTED):
                raise _refused(
                    "case", "round_open", f"本案已有送审在办理中（第{latest.number}轮）", "round_open"
                )
        proposal, fingerprint = proposal_of(case)
        if (
            review is not None
            and latest
            and latest.status == ReviewRound.Status.PASSED
            and latest.proposal_fingerprint == fingerprint
        ):
            raise _refused("case", "already_passed", "当前处理建议已经法制审核通过，无需再次送审")
        errors: list[FieldError] = []
        voluntary_reason = (voluntary_reason or "").strip()
        if not criteria and not voluntary_reason:
            errors.append(
                FieldError(
                    "voluntary_reason",
                    "required",
                    f"送审理由: 不属于重大执法决定的，机关认为需要审核时须说明理由（{SB}第四条）",
                )
            )
        materials, clean, blobs, material_errors = _materials(
            case=case,
            view=view,
            explanation=explanation,
            draft_decision=draft_decision,
            draft_decision_blob=draft_decision_blob,
            evidence=evidence,
            assessment_held=assessment_held,
            assessment_report_blob=assessment_report_blob,
            other_blobs=other_blobs,
        )
        errors += material_errors
        if errors:
            raise InvalidInput(errors, code="review_materials", title="送审材料不齐全")
        legal_office = _legal_office(case)
        reviewers = eligible_reviewers(case, legal_office, timezone.localdate(now))
        if not reviewers:
            raise _refused(
                "reviewer",
                "no_reviewer",
                f"{legal_office.name}的法制审核人员名录库中没有可指派的人员（不得由本案承办人员或内部审批的承办人、审核人、批准人审核，{INDEPENDENCE_SOURCE}）",
                "no_reviewer",
            )
        if not may_submit_from(view.defn, case.stage):
            raise _refused(
                "case",
                "stage",
                f"送审: 调查终结后、作出决定前送审，本案当前环节不能送审（{SB}第五条）",
                "review_stage",
            )
        entering = review_transition(view.defn, case.stage)
        if criteria and entering:
            case_services.case_transition(actor=actor, case=case, transition=entering)
            case.refresh_from_db(fields=["stage", "stage_changed_at"])
        if case.stage and case.stage == _review_stage(case):
            case_services.record_add(
                actor=actor,
                case=case,
                kind="review_submission",
                payload={"content": f"送审：{proposal.get('description', '')}；{clean['basic_facts']}"},
                blobs=[b.sm3 for b in blobs],
            )
        if review is None:
            review_id = uuid.uuid4()
            entry = ledger.record(
                kind="review.opened",
                subject=("review.review", str(review_id)),
                actor=actor,
                payload={
                    "case": str(case.public_id),
                    "number": case.number,
                    "legal_office": legal_office.name,
                },
            )
            review = Review.objects.create(
                public_id=review_id,
                case=case,
                agency=case.agency,
                legal_office=legal_office,
                created_at=now,
                ledger_seq=entry.seq,
            )
        number = (review.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        entry = ledger.record(
            kind="review.submitted",
            subject=_subject(review),
            actor=actor,
            payload={
                "case": str(case.public_id),
                "round": number,
                "criteria": criteria,
                "voluntary_reason": voluntary_reason,
                "proposal": proposal,
                "proposal_fingerprint": fingerprint,
                "explanation": clean,
                "materials": materials,
                "at": _iso(now),
            },
            blobs=blobs,
        )
        round_ = ReviewRound(
            review=review,
            number=number,
            status=flow.start(),
            voluntary=not criteria,
            voluntary_reason=voluntary_reason,
            criteria=criteria,
            proposal=proposal,
            proposal_fingerprint=fingerprint,
            explanation=clean,
            materials=materials,
            submitted_by=actor,
            submitted_at=now,
            complete_at=now,
            idempotency_key=idempotency_key,
            ledger_seq=entry.seq,
        )
        _deadline(round_, now)
        round_.save()
        reg, user = reviewers[0]
        _assign(
            round_=round_,
            reg=reg,
            user=user,
            role=Assignment.Role.REVIEWER,
            actor=actor,
            reason="按工作量均衡自动指派",
            now=now,
        )
        return round_
