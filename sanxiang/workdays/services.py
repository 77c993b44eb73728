"""Working days and deadline arithmetic, and the writes that change the calendar.

How periods count (DESIGN.md, rule "how periods count"):

- the day the period runs from is not counted — 民事诉讼法 第八十五条: 期间开始的时和日，不计算在期间内;
- a natural-day period whose last day is a rest day or holiday ends on the next working day —
  民事诉讼法 第八十五条: 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期;
- 行政处罚法 第八十五条: the periods of 二日、三日、五日、七日 are working days (不含法定节假日);
  longer ones are natural days;
- 行政许可法 第八十二条: licensing periods are working days (不含法定节假日).

A working day is Monday to Friday unless the year's data makes it a holiday, or a Saturday or
Sunday that the data makes a 调休 make-up working day. A year without published data counts
weekends only and every result touching it is ``provisional``.

Reads never query the database once a year is cached (see :mod:`sanxiang.workdays.cache`).
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from sanxiang.errors import FieldError, InvalidInput, from_validation_error
from sanxiang.workdays import seeding
from sanxiang.workdays.cache import YearCalendar, invalidate, year_calendar
from sanxiang.workdays.models import (
    CalendarYear,
    CalendarYearRevision,
    DeadlineRecomputation,
    DeadlineUnit,
    SpecialDay,
)
from sanxiang.workdays.seeding import DayRow
from sanxiang.workdays.tracking import TrackedDeadline, recompute_listeners, tracked_deadlines

if TYPE_CHECKING:
    from sanxiang.accounts.models import User

logger = logging.getLogger(__name__)

WORKING = DeadlineUnit.WORKING.value
NATURAL = DeadlineUnit.NATURAL.value

LAW_PENALTY = "penalty"
LAW_LICENSING = "licensing"
# 行政处罚法 第八十五条: 本法中"二日""三日""五日""七日"的规定是指工作日，不含法定节假日。
PENALTY_WORKING_DAY_PERIODS = frozenset({2, 3, 5, 7})

DAYS_RULE = "period_days_positive"
DAYS_MESSAGE = "期间天数: 应为正整数"


@dataclass(frozen=True, slots=True)
class Deadline:
    start: dt.date  # the event date the period runs from (not counted)
    days: int
    unit: str  # "working" or "natural"
    due: dt.date  # last day of the period
    provisional: bool  # True if any year touched has no published holiday data (weekends only)
    calendar_version: str  # the calendar data that computed it, e.g. "2026:3,2027:provisional"


# --- reads ---------------------------------------------------------------------------------------


def _check_date(name: str, value: object) -> None:
    if type(value) is not dt.date and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise InvalidInput([FieldError(name, "local_date", f"{name}: 应为日期（不含时间）")])


def _check_days(days: object) -> None:
    if type(days) is not int or days < 1:
        raise InvalidInput([FieldError("days", DAYS_RULE, DAYS_MESSAGE)])


def _stamp(first_year: int, last_year: int, region: str) -> tuple[bool, str]:
    """(provisional, calendar_version) over the years whose days a computation examined."""
    cals = [year_calendar(y, region) for y in range(first_year, last_year + 1)]
    return any(not c.published for c in cals), ",".join(c.label for c in cals)


def _index(cal: YearCalendar, day: dt.date) -> int:
    return day.toordinal() - cal.first_ordinal


def is_working_day(day: dt.date, *, region: str = "") -> bool:
    """Is ``day`` a working day (in ``region``, when a local arrangement applies)?"""
    _check_date("day", day)
    cal = year_calendar(day.year, region)
    return cal.working[day.toordinal() - cal.first_ordinal] == 1


def add_working_days(start: dt.date, days: int, *, region: str = "") -> Deadline:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    民事诉讼法 第八十五条 (start day not counted); 行政处罚法 第八十五条 and 行政许可法 第八十二条
    (working days exclude statutory holidays and rest days; 调休 make-up days are working days).
    """
    _check_date("start", start)
    _check_days(days)
    cal = year_calendar(start.year, region)
    index = start.toordinal() - cal.first_ordinal
    counted = cal.cumulative[index]  # working days up to and including start
    # The first day examined is the day after start: in the next year when start is 31 December.
    first_year = start.year if index + 1 < len(cal.working) else start.year + 1
    remaining = days
    while remaining > cal.total - counted:
        remaining -= cal.total - counted
        cal = year_calendar(cal.year + 1, region)
        counted = 0
    due = dt.date.fromordinal(cal.first_ordinal + bisect_left(cal.cumulative, counted + remaining))
    if first_year == cal.year:
        return Deadline(start, days, WORKING, due, not cal.published, cal.label)
    provisional, version = _stamp(first_year, cal.year, region)
    return Deadline(start, days, WORKING, due, provisional, version)


def add_natural_days(start: dt.date, days: int, *, region: str = "") -> Deadline:
    """``start`` + ``days`` calendar days; if that last day is a rest day or holiday, the next working day.

    民事诉讼法 第八十五条: 期间开始的日不计算在期间内; 期间届满的最后一日是法定休假日的，
    以法定休假日后的第一日为期间届满的日期.
    """
    _check_date("start", start)
    _check_days(days)
    nominal = start + dt.timedelta(days=days)
    cal = year_calendar(nominal.year, region)
    index = nominal.toordinal() - cal.first_ordinal
    moved = 0
    while not cal.working[index]:
        moved += 1
        index += 1
        if index == len(cal.working):
            cal = year_calendar(cal.year + 1, region)
            index = 0
    due = nominal + dt.timedelta(days=moved) if moved else nominal
    if nominal.year == cal.year:
        return Deadline(start, days, NATURAL, due, not cal.published, cal.label)
    provisional, version = _stamp(nominal.year, cal.year, region)
    return Deadline(start, days, NATURAL, due, provisional, version)


def count_working_days(start: dt.date, end: dt.date, *, region: str = "") -> int:
    """Working days in (start, end]: ``start`` not counted, ``end`` counted. Negative when end < start."""
    _check_date("start", start)
    _check_date("end", end)
    if end < start:
        return -count_working_days(end, start, region=region)
    first = year_calendar(start.year, region)
    last = year_calendar(end.year, region) if end.year != start.year else first
    if first is last:
        return last.cumulative[_index(last, end)] - first.cumulative[_index(first, start)]
    middle = sum(year_calendar(y, region).total for y in range(start.year + 1, end.year))
    return first.total - first.cumulative[_index(first, start)] + middle + last.cumulative[_index(last, end)]


def statutory_unit(days: int, *, law: str) -> str:
    """Whether a statutory period of ``days`` under ``law`` counts working or natural days."""
    if law == LAW_PENALTY:
        # 行政处罚法 第八十五条: 二日、三日、五日、七日 are working days; other periods natural days.
        return WORKING if days in PENALTY_WORKING_DAY_PERIODS else NATURAL
    if law == LAW_LICENSING:
        # 行政许可法 第八十二条: 行政许可的期限以工作日计算，不含法定节假日.
        return WORKING
    # 民事诉讼法 第八十五条: the general rule, natural days.
    return NATURAL


def compute_period(start: dt.date, days: int, *, unit: str, region: str = "") -> Deadline:
    if unit == WORKING:
        return add_working_days(start, days, region=region)
    if unit == NATURAL:
        return add_natural_days(start, days, region=region)
    raise InvalidInput([FieldError("unit", "period_unit", f"计算单位: 应为 {WORKING} 或 {NATURAL}")])


def statutory_period(start: dt.date, days: int, *, law: str, region: str = "") -> Deadline:
    """A statutory period under ``law``: "penalty" (行政处罚法), "licensing" (行政许可法), else natural days."""
    return compute_period(start, days, unit=statutory_unit(days, law=law), region=region)


# --- writes: calendar data -----------------------------------------------------------------------


def _day_rows(calendar_year: CalendarYear) -> list[DayRow]:
    return [
        DayRow(date=d, kind=k, name=n, region_code=r, basis=b)
        for d, k, n, r, b in calendar_year.days.values_list("date", "kind", "name", "region_code", "basis")
    ]


def _enqueue_recompute(years: list[int], reason: str) -> None:
    from sanxiang.workdays.tasks import recompute_deadlines_task

    recompute_deadlines_task.enqueue(years=years, reason=reason)


def calendar_year_record_change(
    *, actor: User | None = None, calendar_year: CalendarYear, note: str = ""
) -> CalendarYearRevision | None:
    """Record the year's current data as a new version, if it differs from the last one.

    Appends a :class:`CalendarYearRevision` (the exact data and its digest), bumps the year's
    ``version``, drops the cached calendar in this process now and again on commit, and on commit
    enqueues the recompute of every stored deadline touching the year. Idempotent: unchanged data
    records nothing.
    """
    with transaction.atomic():
        locked = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
        content = seeding.snapshot(
            year=locked.year,
            status=locked.status,
            notice_number=locked.notice_number,
            source=locked.source,
            days=_day_rows(locked),
        )
        content_digest = seeding.digest(content)
        last = locked.revisions.order_by("-version").first()
        if last is not None and last.digest == content_digest:
            return None
        locked.version = (last.version if last else 0) + 1
        locked.save(update_fields=["version", "updated_at"])
        revision = CalendarYearRevision.objects.create(
            calendar_year=locked,
            version=locked.version,
            status=locked.status,
            notice_number=locked.notice_number,
            source=locked.source,
            snapshot=content,
            digest=content_digest,
            changed_by=actor,
            note=note[:200],
        )
        calendar_year.version = locked.version
        invalidate()
        transaction.on_commit(invalidate)
        transaction.on_commit(
            partial(
                _enqueue_recompute, [locked.year], f"假日安排 {locked.year}:{locked.version} {note}"[:200]
            )
        )
    logger.info("calendar year %s is now version %s (%s)", locked.year, locked.version, locked.status)
    return revision


def _validated(instance: SpecialDay | CalendarYear, *, prefix: str, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=prefix) from exc


def calendar_year_save(
    *,
    actor: User | None = None,
    year: int,
    status: str,
    notice_number: str = "",
    source: str = CalendarYear.Source.MANUAL,
    days: Iterable[DayRow],
    note: str = "",
) -> CalendarYear:
    """Enter or replace a year's national arrangement (a State Council notice) in one transaction.

    ``days`` are the national special days (``region_code`` blank); local overrides already stored
    for the year are kept. Nothing changes when the data is identical (idempotent).
    """
    rows = sorted(days)
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(
            year=year, defaults={"status": status, "notice_number": notice_number, "source": source}
        )
        fields = {"status": status, "notice_number": notice_number, "source": source}
        changed = [name for name, value in fields.items() if getattr(calendar_year, name) != value]
        for name in changed:
            setattr(calendar_year, name, fields[name])
        _validated(calendar_year, prefix="", exclude=["year"])
        if changed:
            calendar_year.save(update_fields=[*changed, "updated_at"])

        existing = {d.date: d for d in calendar_year.days.filter(region_code="")}
        wanted: dict[dt.date, SpecialDay] = {}
        for i, row in enumerate(rows):
            if row.region_code:
                raise InvalidInput(
                    [FieldError(f"days[{i}].region_code", "national_only", "全国安排不得填写行政区划")]
                )
            if row.date in wanted:
                raise InvalidInput([FieldError(f"days[{i}].date", "date_unique", f"日期: {row.date} 重复")])
            day = existing.get(row.date) or SpecialDay(calendar_year=calendar_year, date=row.date)
            day.kind, day.name, day.basis = row.kind, row.name, row.basis
            # Dates are checked unique above and the table's constraint backs it: skip a query per day.
            _validated(day, prefix=f"days[{i}].", exclude=["calendar_year", "region_code"])
            wanted[row.date] = day
        stale = [d.pk for when, d in existing.items() if when not in wanted]
        if stale:
            SpecialDay.objects.filter(pk__in=stale).delete()  # the revision snapshot keeps them
        SpecialDay.objects.bulk_create([d for d in wanted.values() if d.pk is None])
        SpecialDay.objects.bulk_update(
            [d for d in wanted.values() if d.pk is not None], ["kind", "name", "basis"]
        )
        calendar_year_record_change(actor=actor, calendar_year=calendar_year, note=note)
    return calendar_year


def local_day_save(
    *,
    actor: User | None = None,
    region_code: str,
    date: dt.date,
    kind: str,
    name: str,
    basis: str,
    note: str = "",
) -> SpecialDay:
    """Enter or change a jurisdiction's own special day (a local override) for ``region_code``."""
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(year=date.year)
        day = SpecialDay.objects.filter(date=date, region_code=region_code).first() or SpecialDay(
            calendar_year=calendar_year, date=date, region_code=region_code
        )
        day.kind, day.name, day.basis = kind, name, basis
        _validated(day, prefix="")
        day.save()
        calendar_year_record_change(
            actor=actor, calendar_year=calendar_year, note=note or f"地方安排 {region_code}"
        )
    return day


@dataclass(frozen=True)
class SeedReport:
    created: list[int]
    updated: list[int]
    unchanged: list[int]
    kept_manual: list[int]


def seed_from_chinesecalendar(*, actor: User | None = None, years: Iterable[int] | None = None) -> SeedReport:
    """Load the years the installed ``chinesecalendar`` covers. Idempotent.

    A year an administrator has published by hand (source "manual") is kept as entered.
    A notice number already stored is never blanked.
    """
    package = seeding.chinesecalendar_years()
    wanted = sorted(package if years is None else (y for y in years if y in package))
    stored = {c.year: c for c in CalendarYear.objects.filter(year__in=wanted)}
    created: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    kept: list[int] = []
    note = f"chinesecalendar {seeding.package_version()}"
    for year in wanted:
        current = stored.get(year)
        if current is not None and current.source == CalendarYear.Source.MANUAL and current.is_published:
            kept.append(year)
            continue
        before = current.version if current else None
        saved = calendar_year_save(
            actor=actor,
            year=year,
            status=CalendarYear.Status.PUBLISHED,
            notice_number=(current.notice_number if current else "") or seeding.NOTICE_NUMBERS.get(year, ""),
            source=CalendarYear.Source.CHINESECALENDAR,
            days=package[year],
            note=note,
        )
        if before is None:
            created.append(year)
        elif saved.version != before:
            updated.append(year)
        else:
            unchanged.append(year)
    return SeedReport(created=created, updated=updated, unchanged=unchanged, kept_manual=kept)


# --- writes: stored deadlines --------------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeReport:
    examined: int = 0
    changed: int = 0  # rows whose stored deadline (due, provisional or version) changed
    moved: int = 0  # of those, rows whose due date moved

    def __add__(self, other: RecomputeReport) -> RecomputeReport:
        return RecomputeReport(
            self.examined + other.examined, self.changed + other.changed, self.moved + other.moved
        )


def _year_filter(tracked: TrackedDeadline, years: Iterable[int]) -> Q:
    q = Q()
    for year in sorted(set(years)):
        q |= Q(
            **{
                f"{tracked.field('start_date')}__lte": dt.date(year, 12, 31),
                f"{tracked.field('due_date')}__gte": dt.date(year, 1, 1),
            }
        )
    return q


def _recompute_batch(tracked: TrackedDeadline, pks: list, *, reason: str) -> RecomputeReport:
    f = tracked.field
    manager = tracked.model._default_manager
    content_type = ContentType.objects.get_for_model(tracked.model)
    examined = moved = 0
    changed_rows = []
    audits = []
    with transaction.atomic():
        for row in manager.select_for_update().filter(pk__in=pks).order_by("pk"):
            examined += 1
            start, days, unit = (
                getattr(row, f("start_date")),
                getattr(row, f("days")),
                getattr(row, f("unit")),
            )
            old_due, old_provisional, old_version = (
                getattr(row, f("due_date")),
                getattr(row, f("provisional")),
                getattr(row, f("calendar_version")),
            )
            new = compute_period(start, days, unit=unit, region=getattr(row, f("calendar_region")))
            if (new.due, new.provisional, new.calendar_version) == (old_due, old_provisional, old_version):
                continue
            moved += new.due != old_due
            audits.append(
                DeadlineRecomputation(
                    content_type=content_type,
                    object_id=str(row.pk),
                    field_prefix=tracked.prefix,
                    start_date=start,
                    days=days,
                    unit=unit,
                    old_due_date=old_due,
                    new_due_date=new.due,
                    old_provisional=old_provisional,
                    new_provisional=new.provisional,
                    old_calendar_version=old_version,
                    new_calendar_version=new.calendar_version,
                    reason=reason[:200],
                )
            )
            setattr(row, f("due_date"), new.due)
            setattr(row, f("provisional"), new.provisional)
            setattr(row, f("calendar_version"), new.calendar_version)
            changed_rows.append(row)
        if changed_rows:
            manager.bulk_update(changed_rows, [f("due_date"), f("provisional"), f("calendar_version")])
            DeadlineRecomputation.objects.bulk_create(audits)
    return RecomputeReport(examined=examined, changed=len(changed_rows), moved=moved)


def recompute_deadlines(
    *, years: Iterable[int] | None = None, reason: str = "", batch_size: int = 500
) -> RecomputeReport:
    """Recompute stored deadlines of every registered model against the current calendar.

    ``years=None``: every provisional deadline. ``years=[…]``: every deadline whose period touches
    one of those years (provisional or computed from an older version). A row changes only when
    its due date, provisional flag or calendar version differs, and each change appends a
    :class:`DeadlineRecomputation` with the old and new values — so a second run changes nothing.
    """
    year_list = None if years is None else sorted(set(years))
    report = RecomputeReport()
    for tracked in tracked_deadlines():
        queryset = tracked.model._default_manager.all()
        if year_list is None:
            queryset = queryset.filter(**{tracked.field("provisional"): True})
        else:
            queryset = queryset.filter(_year_filter(tracked, year_list))
        last_pk = None
        while True:
            page = queryset.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            pks = list(page.values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            last_pk = pks[-1]
            report += _recompute_batch(tracked, pks, reason=reason)
    for listener in recompute_listeners():  # derived tables (cases' CaseDeadline rows)
        report += listener(years=year_list, reason=reason)
    if report.changed:
        logger.info(
            "recomputed %s of %s stored deadlines (%s moved)", report.changed, report.examined, report.moved
        )
    return report
