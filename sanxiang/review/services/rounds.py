"""Changes during a round: reassignment, advisers, materials asked for and supplied (审核办法 第六条第二款、第九条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.cases import clock
from sanxiang.cases.models import CaseRecord
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.ledger.access import access_record
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import ReviewerRegistration
from sanxiang.review import flow
from sanxiang.review.models import (
    SB,
    Assignment,
    MaterialRequest,
    MaterialSupplement,
    ReviewRound,
)
from sanxiang.review.services.common import (
    INDEPENDENCE_SOURCE,
    _assign,
    _iso,
    _lock_round,
    _refused,
    _registration_user,
    _require_reviewer,
    _subject,
    current_reviewer,
    eligible_reviewers,
    is_handler,
)
from sanxiang.review.services.submission import DEADLINE_FIELDS, _blobs_checked, _deadline, _record_ref
from sanxiang.review.services.time_limit import _granted_days

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
        flow.move(round_, ReviewRound.Status.MATERIALS_REQUESTED)
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
        flow.move(round_, ReviewRound.Status.REVIEWING)
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
