"""Benchmark ``workdays_bench``: deadlines computed per second, beside plain ``date + timedelta``.

A fresh SQLite database (temporary file) is migrated — the data migration seeds the holiday table
from chinesecalendar — and then, in one process and one run, N calls (default 500,000; the
runner's ``--rows``) of each of:

- ``baseline_date_plus_timedelta``: ``start + timedelta(days=n)`` — the cost of date arithmetic
  that knows no calendar, the floor any deadline function is measured against;
- ``add_working_days``, ``add_natural_days``, ``statutory_period_penalty`` (行政处罚法 第八十五条:
  a mix of 2/3/5/7-day working and 15/60/90-day natural periods), ``count_working_days``,
  ``is_working_day`` — the services, with the year cache warm;
- ``cold_year_load``: loading one year from the database into the cache (what the first call of
  a year, or the first call after a calendar edit, costs).

Inputs are start dates spread over 2025–2026 (published years) so the numbers are for real
holiday data. ``measure(rows)`` runs on whatever database Django is connected to; the test suite
runs it with a few rows so that the benchmark cannot rot.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 500_000
SEED = 20260101
PERIODS = (2, 3, 5, 7, 15, 20, 60, 90)


def _inputs(rows: int) -> list[tuple[dt.date, int]]:
    rng = random.Random(SEED)
    first = dt.date(2025, 1, 1).toordinal()
    return [(dt.date.fromordinal(first + rng.randrange(700)), rng.choice(PERIODS)) for _ in range(rows)]


def _rate(rows: int, fn) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    return {
        "per_second": round(rows / seconds),
        "microseconds_per_call": round(seconds / rows * 1e6, 3),
        "seconds": round(seconds, 3),
    }


def measure(rows: int) -> dict[str, Any]:
    from sanxiang.workdays import cache
    from sanxiang.workdays.services import (
        add_natural_days,
        add_working_days,
        count_working_days,
        is_working_day,
        statutory_period,
    )

    inputs = _inputs(rows)
    timedelta = dt.timedelta

    def baseline() -> None:
        for start, days in inputs:
            start + timedelta(days=days)

    def working() -> None:
        for start, days in inputs:
            add_working_days(start, days)

    def natural() -> None:
        for start, days in inputs:
            add_natural_days(start, days)

    def penalty() -> None:
        for start, days in inputs:
            statutory_period(start, days, law="penalty")

    def counting() -> None:
        for start, days in inputs:
            count_working_days(start, start + timedelta(days=days))

    def checking() -> None:
        for start, _ in inputs:
            is_working_day(start)

    cold_years = list(range(2004, 2027))
    cache.invalidate()
    t0 = time.perf_counter()
    for year in cold_years:
        cache.year_calendar(year)
    cold_ms = (time.perf_counter() - t0) / len(cold_years) * 1000

    add_working_days(dt.date(2025, 1, 1), 800)  # warm every year the inputs reach
    results: dict[str, Any] = {"rows": rows, "baseline_date_plus_timedelta": _rate(rows, baseline)}
    for name, fn in (
        ("add_working_days", working),
        ("add_natural_days", natural),
        ("statutory_period_penalty", penalty),
        ("count_working_days", counting),
        ("is_working_day", checking),
    ):
        results[name] = _rate(rows, fn)
        results[name]["slowdown_vs_baseline"] = round(
            results["baseline_date_plus_timedelta"]["per_second"] / results[name]["per_second"], 2
        )
    results["cold_year_load_ms"] = round(cold_ms, 3)
    return results


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_ROWS)
    with tempfile.TemporaryDirectory(prefix="workdays-bench-") as tmp:
        os.environ["SANXIANG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        result = {"database": "sqlite (temporary file, migrated and seeded)", **measure(rows)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
