"""The legal review gate, who may act and the assignment of reviewers (《松原市重大行政执法决定法制审核办法》第四、五、十五条)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.cases.context import load
from sanxiang.cases.models import ApprovalStep, Case
from sanxiang.errors import FieldError, Forbidden, TransitionRefused
from sanxiang.ledger import services as ledger
from sanxiang.registry.models import ReviewerRegistration
from sanxiang.review.models import (
    SB,
    Assignment,
    Review,
    ReviewRound,
)

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
