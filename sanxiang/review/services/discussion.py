"""Disagreement and collective discussion (审核办法 第十二条、第十三条)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.cases import clock
from sanxiang.cases import services as case_services
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.review import flow
from sanxiang.review.models import (
    SB,
    CollectiveDiscussion,
    Disagreement,
    DisagreementRuling,
    ReviewRound,
)
from sanxiang.review.services.common import _iso, _lock_round, _refused, _require_head, _subject, is_handler

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
        flow.move(round_, ReviewRound.Status.DISPUTED)
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
        flow.move(
            round_,
            ReviewRound.Status.PASSED
            if side == DisagreementRuling.Side.HANDLER
            else ReviewRound.Status.SENT_BACK,
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
