"""The engine: reads a ProcedureDefinition and a CaseContext, answers what may happen next, what
is missing and when things are due. It keeps no state; the cases app owns the case and builds the
context from its records, events and facts.

Typical use by the cases app::

    defn = registry.get("penalty_general")
    unmet = check_transition(defn, case.stage, "decide", ctx)
    if unmet:
        raise TransitionRefused([u.as_field_error() for u in unmet])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sanxiang.errors import FieldError, TransitionRefused
from sanxiang.procedures.definitions import (
    UNIT_LABELS,
    LimitKind,
    Pause,
    ProcedureDefinition,
    Requirement,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.guards import GUARDS

RECORDING_LIST_SOURCE = "本机关音像记录事项清单"


@dataclass(frozen=True)
class CaseContext:
    """What the engine may know about a case.

    records: record key -> how many such records exist.
    av_records: record keys for which audio/video is attached.
    extra_av: record keys the agency's 音像记录事项清单 adds to the statutory minimum
        (``catalog.services.recording_required_records``).
    events: event key -> date, or aware datetime (needed for hour-based limits).
    facts: named facts, see ``guards.FACTS``.
    today: the local date for "overdue"; defaults to today in Asia/Shanghai.
    extensions: time-limit key -> extra days granted (only for extendable limits).
    occurrences: event key -> every time it happened, in order (pauses can repeat); an event
        missing here counts once, at its time in ``events``.
    """

    records: Mapping[str, int] = field(default_factory=dict)
    av_records: frozenset[str] = frozenset()
    extra_av: frozenset[str] = frozenset()
    events: Mapping[str, dt.date | dt.datetime] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    today: dt.date | None = None
    now: dt.datetime | None = None
    extensions: Mapping[str, int] = field(default_factory=dict)
    occurrences: Mapping[str, tuple[dt.date | dt.datetime, ...]] = field(default_factory=dict)
    region: str | None = None  # the agency's 行政区划代码: periods from the rules registry resolve for it

    def happened(self, event: str) -> tuple[dt.date | dt.datetime, ...]:
        if event in self.occurrences:
            return tuple(self.occurrences[event])
        return (self.events[event],) if event in self.events else ()

    def has(self, record_key: str) -> bool:
        return int(self.records.get(record_key, 0)) > 0

    def local_today(self) -> dt.date:
        return self.today or timezone.localdate()

    def local_now(self) -> dt.datetime:
        return self.now or timezone.now()


@dataclass(frozen=True)
class Unmet:
    """One unmet requirement of a transition, with its legal source."""

    field: str
    rule: str
    message: str
    source: str

    def as_field_error(self) -> FieldError:
        return FieldError(field=self.field, rule=self.rule, message=self.message)


@dataclass(frozen=True)
class PausedSpan:
    """One span not counted in a time limit: from ``start`` to ``end`` (None while it lasts)."""

    pause: Pause
    start: dt.date
    end: dt.date | None
    days: int  # days of the limit's unit not counted (a day shared with an earlier span counts once)

    @property
    def source(self) -> str:
        return self.pause.source


# The one place the states of ``DeadlineStatus`` get their Chinese names (staff pages, home page,
# API ``state_label``); BAD_STATES are shown with the ``.bad`` style.
DEADLINE_STATE_LABELS: dict[str, str] = {
    "not_started": "未开始",
    "running": "进行中",
    "paused": "暂停计算",
    "met": "已按期办结",
    "late": "逾期办结",
    "overdue": "已逾期",
    "lapsed": "当事人逾期未行使",
    "too_early": "未到最早日期",
    "not_applicable": "本案不适用",
}
BAD_STATES = frozenset({"overdue", "late", "too_early"})


def deadline_state_label(state: str) -> str:
    """The Chinese name of a deadline state (``DEADLINE_STATE_LABELS``)."""
    return DEADLINE_STATE_LABELS[state]


@dataclass(frozen=True)
class DeadlineStatus:
    """One time limit of a case.

    state: not_started | running | paused | met | late | overdue | lapsed | too_early | not_applicable
      - agency deadlines: running → met, or overdue (today after due) → late when done after due;
        paused while a span the law does not count is open (``TimeLimit.pauses``);
      - party windows: running → met, or lapsed (the party did not act in time) / late;
      - minimum notice: running (the earliest allowed day is ``due``) → met, or too_early.
    """

    limit: TimeLimit
    started: dt.date | dt.datetime | None
    due: dt.date | dt.datetime | None
    done: dt.date | dt.datetime | None
    state: str
    provisional: bool = False
    extended_by: int = 0
    pauses: tuple[PausedSpan, ...] = ()
    days: int | None = None  # the period as it applies to this case (the registry's value, or the limit's)

    @property
    def period_label(self) -> str:
        if self.days is None:
            return self.limit.period_label
        return f"{self.days}{UNIT_LABELS[self.limit.unit]}"

    @property
    def paused_days(self) -> int:
        """Days (in the limit's unit) not counted in the period; the due date is later by as many."""
        return sum(p.days for p in self.pauses)

    @property
    def key(self) -> str:
        return self.limit.key

    @property
    def source(self) -> str:
        return self.limit.source

    @property
    def state_label(self) -> str:
        return deadline_state_label(self.state)

    @property
    def is_bad(self) -> bool:
        return self.state in BAD_STATES


# --- transitions ---


def _applies(req: Requirement, defn: ProcedureDefinition, ctx: CaseContext) -> bool:
    return not req.when or GUARDS[req.when].predicate(ctx, defn)


def _requirements(defn: ProcedureDefinition, transition_key: str) -> list[Requirement]:
    t = defn.transition(transition_key)
    reqs = [] if t.skip_stage_requirements else list(defn.stage(t.source).requires)
    return reqs + list(t.requires)


def check_transition(
    definition: ProcedureDefinition, state: str, transition_key: str, context: CaseContext
) -> list[Unmet]:
    """Every unmet requirement of moving by ``transition_key`` from ``state``; [] means allowed."""
    defn = definition
    try:
        t = defn.transition(transition_key)
    except KeyError:
        return [
            Unmet(
                "transition",
                "unknown_transition",
                f"办理环节: 程序“{defn.name}”中没有“{transition_key}”",
                defn.source,
            )
        ]
    if t.source != state:
        try:
            current = defn.stage(state).name
        except KeyError:
            current = state
        return [
            Unmet(
                "stage",
                "wrong_stage",
                f"办理环节: 当前处于“{current}”，不能办理“{t.name}”（须处于“{defn.stage(t.source).name}”）",
                defn.source,
            )
        ]
    unmet: list[Unmet] = []
    records = defn.records()
    for req in _requirements(defn, transition_key):
        if not _applies(req, defn, context):
            continue
        if any(context.has(k) for k in req.records):
            continue
        names = "或".join(records[k].name for k in req.records)
        unmet.append(
            Unmet(
                f"records.{req.records[0]}",
                "record_required",
                f"{req.label or names}: 尚未制作（{req.source}）",
                req.source,
            )
        )
    # Audio/video: every record made in this stage that the law or the agency's list says needs it.
    for spec in defn.stage(t.source).records:
        if not context.has(spec.key) or spec.key in context.av_records:
            continue
        if spec.av_required:
            source = spec.av_source
        elif spec.key in context.extra_av:
            source = RECORDING_LIST_SOURCE
        else:
            continue
        unmet.append(
            Unmet(f"records.{spec.key}.av", "av_required", f"{spec.name}: 须同步音像记录（{source}）", source)
        )
    for g in t.guards:
        guard = GUARDS[g]
        if not guard.predicate(context, defn):
            unmet.append(
                Unmet(
                    f"guards.{g}",
                    g,
                    f"{guard.describe(region=context.region, on=context.local_today())}: 未满足（{guard.source}）",
                    guard.source,
                )
            )
    return unmet


def ensure_transition(
    definition: ProcedureDefinition, state: str, transition_key: str, context: CaseContext
) -> None:
    """Raise TransitionRefused (409) naming every unmet requirement and its source; None when allowed."""
    unmet = check_transition(definition, state, transition_key, context)
    if unmet:
        raise TransitionRefused([u.as_field_error() for u in unmet])


def transition_options(
    definition: ProcedureDefinition, state: str, context: CaseContext
) -> list[tuple[Any, list[Unmet]]]:
    """Every transition out of ``state`` with what it still lacks."""
    return [(t, check_transition(definition, state, t.key, context)) for t in definition.outgoing(state)]


def available_transitions(definition: ProcedureDefinition, state: str, context: CaseContext) -> list[Any]:
    """The transitions out of ``state`` whose every requirement and guard is met."""
    return [t for t, unmet in transition_options(definition, state, context) if not unmet]


# --- time limits ---


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def period_due(
    limit: TimeLimit,
    start: dt.date | dt.datetime,
    *,
    extra_days: int = 0,
    region: str | None = None,
    base_days: int | None = None,
) -> tuple[dt.date | dt.datetime, bool]:
    """(due, provisional) of ``limit`` counted from ``start``; the start day itself is not counted.
    The period is ``base_days``, else the limit's for ``region`` on the start day."""
    if base_days is None:
        base_days = limit.days_for(region=region, on=_as_date(start))
    days = base_days + extra_days
    if limit.unit == Unit.HOURS:
        return _as_datetime(start) + dt.timedelta(hours=days), False
    from sanxiang.workdays.services import add_natural_days, add_working_days

    adder = add_working_days if limit.unit == Unit.WORKING else add_natural_days
    deadline = adder(_as_date(start), days)
    return deadline.due, bool(deadline.provisional)


def _pause_spans(
    limit: TimeLimit, ctx: CaseContext, start: dt.date | dt.datetime, done: dt.date | dt.datetime | None
) -> list[tuple[Pause, dt.date, dt.date | None]]:
    """(pause, start day, end day or None) of every span of ``limit``'s pauses that opened after the
    period started (and, if it is done, not after it was done), in order of their start."""
    first = _as_date(start)
    last = _as_date(done) if done is not None else None
    spans: list[tuple[Pause, dt.date, dt.date | None]] = []
    for pause in limit.pauses:
        ends = sorted(_as_date(e) for e in ctx.happened(pause.ends))
        open_until: dt.date | None = None
        for opened in sorted(_as_date(s) for s in ctx.happened(pause.starts)):
            if opened < first or (last is not None and opened > last):
                continue
            if open_until is not None and opened <= open_until:
                continue  # already paused
            closed = next((e for e in ends if e >= opened), None)
            if last is not None and (closed is None or closed > last):
                closed = last  # the limit was met while paused: the pause ends with it
            spans.append((pause, opened, closed))
            if closed is None:
                break
            open_until = closed
    return sorted(spans, key=lambda span: span[1])


def _paused(
    limit: TimeLimit,
    ctx: CaseContext,
    start: dt.date | dt.datetime,
    done: dt.date | dt.datetime | None,
    extra: int,
) -> tuple[dt.date | dt.datetime, bool, tuple[PausedSpan, ...]]:
    """(due, provisional, spans): the due date once the spans not counted are added back."""
    from sanxiang.workdays.services import is_working_day

    excluded: set[dt.date] = set()
    spans: list[PausedSpan] = []
    today = ctx.local_today()
    base = limit.days_for(region=ctx.region, on=_as_date(start))
    due, provisional = period_due(limit, start, extra_days=extra, base_days=base)
    for pause, opened, closed in _pause_spans(limit, ctx, start, done):
        if opened >= due:
            continue  # the period had run out before the pause began
        last = closed if closed is not None else max(today, opened)
        days = {opened + dt.timedelta(days=i) for i in range(1, (last - opened).days + 1)}
        if limit.unit == Unit.WORKING:
            days = {d for d in days if is_working_day(d)}
        new = days - excluded
        excluded |= new
        spans.append(PausedSpan(pause, opened, closed, len(new)))
        due, provisional = period_due(limit, start, extra_days=extra + len(excluded), base_days=base)
    return due, provisional, tuple(spans)


def deadline_for_limit(defn: ProcedureDefinition, limit: TimeLimit, ctx: CaseContext) -> DeadlineStatus:
    start = ctx.events.get(limit.start)
    done = ctx.events.get(limit.until)
    extra = int(ctx.extensions.get(limit.key, 0))
    if extra and not limit.extendable:
        raise ValueError(f"time limit {limit.key!r} of {defn.key!r} cannot be extended")
    if limit.when and not GUARDS[limit.when].predicate(ctx, defn):
        return DeadlineStatus(limit, None, None, done, "not_applicable")
    if start is None:
        return DeadlineStatus(limit, None, None, done, "not_started")
    days = limit.days_for(region=ctx.region, on=_as_date(start))
    due, provisional, spans = _paused(limit, ctx, start, done, extra)
    hours = limit.unit == Unit.HOURS

    def on_time(when: dt.date | dt.datetime) -> bool:
        return _as_datetime(when) <= due if hours else _as_date(when) <= due

    def passed() -> bool:
        return ctx.local_now() > due if hours else ctx.local_today() > due

    if limit.kind == LimitKind.MINIMUM_NOTICE:
        if done is None:
            state = "running"
        else:
            ok = _as_datetime(done) >= due if hours else _as_date(done) >= due
            state = "met" if ok else "too_early"
    elif done is not None:
        state = "met" if on_time(done) else "late"
    elif any(span.end is None for span in spans):
        state = "paused"
    elif passed():
        state = "lapsed" if limit.kind == LimitKind.PARTY_WINDOW else "overdue"
    else:
        state = "running"
    return DeadlineStatus(limit, start, due, done, state, provisional, extra, spans, days)


def deadlines_for(definition: ProcedureDefinition, context: CaseContext) -> list[DeadlineStatus]:
    """The status of every time limit of ``definition`` for the case described by ``context``."""
    return [deadline_for_limit(definition, limit, context) for limit in definition.time_limits]
