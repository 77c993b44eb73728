"""The internal approval chain: 承办人 → 审核人 → 批准人 (《松原市行政执法全过程记录实施办法》第三十八条)."""

from __future__ import annotations

from django.db import transaction

from sanxiang.accounts.roles import Role
from sanxiang.cases import clock
from sanxiang.cases.context import load
from sanxiang.cases.models import (
    Approval,
    ApprovalStep,
    Case,
)
from sanxiang.cases.services.common import JL, _iso, _lock, _require_actor, _subject, sealed_error
from sanxiang.cases.services.records import _owed_records, _write_record
from sanxiang.cases.specs import (
    is_approval_record,
)
from sanxiang.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sanxiang.ledger import services as ledger

# ---------------------------------------------------------------- approvals (记录办法 第三十八条)


def _step(*, approval: Approval, role: str, actor, agree: bool, opinion: str, now) -> ApprovalStep:
    entry = ledger.record(
        kind="cases.approval.step",
        subject=_subject(approval.case),
        actor=actor,
        payload={
            "approval": str(approval.public_id),
            "kind": approval.kind,
            "role": role,
            "name": str(actor),
            "agree": agree,
            "opinion": opinion,
            "at": _iso(now),
        },
    )
    return ApprovalStep.objects.create(
        approval=approval,
        role=role,
        user=actor,
        name=str(actor),
        agree=agree,
        opinion=opinion,
        at=now,
        ledger_seq=entry.seq,
    )


def approval_submit(*, actor, case: Case, kind: str, reason: str, opinion: str) -> Approval:
    """承办人 proposes (his opinion and reasons); the approval then waits for the 审核人."""
    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        view = load(case, now=now)
        spec = view.defn.records().get(kind)
        if spec is None or not is_approval_record(case.procedure, kind):
            raise InvalidInput([FieldError("kind", "approval_kind", "审批事项: 本程序没有该审批")])
        stage = view.defn.stage(case.stage)
        if kind not in {r.key for r in stage.records} and kind not in _owed_records(view):
            raise TransitionRefused(
                [FieldError("kind", "record_not_in_stage", f"{spec.name}: 不是“{stage.name}”环节的审批")],
                code="record_refused",
                title="当前环节不能提请该审批",
            )
        if actor.officer_id is None or not case.case_officers.filter(officer_id=actor.officer_id).exists():
            raise Forbidden(f"承办人: 应为本案办案人员（{JL}第三十八条）")
        if case.approvals.filter(
            kind=kind, status__in=[Approval.Status.REVIEWING, Approval.Status.APPROVING]
        ).exists():
            raise TransitionRefused(
                [FieldError("kind", "approval_open", f"{spec.name}: 已有审批在办理中")], code="approval_open"
            )
        errors = []
        if not (reason or "").strip():
            errors.append(FieldError("reason", "required", f"理由: 承办人应提出意见和理由（{JL}第三十八条）"))
        if not (opinion or "").strip():
            errors.append(FieldError("opinion", "required", f"承办人意见: 必须填写（{JL}第三十八条）"))
        if errors:
            raise InvalidInput(errors)
        approval = Approval.objects.create(
            case=case, kind=kind, payload={"reason": reason.strip()}, created_at=now
        )
        _step(
            approval=approval,
            role=ApprovalStep.Role.HANDLER,
            actor=actor,
            agree=True,
            opinion=opinion.strip(),
            now=now,
        )
        return approval


def _approval_locked(approval: Approval) -> tuple[Approval, Case]:
    case = _lock(approval.case)
    return Approval.objects.select_for_update().get(pk=approval.pk), case


def approval_review(*, actor, approval: Approval, agree: bool, opinion: str) -> Approval:
    """审核人 reviews; must not be the 承办人 (《松原市行政执法全过程记录实施办法》第三十八条)."""
    _require_member(actor, approval.case)
    now = clock.now()
    with transaction.atomic():
        approval, _case = _approval_locked(approval)
        if approval.status != Approval.Status.REVIEWING:
            raise TransitionRefused(
                [FieldError("approval", "not_reviewing", "审批: 不在待审核状态")], code="approval_state"
            )
        errors = _opinion_errors(opinion)
        if approval.steps.filter(user=actor).exists():
            errors.append(
                FieldError("actor", "distinct_people", f"审核人: 不能由承办人担任（{JL}第三十八条）")
            )
        if errors:
            raise InvalidInput(errors)
        _step(
            approval=approval,
            role=ApprovalStep.Role.REVIEWER,
            actor=actor,
            agree=bool(agree),
            opinion=opinion.strip(),
            now=now,
        )
        approval.status = Approval.Status.APPROVING if agree else Approval.Status.REJECTED
        approval.save(update_fields=["status"])
        return approval


def approval_decide(*, actor, approval: Approval, agree: bool, opinion: str) -> Approval:
    """批准人 (the agency's head) approves or not; approval writes the approval record to the case."""
    _require_member(actor, approval.case)
    if not actor.has_role(Role.HEAD):
        raise Forbidden(f"批准人: 应为本机关负责人（{JL}第八条、第三十八条）")
    now = clock.now()
    with transaction.atomic():
        approval, case = _approval_locked(approval)
        if approval.status != Approval.Status.APPROVING:
            raise TransitionRefused(
                [FieldError("approval", "not_approving", "审批: 不在待批准状态（须先经审核人审核）")],
                code="approval_state",
            )
        if case.sealed:
            raise sealed_error()
        errors = _opinion_errors(opinion)
        if approval.steps.filter(user=actor).exists():
            errors.append(
                FieldError("actor", "distinct_people", f"批准人: 不能由承办人或审核人担任（{JL}第三十八条）")
            )
        if errors:
            raise InvalidInput(errors)
        step = _step(
            approval=approval,
            role=ApprovalStep.Role.APPROVER,
            actor=actor,
            agree=bool(agree),
            opinion=opinion.strip(),
            now=now,
        )
        if not agree:
            approval.status = Approval.Status.REJECTED
            approval.save(update_fields=["status"])
            return approval
        steps = {s.role: s for s in approval.steps.all()}
        payload = {
            "reason": approval.payload.get("reason", ""),
            **{role: {"name": s.name, "opinion": s.opinion, "at": _iso(s.at)} for role, s in steps.items()},
        }
        record = _write_record(
            actor=actor,
            case=case,
            kind=approval.kind,
            payload=payload,
            made_at=step.at,
            now=now,
            extra={"approval": str(approval.public_id)},
        )
        approval.status = Approval.Status.APPROVED
        approval.record = record
        approval.save(update_fields=["status", "record"])
        return approval


def _require_member(actor, case: Case) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.agency_id == case.agency_id):
        raise Forbidden("只有本机关工作人员可以审核、批准")


def _opinion_errors(opinion: str) -> list[FieldError]:
    if not (opinion or "").strip():
        return [FieldError("opinion", "required", f"意见: 必须填写（{JL}第三十八条）")]
    return []
