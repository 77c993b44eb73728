"""Process-local cache of each year's working days, so a deadline costs no database query.

A year is loaded once (two small queries) into a :class:`YearCalendar`: one flag per day and the
running count of working days, so adding or counting working days is a binary search, not a loop.

Freshness:
- the process that changes a year (admin, ``seed_holidays``, a service) calls :func:`invalidate`
  at once and again when the transaction commits;
- every other process compares the newest :class:`CalendarYearRevision` id with the one it loaded
  at most every ``SANXIANG_WORKDAYS_CACHE_SECONDS`` (default 1 s; 0 checks on every call) and
  drops everything when it moved. A deadline computed in that window carries the old
  ``calendar_version``; the recompute sweep that the change enqueues finds it by that version.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from itertools import accumulate

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from sanxiang.registry.validators import region_contains, region_prefix

MIN_YEAR = 1
MAX_YEAR = 9998  # the year after must still be representable by datetime.date


@dataclass(frozen=True, slots=True)
class YearCalendar:
    year: int
    first_ordinal: int  # date(year, 1, 1).toordinal()
    working: bytes  # working[i] == 1 when day i of the year is a working day
    cumulative: tuple[int, ...]  # cumulative[i] = working days among days 0..i
    total: int  # working days in the year
    published: bool
    label: str  # this year's part of a calendar_version: "2026:3", "2031:provisional"


def build_year(
    year: int,
    *,
    holidays: set[dt.date],
    makeup_workdays: set[dt.date],
    published: bool,
    label: str,
) -> YearCalendar:
    first = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - first).days
    first_ordinal = first.toordinal()
    flags = bytearray(length)
    for i in range(length):
        day = dt.date.fromordinal(first_ordinal + i)
        if day in makeup_workdays:
            flags[i] = 1
        elif day in holidays:
            flags[i] = 0
        else:
            flags[i] = 1 if day.weekday() < 5 else 0
    cumulative = tuple(accumulate(flags))
    return YearCalendar(
        year=year,
        first_ordinal=first_ordinal,
        working=bytes(flags),
        cumulative=cumulative,
        total=cumulative[-1],
        published=published,
        label=label,
    )


def version_label(year: int, *, published: bool, version: int | None) -> str:
    if published:
        return f"{year}:{version}"
    if version is None:
        return f"{year}:provisional"
    return f"{year}:provisional.{version}"


def _load(year: int, region: str) -> YearCalendar:
    from sanxiang.workdays.models import CalendarYear, SpecialDay

    row = CalendarYear.objects.filter(year=year).values("id", "status", "version").first()
    if row is None:
        return build_year(
            year,
            holidays=set(),
            makeup_workdays=set(),
            published=False,
            label=version_label(year, published=False, version=None),
        )
    # Most specific entry for a date wins: national (""), then province, prefecture, county.
    chosen: dict[dt.date, tuple[int, str]] = {}
    for day, kind, code in SpecialDay.objects.filter(calendar_year_id=row["id"]).values_list(
        "date", "kind", "region_code"
    ):
        if code and not (region and region_contains(code, region)):
            continue
        rank = len(region_prefix(code)) if code else 0
        if day not in chosen or rank > chosen[day][0]:
            chosen[day] = (rank, kind)
    published = row["status"] == CalendarYear.Status.PUBLISHED
    return build_year(
        year,
        holidays={d for d, (_, k) in chosen.items() if k == SpecialDay.Kind.HOLIDAY},
        makeup_workdays={d for d, (_, k) in chosen.items() if k == SpecialDay.Kind.MAKEUP_WORKDAY},
        published=published,
        label=version_label(year, published=published, version=row["version"]),
    )


def _current_generation() -> int:
    from sanxiang.workdays.models import CalendarYearRevision

    return CalendarYearRevision.objects.order_by("-id").values_list("id", flat=True).first() or 0


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.years: dict[tuple[int, str], YearCalendar] = {}
        self.generation: int | None = None
        self.next_check_at = float("-inf")

    def clear(self) -> None:
        with self.lock:
            self.years = {}
            self.generation = None
            self.next_check_at = float("-inf")

    def check(self) -> None:
        """Drop every year if another process recorded a calendar change since the last check."""
        now = time.monotonic()
        generation = _current_generation()
        with self.lock:
            if generation != self.generation:
                self.years = {}
                self.generation = generation
            self.next_check_at = now + float(getattr(settings, "SANXIANG_WORKDAYS_CACHE_SECONDS", 1.0))

    def load(self, year: int, region: str) -> YearCalendar:
        # Load into the dict that is current now: if clear() runs meanwhile, this possibly-old
        # load lands in a discarded dict instead of the fresh one.
        years = self.years
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise OverflowError(f"年度 {year} 超出可计算范围")
        loaded = _load(year, region)
        years[(year, region)] = loaded
        return loaded


_cache = _Cache()
_monotonic = time.monotonic


def year_calendar(year: int, region: str = "") -> YearCalendar:
    """The cached calendar of ``year`` (with ``region``'s local entries). The hot path: no query."""
    cache = _cache
    if _monotonic() >= cache.next_check_at:
        cache.check()
    found = cache.years.get((year, region))
    return found if found is not None else cache.load(year, region)


def invalidate() -> None:
    """Forget every cached year in this process (after a calendar change, and in tests)."""
    _cache.clear()


@receiver(setting_changed)
def _interval_changed(*, setting: str, **kwargs) -> None:
    if setting == "SANXIANG_WORKDAYS_CACHE_SECONDS":
        _cache.next_check_at = float("-inf")
