"""The time limit and its extension (审核办法 第十一条)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sanxiang.cases import clock
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.review.models import (
    SB,
    Extension,
    ExtensionRuling,
    ReviewRound,
)
from sanxiang.review.services.common import (
    _iso,
    _lock_round,
    _refused,
    _require_head,
    _require_reviewer,
    _subject,
)
from sanxiang.review.services.submission import DEADLINE_FIELDS, _deadline, review_extension_rule

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
