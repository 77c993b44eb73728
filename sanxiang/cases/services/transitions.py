"""Stage changes and extensions of time limits, checked by the procedure engine."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sanxiang.accounts.roles import Role
from sanxiang.cases import clock, deadlines, decisions
from sanxiang.cases.context import context_of, load
from sanxiang.cases.models import (
    Case,
    CaseEvent,
)
from sanxiang.cases.services.common import _iso, _lock, _require_actor, _subject, can_act, sealed_error
from sanxiang.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sanxiang.ledger import services as ledger
from sanxiang.procedures.engine import check_transition, deadline_for_limit

# ---------------------------------------------------------------- transitions


def _move(
    *, actor, case: Case, key: str, note: str, now: dt.datetime, idempotency_key: str = ""
) -> CaseEvent:
    view = load(case, now=now)
    defn = view.defn
    unmet = check_transition(defn, case.stage, key, context_of(view))
    if unmet:
        raise TransitionRefused([u.as_field_error() for u in unmet])
    t = defn.transition(key)
    target = defn.stage(t.target)
    seals = target.terminal and not target.records
    entry = ledger.record(
        kind="cases.stage.changed",
        subject=_subject(case),
        actor=actor,
        payload={
            "transition": t.key,
            "name": t.name,
            "from": t.source,
            "to": t.target,
            "event": t.event,
            "note": note,
            "at": _iso(now),
            "seals_case": seals,
        },
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        transition=t.key,
        from_stage=t.source,
        to_stage=t.target,
        event=t.event,
        note=note,
        at=now,
        actor=actor,
        idempotency_key=idempotency_key,
        ledger_seq=entry.seq,
    )
    case.stage = t.target
    case.stage_changed_at = now
    fields = ["stage", "stage_changed_at"]
    if seals:
        case.sealed_at = now
        fields.append("sealed_at")
    case.save(update_fields=fields)
    # A decision made final here is written as its own row and goes to the installed hooks (the 公示
    # duty) in this transaction: a hook that refuses refuses the transition, and nothing is written.
    decisions.decision_make(view, transition=t.key, actor=actor)
    deadlines.refresh(load(case, now=now))
    return event


def case_transition(
    *, actor, case: Case, transition: str, note: str = "", idempotency_key: str = ""
) -> CaseEvent:
    """Move the case by ``transition`` of its procedure; refused (409) with every unmet requirement
    and its source. The stage change and its ledger entry commit together."""
    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if idempotency_key:
            existing = case.events.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.transition != transition:
                    raise InvalidInput(
                        [FieldError("Idempotency-Key", "idempotency_conflict", "幂等键已用于另一办理事项")]
                    )
                return existing
        if case.sealed:
            raise sealed_error()
        return _move(
            actor=actor,
            case=case,
            key=transition,
            note=(note or "").strip(),
            now=now,
            idempotency_key=idempotency_key,
        )


def case_extend(*, actor, case: Case, limit: str, days: int, reason: str, basis: str = "") -> CaseEvent:
    """Extend an extendable time limit with the head's approval (e.g. 行政处罚法 第六十条)."""
    if not (can_act(actor, case) and actor.has_role(Role.HEAD)):
        raise Forbidden("延长办案期限须经本机关负责人批准")
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        view = load(case, now=now)
        errors: list[FieldError] = []
        try:
            tl = view.defn.time_limit(limit)
        except KeyError:
            raise InvalidInput([FieldError("limit", "limit_unknown", "期限: 本程序没有该期限")]) from None
        if not tl.extendable:
            errors.append(FieldError("limit", "not_extendable", f"{tl.name}: 依法不能延长（{tl.source}）"))
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            errors.append(FieldError("days", "positive", "延长天数: 应为正整数"))
        else:
            cap = None
            if tl.extension_rule:
                from sanxiang.rules.selectors import rule_for

                cap = rule_for(tl.extension_rule, region=case.agency.region_code, on=view.today).value
            if isinstance(cap, int) and view.extensions.get(limit, 0) + days > cap:
                errors.append(
                    FieldError(
                        "days", "extension_cap", f"延长天数: 累计不得超过{cap}日（{tl.extension_source}）"
                    )
                )
        if not (reason or "").strip():
            errors.append(FieldError("reason", "required", "延长理由: 必须填写"))
        if tl.extension_needs_basis and not (basis or "").strip():
            errors.append(
                FieldError(
                    "basis", "required", f"延长依据: 须写明法律、法规、规章的规定（{tl.extension_source}）"
                )
            )
        if errors:
            raise InvalidInput(errors)
        status = deadline_for_limit(view.defn, tl, context_of(view))
        payload = {
            "limit": limit,
            "days": days,
            "reason": reason.strip(),
            "basis": (basis or "").strip(),
            "previous_due": status.due.isoformat() if status.due else None,
            "at": _iso(now),
        }
        entry = ledger.record(
            kind="cases.limit.extended", subject=_subject(case), actor=actor, payload=payload
        )
        event = CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.EXTENSION,
            payload=payload,
            note=reason.strip(),
            at=now,
            actor=actor,
            ledger_seq=entry.seq,
        )
        deadlines.refresh(load(case, now=now))
        return event
