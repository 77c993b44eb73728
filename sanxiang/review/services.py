"""Every write of the legal review (《松原市重大行政执法决定法制审核办法》).

Each service is keyword-only, takes the acting user, runs in one ``transaction.atomic()``, locks the
round (or the case) where two people can act at once, checks every rule before writing, and writes
its ledger entry in the same transaction: a refused request writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.cases import clock
from sanxiang.cases import services as case_services
from sanxiang.cases.context import load, major_criteria
from sanxiang.cases.models import ApprovalStep, Case, CaseRecord
from sanxiang.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sanxiang.ledger import services as ledger
from sanxiang.ledger.access import access_record
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.ledger.models import Blob, Entry
from sanxiang.registry.models import ReviewerRegistration
from sanxiang.review.models import (
    AMEND_POINTS,
    CHECKLIST,
    CHECKLIST_KEYS,
    CHECKLIST_LABELS,
    EXPLANATION,
    MATERIAL_LABELS,
    MATERIALS,
    OUTCOME_GROUNDS,
    OUTCOME_SOURCES,
    REQUIRED_EXPLANATION,
    SB,
    TRANSFER_TO,
    Assignment,
    ChecklistMark,
    CollectiveDiscussion,
    Disagreement,
    DisagreementRuling,
    Extension,
    ExtensionRuling,
    MaterialRequest,
    MaterialSupplement,
    Opinion,
    Outcome,
    Review,
    ReviewRound,
)
from sanxiang.rules.selectors import Rule, rule_for
from sanxiang.workdays.services import add_working_days

CF = "行政处罚法 第五十八条"


def _to_review(case: Case) -> dict[str, str]:
    """Stage -> the transition by which a major case enters legal review (the procedure's own)."""
    from sanxiang.procedures import registry

    return dict(registry.get(case.procedure).review_transitions)


def _review_stage(case: Case) -> str:
    from sanxiang.procedures import registry

    return registry.get(case.procedure).review_stage


REVIEW_GUARD = "legal_review_passed_if_major"


def review_transition(defn, stage: str) -> str | None:
    """The transition of ``defn`` (its own ``review_transitions``) that takes a case from ``stage``
    into its 法制审核 stage, if any."""
    return dict(defn.review_transitions).get(stage)


def has_review(defn) -> bool:
    """Does the procedure wait for a legal review before its decision (行政处罚法 第五十八条)?"""
    return bool(defn.review_stage) or any(REVIEW_GUARD in t.guards for t in defn.transitions)


def may_submit_from(defn, stage: str) -> bool:
    """A case may be sent from ``stage``: it leads into the 法制审核 stage, is that stage (a new round
    after the case was sent back), or leads to a decision that waits for a requested review (第四条)."""
    if (defn.review_stage and stage == defn.review_stage) or review_transition(defn, stage):
        return True
    return any(REVIEW_GUARD in t.guards for t in defn.outgoing(stage))


EVIDENCE_EXCLUDED = {"investigation_report", "case_source", "filing_approval", "review_submission"}


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _subject(review: Review) -> tuple[str, str]:
    return ("review.review", str(review.public_id))


def _refused(field: str, rule: str, message: str, code: str = "review_refused") -> TransitionRefused:
    return TransitionRefused([FieldError(field, rule, message)], code=code, title="不符合法制审核规则")


# ---------------------------------------------------------------- the proposal and the gate


def proposal_of(case: Case) -> tuple[dict[str, Any], str]:
    """The case's current proposal (penalty kinds and amounts) and its fingerprint (SHA-256)."""
    view = load(case)
    p = view.proposal
    data = (
        {
            "penalty_kinds": sorted(p.kinds),
            "fine_amount": str(p.fine),
            "confiscation_amount": str(p.confiscation),
            "description": p.describe(),
        }
        if p
        else {}
    )
    key = {k: data[k] for k in ("penalty_kinds", "fine_amount", "confiscation_amount")} if data else {}
    return data, hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def passed_for(case: Case) -> bool:
    """The gate (行政处罚法 第五十八条; 审核办法 第四条、第十三条): the latest round passed and reviewed
    the proposal the case has now."""
    latest = (
        ReviewRound.objects.filter(review__case=case)
        .order_by("-number")
        .only("status", "proposal_fingerprint")
    ).first()
    if latest is None or latest.status != ReviewRound.Status.PASSED:
        return False
    return latest.proposal_fingerprint == proposal_of(case)[1]


def requested_for(case: Case) -> bool:
    """审核办法 第四条: a case the agency sent for review — major or not — waits for its outcome."""
    return ReviewRound.objects.filter(review__case=case).exists()


# ---------------------------------------------------------------- who may act


def is_handler(user, case: Case) -> bool:
    """承办人员 of the case (its officers) or the agency's head (第四条: the handler or head sends)."""
    if not getattr(user, "is_authenticated", False) or user.agency_id != case.agency_id:
        return False
    if user.has_role(Role.HEAD):
        return True
    return bool(
        user.officer_id
        and user.has_role(Role.OFFICER)
        and case.case_officers.filter(officer_id=user.officer_id).exists()
    )


def current_reviewer(round_: ReviewRound) -> Assignment | None:
    return round_.assignments.filter(role=Assignment.Role.REVIEWER).order_by("-at", "-pk").first()


def _require_reviewer(actor, round_: ReviewRound) -> None:
    a = current_reviewer(round_)
    if a is None or a.user_id is None or a.user_id != getattr(actor, "pk", None):
        raise Forbidden(f"只有指派的法制审核人员可以办理本轮审核（{SB}第二条）")


def _require_head(actor, agency_id: int, what: str) -> None:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.agency_id == agency_id
        and actor.has_role(Role.HEAD)
    ):
        raise Forbidden(f"{what}须由本机关负责人决定")


def _lock_round(round_: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update().select_related("review__case__agency").get(pk=round_.pk)


# ---------------------------------------------------------------- assignment


INDEPENDENCE_SOURCE = f"{SB}第五条、第十五条；《松原市行政执法全过程记录实施办法》第三十八条"


def excluded_users(case: Case) -> set[int]:
    """Users who may not be the case's legal reviewer: whoever signed any of its internal approvals
    as 承办人, 审核人 or 批准人 (记录办法 第三十八条). The legal office reviews what the handling unit
    (承办机构) proposes (审核办法 第五条) and answers for its own opinion apart from the 承办人员 and the
    deciding head (第十五条): nobody who took part in the case reviews it."""
    steps = ApprovalStep.objects.filter(
        approval__case=case,
        role__in=[ApprovalStep.Role.HANDLER, ApprovalStep.Role.REVIEWER, ApprovalStep.Role.APPROVER],
    ).values_list("user_id", flat=True)
    return set(steps)


def _registration_user(reg: ReviewerRegistration):
    from sanxiang.accounts.models import User

    if reg.officer_id is None:
        return None
    for user in User.objects.filter(officer_id=reg.officer_id, is_active=True):
        if user.has_role(Role.REVIEWER):
            return user
    return None


def eligible_reviewers(case: Case, legal_office, on: dt.date, *, roles=(ReviewerRegistration.Role.REVIEWER,)):
    """(registration, user) pairs of the 名录库 for the legal office, active on ``on``, not the case's
    handlers or approvers, least-loaded first (open rounds assigned to each)."""
    handlers = set(case.case_officers.values_list("officer_id", flat=True))
    excluded = excluded_users(case)
    regs = [
        r
        for r in ReviewerRegistration.objects.filter(agency=legal_office, role__in=roles).order_by("pk")
        if r.is_active_on(on) and r.officer_id not in handlers
    ]
    pairs = []
    for reg in regs:
        user = _registration_user(reg)
        if user is None or user.pk in excluded:
            continue
        pairs.append((reg, user))
    load = _workload([u.pk for _r, u in pairs])
    pairs.sort(key=lambda p: (load.get(p[1].pk, 0), p[0].pk))
    return pairs


def _workload(user_ids: list[int]) -> dict[int, int]:
    """Open rounds whose current reviewer is each user."""
    counts: dict[int, int] = {}
    open_rounds = ReviewRound.objects.filter(status__in=ReviewRound.OPEN).annotate(
        n=Count("assignments", filter=Q(assignments__role=Assignment.Role.REVIEWER))
    )
    latest: dict[int, int] = {}
    for a in (
        Assignment.objects.filter(round__in=open_rounds, role=Assignment.Role.REVIEWER)
        .order_by("round_id", "at", "pk")
        .values("round_id", "user_id")
    ):
        latest[a["round_id"]] = a["user_id"]
    for uid in latest.values():
        if uid in user_ids:
            counts[uid] = counts.get(uid, 0) + 1
    return counts


def _assign(*, round_, reg, user, role, actor, reason, now) -> Assignment:
    entry = ledger.record(
        kind="review.assigned",
        subject=_subject(round_.review),
        actor=actor,
        payload={
            "round": round_.number,
            "role": role,
            "registration": str(reg.public_id),
            "name": reg.name,
            "registration_role": reg.role,
            "reason": reason,
            "at": _iso(now),
        },
    )
    return Assignment.objects.create(
        round=round_,
        role=role,
        registration=reg,
        user=user,
        name=reg.name,
        reason=reason,
        assigned_by=actor,
        at=now,
        ledger_seq=entry.seq,
    )


def _legal_office(case: Case):
    return case.agency.legal_office or case.agency


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
            status=ReviewRound.Status.REVIEWING,
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


# ---------------------------------------------------------------- assignment changes


def review_reassign(
    *, actor, round: ReviewRound, registration: ReviewerRegistration | None, reason: str
) -> Assignment:
    """The head reassigns the round (to a named registration, or to the least-loaded one); recorded."""
    round_ = round
    case = round_.review.case
    if (
        not getattr(actor, "is_authenticated", False)
        or not actor.has_role(Role.HEAD)
        or actor.agency_id
        not in (
            case.agency_id,
            round_.review.legal_office_id,
        )
    ):
        raise Forbidden("重新指派审核人员须由负责人决定")
    if not (reason or "").strip():
        raise InvalidInput([FieldError("reason", "required", "指派说明: 必须填写")])
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round_)
        if round_.status not in ReviewRound.OPEN:
            raise _refused("round", "not_open", "本轮审核已完毕，不能重新指派")
        current = current_reviewer(round_)
        pairs = [
            p
            for p in eligible_reviewers(case, round_.review.legal_office, timezone.localdate(now))
            if current is None or p[1].pk != current.user_id
        ]
        if registration is not None:
            pairs = [p for p in pairs if p[0].pk == registration.pk]
            if not pairs:
                raise InvalidInput(
                    [
                        FieldError(
                            "registration",
                            "eligible_reviewer",
                            f"审核人员: 应为法制机构名录库中在册、有账号，且未承办本案、未在本案内部审批中担任承办人、审核人、批准人的审核人员（{INDEPENDENCE_SOURCE}）",
                        )
                    ]
                )
        if not pairs:
            raise _refused("registration", "no_reviewer", "名录库中没有其他可指派的审核人员", "no_reviewer")
        reg, user = pairs[0]
        return _assign(
            round_=round_,
            reg=reg,
            user=user,
            role=Assignment.Role.REVIEWER,
            actor=actor,
            reason=reason.strip(),
            now=now,
        )


def adviser_add(
    *, actor, round: ReviewRound, registration: ReviewerRegistration, reason: str = ""
) -> Assignment:
    """Add a legal adviser or 公职律师 of the 名录库 to the round (铁西区司法局、昆明市的方案)."""
    round_ = round
    case = round_.review.case
    is_head = (
        getattr(actor, "is_authenticated", False)
        and actor.has_role(Role.HEAD)
        and actor.agency_id
        in (
            case.agency_id,
            round_.review.legal_office_id,
        )
    )
    if not is_head:
        _require_reviewer(actor, round_)
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round_)
        errors = []
        if registration.agency_id != round_.review.legal_office_id or not registration.is_active_on(
            timezone.localdate(now)
        ):
            errors.append(
                FieldError("registration", "registered", "法律顾问或公职律师: 应为法制机构名录库中在册人员")
            )
        if registration.role not in (
            ReviewerRegistration.Role.LEGAL_ADVISER,
            ReviewerRegistration.Role.PUBLIC_LAWYER,
        ):
            errors.append(FieldError("registration", "adviser_role", "应为名录库中的法律顾问或公职律师"))
        if registration.officer_id and case.case_officers.filter(officer_id=registration.officer_id).exists():
            errors.append(FieldError("registration", "not_handler", "不得由本案承办人员参与审核"))
        if errors:
            raise InvalidInput(errors)
        existing = round_.assignments.filter(role=Assignment.Role.ADVISER, registration=registration).first()
        if existing:
            return existing
        return _assign(
            round_=round_,
            reg=registration,
            user=_registration_user(registration),
            role=Assignment.Role.ADVISER,
            actor=actor,
            reason=(reason or "").strip(),
            now=now,
        )


# ---------------------------------------------------------------- materials (第六条第二款, 第九条)


def materials_request(
    *, actor, round: ReviewRound, items: list[str], due_on: dt.date, note: str = ""
) -> MaterialRequest:
    """The reviewer names the missing materials and the date they are due (第六条第二款); the
    review waits, and its 7 working days run again from the complete submission (第十一条)."""
    _require_reviewer(actor, round)
    now = clock.now()
    errors = []
    items = [str(i).strip() for i in items or [] if str(i).strip()]
    if not items:
        errors.append(FieldError("items", "required", f"需补充的材料: 至少列明一项（{SB}第六条第二款）"))
    if not isinstance(due_on, dt.date) or due_on <= timezone.localdate(now):
        errors.append(FieldError("due_on", "future", f"指定提交日期: 应晚于今天（{SB}第六条第二款）"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        round_ = _lock_round(round)
        if round_.status != ReviewRound.Status.REVIEWING:
            raise _refused("round", "not_reviewing", "本轮不在审核中，不能要求补充材料")
        entry = ledger.record(
            kind="review.materials_requested",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "items": items,
                "due_on": due_on.isoformat(),
                "note": note,
                "at": _iso(now),
            },
        )
        req = MaterialRequest.objects.create(
            round=round_,
            items=items,
            due_on=due_on,
            note=note,
            requested_by=actor,
            at=now,
            ledger_seq=entry.seq,
        )
        round_.status = ReviewRound.Status.MATERIALS_REQUESTED
        round_.complete_at = None
        round_.save(update_fields=["status", "complete_at"])
        return req


def materials_supply(
    *, actor, round: ReviewRound, note: str, blobs: Iterable[str] = (), records: Iterable[str] = ()
) -> MaterialSupplement:
    """The handling unit supplies what was asked for; the submission is complete from now (第十一条)."""
    case = round.review.case
    if not is_handler(actor, case):
        raise Forbidden(f"补充材料: 只能由本案承办人员提交（{SB}第六条）")
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        if round_.status != ReviewRound.Status.MATERIALS_REQUESTED:
            raise _refused("round", "no_request", "本轮没有待补充的材料")
        req = round_.material_requests.order_by("-at", "-pk").first()
        assert req is not None  # MATERIALS_REQUESTED is only ever set together with a MaterialRequest
        blob_rows, errors = _blobs_checked("blobs", blobs)
        by_id = {str(r.public_id): r for r in case.records.all()}
        refs = []
        for i, rid in enumerate(records or ()):
            r = by_id.get(str(rid))
            if r is None:
                errors.append(FieldError(f"records[{i}]", "case_record", "记录: 不是本案的记录"))
            else:
                refs.append(_record_ref(r))
        if not (note or "").strip():
            errors.append(FieldError("note", "required", "补充说明: 必须填写"))
        if not blob_rows and not refs:
            errors.append(
                FieldError("blobs", "required", f"补充材料: 应提交要求补充的材料（{SB}第六条第二款）")
            )
        if errors:
            raise InvalidInput(errors)
        supplied = {"note": note.strip(), "blobs": [b.sm3 for b in blob_rows], "records": refs}
        entry = ledger.record(
            kind="review.materials_supplied",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                **supplied,
                "late": timezone.localdate(now) > req.due_on,
                "at": _iso(now),
            },
            blobs=blob_rows,
        )
        sup = MaterialSupplement.objects.create(
            request=req, materials=supplied, supplied_by=actor, at=now, ledger_seq=entry.seq
        )
        round_.status = ReviewRound.Status.REVIEWING
        round_.complete_at = now
        _deadline(round_, now, _granted_days(round_))
        round_.save(update_fields=["status", "complete_at", *DEADLINE_FIELDS])
        return sup


def materials_read(*, actor, round: ReviewRound) -> list[CaseRecord]:
    """The whole case record for the reviewer (第九条); every record read goes to the access log."""
    case = round.review.case
    allowed = any(a.user_id == actor.pk for a in round.assignments.all()) or (
        actor.has_role(Role.HEAD) and actor.agency_id == case.agency_id
    )
    if not allowed:
        raise Forbidden(f"调阅: 只有本轮审核人员可以调阅送审材料（{SB}第九条）")
    records = list(case.records.order_by("made_at", "pk"))
    entries = Entry.objects.in_bulk([r.ledger_seq for r in records], field_name="seq")
    with transaction.atomic():
        for r in records:
            entry = entries.get(r.ledger_seq)
            if entry is not None:
                access_record(
                    actor=actor, material=entry, purpose=f"法制审核调阅（{SB}第九条）：{case.number}"
                )
    return records


# ---------------------------------------------------------------- checklist (第八条)


def checklist_mark(*, actor, round: ReviewRound, item: str, passed: bool, note: str) -> ChecklistMark:
    _require_reviewer(actor, round)
    errors = []
    if item not in CHECKLIST_KEYS:
        errors.append(FieldError("item", "checklist_item", f"审核事项: 应为第八条所列事项之一（{SB}第八条）"))
    if not isinstance(passed, bool):
        errors.append(FieldError("passed", "bool", "是否通过: 应为是或否"))
    note = (note or "").strip()
    if not note:
        errors.append(FieldError("note", "required", f"审核说明: 每一审核事项均须写明说明（{SB}第八条）"))
    if errors:
        raise InvalidInput(errors)
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        if round_.status != ReviewRound.Status.REVIEWING:
            raise _refused("round", "not_reviewing", "本轮不在审核中")
        last = round_.marks.filter(item=item).order_by("-at", "-pk").first()
        if last and last.passed == passed and last.note == note:
            return last
        entry = ledger.record(
            kind="review.checklist_marked",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "item": item,
                "label": CHECKLIST_LABELS[item],
                "passed": passed,
                "note": note,
                "at": _iso(now),
            },
        )
        return ChecklistMark.objects.create(
            round=round_, item=item, passed=passed, note=note, by=actor, at=now, ledger_seq=entry.seq
        )


def checklist_mark_all(
    *, actor, round: ReviewRound, marks: dict[str, tuple[bool | None, str]]
) -> list[ChecklistMark]:
    """The whole checklist (第八条) as one form: each item marked passed or failed with its note, in
    one transaction — every item's error is named and nothing is written unless all are right. An
    item left unmarked with no note is skipped (it may be marked later); an unchanged mark is kept."""
    _require_reviewer(actor, round)
    errors: list[FieldError] = []
    wanted: list[tuple[str, bool, str]] = []
    for key in marks:
        if key not in CHECKLIST_KEYS:
            errors.append(
                FieldError(
                    f"checklist.{key}", "checklist_item", f"审核事项: 应为第八条所列事项之一（{SB}第八条）"
                )
            )
    for key in CHECKLIST_KEYS:
        if key not in marks:
            continue
        passed, note = marks[key]
        note = (note or "").strip()
        if passed is None and not note:
            continue
        if passed is None:
            errors.append(
                FieldError(
                    f"checklist.{key}.passed",
                    "required",
                    f"{CHECKLIST_LABELS[key]}: 请选择通过或未通过（{SB}第八条）",
                )
            )
            continue
        if not note:
            errors.append(
                FieldError(
                    f"checklist.{key}.note",
                    "required",
                    f"{CHECKLIST_LABELS[key]}: 审核说明必须填写（{SB}第八条）",
                )
            )
            continue
        wanted.append((key, passed, note))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return [checklist_mark(actor=actor, round=round, item=k, passed=p, note=n) for k, p, n in wanted]


def checklist_and_opinion(
    *,
    actor,
    round: ReviewRound,
    marks: dict[str, tuple[bool | None, str]],
    outcome: str,
    reasons: str,
    amend_points: Iterable[str] = (),
    transfer_to: str = "",
) -> Opinion:
    """The checklist form sent with the opinion: the marks and the opinion (第八条、第十条) commit
    together or not at all."""
    with transaction.atomic():
        checklist_mark_all(actor=actor, round=round, marks=marks)
        return opinion_issue(
            actor=actor,
            round=round,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
        )


def checklist_state(round_: ReviewRound) -> dict[str, ChecklistMark]:
    state: dict[str, ChecklistMark] = {}
    for m in round_.marks.order_by("at", "pk"):
        state[m.item] = m
    return state


# ---------------------------------------------------------------- opinion (第十条)


def _document(
    round_: ReviewRound, *, outcome, reasons, amend_points, transfer_to, checklist, actor, now
) -> Blob:
    case = round_.review.case
    html = render_to_string(
        "review/opinion_document.html",
        {
            "case": case,
            "round": round_,
            "review": round_.review,
            "outcome_label": str(Outcome(outcome).label),
            "outcome_source": OUTCOME_SOURCES[outcome],
            "reasons": reasons,
            "amend_points": [AMEND_POINTS[p] for p in amend_points],
            "transfer_to": TRANSFER_TO.get(transfer_to, ""),
            "checklist": [
                {"label": label, "source": source, **checklist[key]} for key, label, source in CHECKLIST
            ],
            "reviewer": str(actor),
            "issued_on": timezone.localdate(now),
        },
    )
    return blob_ingest(stream=io.BytesIO(html.encode("utf-8")), media_type="text/html")


def opinion_issue(
    *,
    actor,
    round: ReviewRound,
    outcome: str,
    reasons: str,
    amend_points: Iterable[str] = (),
    transfer_to: str = "",
) -> Opinion:
    """The written opinion (第十条) on a completed checklist (第八条); the 法制审核意见书 is rendered,
    stored as a blob and recorded in the ledger, and — when the case is in its 法制审核 stage — put
    on the case record as its 法制审核意见书."""
    _require_reviewer(actor, round)
    now = clock.now()
    amend_points = list(dict.fromkeys(amend_points or ()))
    with transaction.atomic():
        round_ = _lock_round(round)
        existing = Opinion.objects.filter(round=round_).first()
        if existing is not None:
            if existing.outcome == outcome:
                return existing
            raise _refused("outcome", "opinion_issued", "本轮已出具审核意见", "opinion_issued")
        if round_.status != ReviewRound.Status.REVIEWING:
            raise _refused("round", "not_reviewing", "本轮不在审核中（待补充材料的，材料齐全后再审核）")
        errors: list[FieldError] = []
        if outcome not in Outcome.values:
            raise InvalidInput(
                [FieldError("outcome", "choice", f"审核意见: 应为第十条所列意见之一（{SB}第十条）")]
            )
        reasons = (reasons or "").strip()
        if not reasons:
            errors.append(FieldError("reasons", "required", f"理由: 书面意见应写明理由（{SB}第十条）"))
        state = checklist_state(round_)
        unmarked = [k for k in CHECKLIST_KEYS if k not in state]
        for k in unmarked:
            errors.append(
                FieldError(
                    f"checklist.{k}", "checklist_complete", f"{CHECKLIST_LABELS[k]}: 尚未审核（{SB}第八条）"
                )
            )
        failed = {k for k, m in state.items() if not m.passed}
        choice = Outcome(outcome)
        source = OUTCOME_SOURCES[choice]
        if outcome == Outcome.APPROVE and failed:
            for k in sorted(failed):
                errors.append(
                    FieldError(
                        "outcome",
                        "approve_needs_all_passed",
                        f"同意: {CHECKLIST_LABELS[k]}未通过，不能提出同意的意见（{source}）",
                    )
                )
        grounds = OUTCOME_GROUNDS.get(choice, ())
        if outcome != Outcome.APPROVE and not unmarked and not failed.intersection(grounds):
            names = "或".join(CHECKLIST_LABELS[g] for g in grounds)
            errors.append(
                FieldError(
                    "outcome",
                    "outcome_ground",
                    f"{Outcome(outcome).label!s}: 须有“{names}”未通过（{source}）",
                )
            )
        if outcome == Outcome.AMEND:
            bad = [p for p in amend_points if p not in AMEND_POINTS]
            if not amend_points or bad:
                errors.append(
                    FieldError(
                        "amend_points",
                        "choice",
                        f"变更事项: 应为定性、适用法律、裁量基准中的一项或几项（{source}）",
                    )
                )
        elif amend_points:
            errors.append(FieldError("amend_points", "only_amend", "变更事项: 仅变更意见填写"))
        if outcome == Outcome.TRANSFER:
            if transfer_to not in TRANSFER_TO:
                errors.append(
                    FieldError("transfer_to", "choice", f"移送去向: 应为有管辖权的机关或司法机关（{source}）")
                )
            elif transfer_to == "judicial" and "crime" not in failed:
                errors.append(
                    FieldError(
                        "transfer_to",
                        "crime_ground",
                        f"移送司法机关: 须审核认定涉嫌犯罪（{SB}第八条第七项、第十条第五项）",
                    )
                )
            elif transfer_to == "competent_authority" and "competence" not in failed:
                errors.append(
                    FieldError(
                        "transfer_to",
                        "competence_ground",
                        f"移送有管辖权的机关: 须审核认定超出本机关管辖范围（{source}）",
                    )
                )
        elif transfer_to:
            errors.append(FieldError("transfer_to", "only_transfer", "移送去向: 仅移送意见填写"))
        if errors:
            raise InvalidInput(errors)
        checklist = {k: {"passed": m.passed, "note": m.note} for k, m in state.items()}
        overdue = timezone.localdate(now) > round_.due_date
        blob = _document(
            round_,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
            checklist=checklist,
            actor=actor,
            now=now,
        )
        entry = ledger.record(
            kind="review.opinion_issued",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "outcome": outcome,
                "outcome_label": str(Outcome(outcome).label),
                "source": source,
                "reasons": reasons,
                "amend_points": amend_points,
                "transfer_to": transfer_to,
                "checklist": checklist,
                "proposal_fingerprint": round_.proposal_fingerprint,
                "document": {"sm3": blob.sm3, "sha256": blob.sha256, "media_type": blob.media_type},
                "overdue": overdue,
                "at": _iso(now),
            },
            blobs=[blob],
        )
        opinion = Opinion.objects.create(
            round=round_,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
            checklist=checklist,
            document_sm3=blob.sm3,
            by=actor,
            at=now,
            overdue=overdue,
            ledger_seq=entry.seq,
        )
        case = Case.objects.select_for_update().get(pk=round_.review.case_id)
        if case.stage and case.stage == _review_stage(case) and not case.sealed:
            # The reviewer is not one of the case's officers: the opinion goes on the case record
            # through the cases app's public service for records another app writes (APP_RECORDS).
            case_services.record_add_from_app(
                actor=actor,
                case=case,
                kind="review_opinion",
                payload={"content": f"{Outcome(outcome).label!s}：{reasons}"},
                source_app="review",
                blobs=[blob.sm3],
                reference={
                    "review": str(round_.review.public_id),
                    "round": round_.number,
                    "outcome": outcome,
                },
            )
        round_.status = (
            ReviewRound.Status.PASSED if outcome == Outcome.APPROVE else ReviewRound.Status.SENT_BACK
        )
        round_.concluded_at = now
        round_.save(update_fields=["status", "concluded_at"])
        return opinion


# ---------------------------------------------------------------- time limit (第十一条)


def _granted_days(round_: ReviewRound) -> int:
    ext = Extension.objects.filter(round=round_).select_related("ruling").first()
    if ext is None or not hasattr(ext, "ruling") or not ext.ruling.approved:
        return 0
    return ext.ruling.days


def extension_request(*, actor, round: ReviewRound, days: int, reason: str) -> Extension:
    """案件复杂的 the reviewer asks for more working days, once, up to the registry's limit (第十一条)."""
    _require_reviewer(actor, round)
    cap = review_extension_rule(round, timezone.localdate())
    src = cap.citation
    errors = []
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= cap.days:
        errors.append(FieldError("days", "extension_cap", f"延长天数: 应为1至{cap.display_value}（{src}）"))
    if not (reason or "").strip():
        errors.append(FieldError("reason", "required", f"延长理由: 须说明案件复杂的情况（{src}）"))
    if errors:
        raise InvalidInput(errors)
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        existing = Extension.objects.filter(round=round_).first()
        if existing is not None:
            if existing.days == days and existing.requested_by_id == actor.pk:
                return existing
            raise _refused("days", "extend_once", f"审核期限只能延长一次（{src}）", "extend_once")
        if round_.status not in ReviewRound.OPEN:
            raise _refused("round", "not_open", "本轮审核已完毕")
        entry = ledger.record(
            kind="review.extension_requested",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "days": days,
                "reason": reason.strip(),
                "due": round_.due_date.isoformat(),
                "at": _iso(now),
            },
        )
        return Extension.objects.create(
            round=round_, days=days, reason=reason.strip(), requested_by=actor, at=now, ledger_seq=entry.seq
        )


def extension_rule(
    *, actor, extension: Extension, approved: bool, days: int | None = None, note: str = ""
) -> ExtensionRuling:
    """The head approves (up to the days asked, at most 5) or refuses the extension (第十一条)."""
    src = f"{SB}第十一条"
    _require_head(actor, extension.round.review.agency_id, f"延长审核期限（{src}）")
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(extension.round)
        existing = ExtensionRuling.objects.filter(extension=extension).first()
        if existing is not None:
            if existing.approved == bool(approved):
                return existing
            raise _refused("approved", "ruled", "负责人已对该延期申请作出决定", "ruled")
        granted = extension.days if days is None else days
        if approved and (
            not isinstance(granted, int) or isinstance(granted, bool) or not 1 <= granted <= extension.days
        ):
            raise InvalidInput(
                [
                    FieldError(
                        "days", "extension_cap", f"批准延长天数: 应为1至{extension.days}个工作日（{src}）"
                    )
                ]
            )
        if round_.status not in ReviewRound.OPEN:
            raise _refused("round", "not_open", "本轮审核已完毕")
        old_due = round_.due_date
        if approved:
            _deadline(round_, round_.complete_at or round_.submitted_at, granted)
            round_.start_date = round_.start_date  # the period still runs from the complete submission
        entry = ledger.record(
            kind="review.extension_ruled",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "approved": bool(approved),
                "days": granted if approved else 0,
                "note": note,
                "previous_due": old_due.isoformat(),
                "due": round_.due_date.isoformat(),
                "at": _iso(now),
            },
        )
        ruling = ExtensionRuling.objects.create(
            extension=extension,
            approved=bool(approved),
            days=granted if approved else 0,
            note=note,
            head=actor,
            at=now,
            ledger_seq=entry.seq,
        )
        if approved:
            round_.save(update_fields=DEADLINE_FIELDS)
        return ruling


# ---------------------------------------------------------------- disagreement (第十二条)


def disagreement_raise(*, actor, round: ReviewRound, handler_opinion: str, consultation: str) -> Disagreement:
    """The handling unit, having consulted the legal office without agreement, sends both opinions to
    the head (第十二条)."""
    src = f"{SB}第十二条"
    case = round.review.case
    if not is_handler(actor, case):
        raise Forbidden(f"异议: 只能由本案承办机构提出（{src}）")
    errors = []
    if not (handler_opinion or "").strip():
        errors.append(FieldError("handler_opinion", "required", f"承办机构意见: 必须填写（{src}）"))
    if not (consultation or "").strip():
        errors.append(
            FieldError("consultation", "required", f"协商沟通情况: 有异议的应先与法制机构协商沟通（{src}）")
        )
    if errors:
        raise InvalidInput(errors)
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        existing = Disagreement.objects.filter(round=round_).first()
        if existing is not None:
            return existing
        if round_.status != ReviewRound.Status.SENT_BACK:
            raise _refused("round", "no_opinion_to_contest", f"只能对未同意的审核意见提出异议（{src}）")
        opinion = round_.opinion
        entry = ledger.record(
            kind="review.disagreement_raised",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "review_opinion": {"outcome": opinion.outcome, "reasons": opinion.reasons},
                "handler_opinion": handler_opinion.strip(),
                "consultation": consultation.strip(),
                "at": _iso(now),
            },
        )
        d = Disagreement.objects.create(
            round=round_,
            handler_opinion=handler_opinion.strip(),
            consultation=consultation.strip(),
            raised_by=actor,
            at=now,
            ledger_seq=entry.seq,
        )
        round_.status = ReviewRound.Status.DISPUTED
        round_.save(update_fields=["status"])
        return d


def disagreement_rule(*, actor, disagreement: Disagreement, side: str, note: str) -> DisagreementRuling:
    """The head decides with both opinions before them (第十二条). Siding with the handling unit
    settles the review in its favour (the round counts as passed); siding with the legal office
    sends the case back."""
    src = f"{SB}第十二条"
    _require_head(actor, disagreement.round.review.agency_id, f"审核分歧（{src}）")
    if side not in DisagreementRuling.Side.values:
        raise InvalidInput([FieldError("side", "choice", "处理决定: 应为采纳法制机构意见或采纳承办机构意见")])
    if not (note or "").strip():
        raise InvalidInput([FieldError("note", "required", f"理由: 负责人处理意见须写明理由（{src}）")])
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(disagreement.round)
        existing = DisagreementRuling.objects.filter(disagreement=disagreement).first()
        if existing is not None:
            if existing.side == side:
                return existing
            raise _refused("side", "ruled", "负责人已对该分歧作出决定", "ruled")
        if round_.status != ReviewRound.Status.DISPUTED:
            raise _refused("round", "not_disputed", "本轮没有待处理的分歧")
        opinion = round_.opinion
        entry = ledger.record(
            kind="review.disagreement_ruled",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "side": side,
                "note": note.strip(),
                "review_opinion": {"outcome": opinion.outcome, "reasons": opinion.reasons},
                "handler_opinion": disagreement.handler_opinion,
                "at": _iso(now),
            },
        )
        ruling = DisagreementRuling.objects.create(
            disagreement=disagreement, side=side, note=note.strip(), head=actor, at=now, ledger_seq=entry.seq
        )
        round_.status = (
            ReviewRound.Status.PASSED
            if side == DisagreementRuling.Side.HANDLER
            else ReviewRound.Status.SENT_BACK
        )
        round_.save(update_fields=["status"])
        return ruling


# ---------------------------------------------------------------- collective discussion (第十三条)


def discussion_record(
    *,
    actor,
    round: ReviewRound,
    held_on: dt.date,
    presided_by: str,
    participants: list[str],
    minutes: str,
    conclusion: str,
) -> CollectiveDiscussion:
    """The head records the leaders' collective discussion after a passed review (第十三条); when
    the case waits in its 集体讨论 stage, the minutes also go on the case record."""
    src = f"{SB}第十三条"
    _require_head(actor, round.review.agency_id, f"集体讨论记录（{src}）")
    participants = [str(p).strip() for p in participants or [] if str(p).strip()]
    errors = []
    if not (presided_by or "").strip():
        errors.append(FieldError("presided_by", "required", f"主持人: 必须填写（{src}）"))
    if len(participants) < 2:
        errors.append(
            FieldError("participants", "collective", f"参加人员: 集体讨论应有机关负责人二人以上参加（{src}）")
        )
    if not (minutes or "").strip():
        errors.append(FieldError("minutes", "required", f"讨论记录: 必须填写（{src}）"))
    if not (conclusion or "").strip():
        errors.append(FieldError("conclusion", "required", f"讨论决定: 必须填写（{src}）"))
    now = clock.now()
    if not isinstance(held_on, dt.date) or held_on > timezone.localdate(now):
        errors.append(FieldError("held_on", "not_future", "讨论日期: 不能晚于今天"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        round_ = _lock_round(round)
        existing = CollectiveDiscussion.objects.filter(round=round_).first()
        if existing is not None:
            return existing
        if round_.status != ReviewRound.Status.PASSED:
            raise _refused(
                "round", "review_not_passed", f"法制审核未通过的，不得提交集体讨论作出决定（{src}）"
            )
        payload = {
            "round": round_.number,
            "held_on": held_on.isoformat(),
            "presided_by": presided_by.strip(),
            "participants": participants,
            "minutes": minutes.strip(),
            "conclusion": conclusion.strip(),
            "at": _iso(now),
        }
        entry = ledger.record(
            kind="review.discussion_recorded", subject=_subject(round_.review), actor=actor, payload=payload
        )
        d = CollectiveDiscussion.objects.create(
            round=round_,
            held_on=held_on,
            presided_by=presided_by.strip(),
            participants=participants,
            minutes=minutes.strip(),
            conclusion=conclusion.strip(),
            recorded_by=actor,
            at=now,
            ledger_seq=entry.seq,
        )
        case = round_.review.case
        case.refresh_from_db(fields=["stage"])
        if case.stage == "collective_discussion":
            case_services.record_add(
                actor=actor,
                case=case,
                kind="collective_discussion_minutes",
                payload={
                    "content": f"{presided_by.strip()}主持，{'、'.join(participants)}参加。{conclusion.strip()}"
                },
            )
        return d


# ---------------------------------------------------------------- overdue sweep (第十一条)


def overdue_sweep() -> int:
    """Record one ``review.overdue`` alert per round past its due date (natural key: round and due
    date), for the head and the supervisors. Returns how many alerts were written."""
    today = timezone.localdate()
    written = 0
    for r in ReviewRound.objects.filter(
        status=ReviewRound.Status.REVIEWING, due_date__lt=today
    ).select_related("review"):
        subject = ("review.review", str(r.review.public_id))
        with transaction.atomic():
            already = Entry.objects.filter(
                kind="review.overdue", subject_type=subject[0], subject_id=subject[1]
            )
            key = {"round": r.number, "due": r.due_date.isoformat()}
            if any({k: e.fields["payload"].get(k) for k in key} == key for e in already):
                continue
            ledger.record(
                kind="review.overdue",
                subject=subject,
                actor="system:review-sweep",
                payload={**key, "agency": r.review.agency.name, "source": f"{SB}第十一条"},
            )
            written += 1
    return written
