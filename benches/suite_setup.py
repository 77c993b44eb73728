"""Benchmark ``suite_setup``: what the test suite pays before and around its tests.

A fresh SQLite database (temporary file) is migrated the way pytest-django builds the test
database, timing every migration and counting the SQL statements its schema editor runs. A
migration whose operations ran no statement and hold no ``RunPython``/``RunSQL`` changes nothing
in the database: its time is spent only on Django's model state (re-rendering the models related
to each altered field). The suite builds the database twice in ``make test`` (SQLite and
PostgreSQL) and once in every targeted ``pytest`` run.

Then, in the migrated database and in one run, N calls (default 20; the runner's ``--rows``) of
each way of giving a test the working-day calendar of 2025–2027:

- ``baseline_seed_service``: ``seed_from_chinesecalendar(years=...)``, what the calendar fixtures
  of cases, documents, supervision, review, inspections, procedures, catalog and workdays did in
  every test;
- ``seed_calendar``: ``sanxiang.testing.fixtures.seed_calendar``, which compares the stored years
  with the package and writes only when they differ.

``measure_calendar(rows)`` runs on whatever database Django is connected to; the test suite runs
it with one row so that the benchmark cannot rot.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 20
YEARS = [2025, 2026, 2027]


def _per_call_ms(rows: int, fn) -> float:
    t0 = time.perf_counter()
    for _ in range(rows):
        fn()
    return round((time.perf_counter() - t0) / rows * 1000, 2)


def measure_calendar(rows: int) -> dict[str, Any]:
    from sanxiang.testing.fixtures import seed_calendar
    from sanxiang.workdays.services import seed_from_chinesecalendar

    seed_from_chinesecalendar(years=YEARS)  # the state a test starts from: the years stored
    service = _per_call_ms(rows, lambda: seed_from_chinesecalendar(years=YEARS))
    check = _per_call_ms(rows, lambda: seed_calendar(YEARS))
    return {
        "rows": rows,
        "years": YEARS,
        "baseline_seed_service_ms": service,
        "seed_calendar_ms": check,
        "speedup_vs_baseline": round(service / check, 1) if check else None,
    }


def measure_migrations() -> dict[str, Any]:
    from django.db import connection
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython, RunSQL

    statements = [0]
    execute = BaseDatabaseSchemaEditor.execute

    def counting(self, sql, params=()):
        statements[0] += 1
        return execute(self, sql, params)

    rows: list[dict[str, Any]] = []
    started: dict[str, float] = {}
    current: dict[str, Any] = {}

    def progress(action, migration=None, fake=False):
        if action == "apply_start":
            started["t"] = time.perf_counter()
            statements[0] = 0
            current["migration"] = migration
        elif action == "apply_success":
            m = current["migration"]
            code = any(isinstance(op, RunPython | RunSQL) for op in m.operations)
            rows.append(
                {
                    "migration": f"{m.app_label}.{m.name}",
                    "seconds": round(time.perf_counter() - started["t"], 3),
                    "statements": statements[0],
                    "database_noop": statements[0] == 0 and not code,
                }
            )

    BaseDatabaseSchemaEditor.execute = counting  # type: ignore[method-assign]
    try:
        executor = MigrationExecutor(connection, progress_callback=progress)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        t0 = time.perf_counter()
        executor.migrate(targets=executor.loader.graph.leaf_nodes(), plan=plan)
        total = time.perf_counter() - t0
    finally:
        BaseDatabaseSchemaEditor.execute = execute  # type: ignore[method-assign]
    noop = [r for r in rows if r["database_noop"]]
    noop_seconds = sum(r["seconds"] for r in noop)
    return {
        "migrations": len(rows),
        "total_seconds": round(total, 2),
        "database_noop_migrations": len(noop),
        "database_noop_seconds": round(noop_seconds, 2),
        "database_noop_share": round(noop_seconds / total, 3) if total else None,
        "slowest": sorted(rows, key=lambda r: -r["seconds"])[:15],
    }


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_ROWS)
    with tempfile.TemporaryDirectory(prefix="suite-setup-bench-") as tmp:
        os.environ["SANXIANG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        import django

        django.setup()
        migrations = measure_migrations()
        result = {
            "database": "sqlite (temporary file)",
            "load_average_at_start": os.getloadavg()[0],
            "migrate": migrations,
            "calendar_fixture": measure_calendar(rows),
        }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
