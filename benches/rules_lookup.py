"""Benchmark ``rules_lookup``: ``rule_for`` calls per second (the hot path), beside a plain dict lookup.

A fresh SQLite database (temporary file) is migrated and given 200 rule overrides and 50 region
assignments (an administrator's year of work in a province), then, in one process and one run, N
calls (default 200,000; the runner's ``--rows``) of each of:

- ``baseline_dict_lookup``: ``dict[(key, region)]`` — the floor: the cost of a constant;
- ``rule_for_warm``: ``rule_for(key, region=…, on=…)`` over 40 keys × 30 regions × 60 dates with
  the cache warm (what deadline code pays per call);
- ``rules_in_force``: every rule of one region on one date (the portal page, the CLI, the API);
- ``cold_load_ms``: reloading overrides and assignments after a change (the first call after
  an administrator's edit).

``measure(rows)`` runs on whatever database Django is connected to; the test suite runs it with a
few rows so that the benchmark cannot rot.
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

DEFAULT_ROWS = 200_000
SEED = 20261201
REGIONS = [f"22{c:02d}{d:02d}" for c in (1, 2, 7) for d in range(1, 11)]


def _rate(rows: int, fn) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    return {
        "per_second": round(rows / seconds),
        "microseconds_per_call": round(seconds / rows * 1e6, 3),
        "seconds": round(seconds, 3),
    }


def _populate() -> None:
    from sanxiang.rules.catalogue import DAY_UNITS, KEYS
    from sanxiang.rules.models import RegionProfile, RuleOverride

    rng = random.Random(SEED)
    day_keys = [k.key for k in KEYS.values() if k.unit in DAY_UNITS]
    RuleOverride.objects.bulk_create(
        RuleOverride(
            region_prefix=rng.choice(REGIONS)[: rng.choice((4, 6))],
            key=rng.choice(day_keys),
            value=str(rng.randrange(3, 40)),
            effective_from=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500)),
            source_title="某地行政执法规定",
            source_article="第三条",
        )
        for _ in range(200)
    )
    RegionProfile.objects.bulk_create(
        RegionProfile(
            region_prefix=rng.choice(REGIONS),
            profile=rng.choice(["kunming", "tiexi", "wuzhong", "national"]),
            effective_from=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500)),
            document="某地规则配置决定",
        )
        for _ in range(50)
    )


def measure(rows: int) -> dict[str, Any]:
    from sanxiang.rules import selectors
    from sanxiang.rules.catalogue import KEYS

    rng = random.Random(SEED)
    keys = list(KEYS)
    days = [dt.date(2025, 3, 1) + dt.timedelta(days=7 * i) for i in range(60)]
    inputs = [(rng.choice(keys), rng.choice(REGIONS), rng.choice(days)) for _ in range(rows)]
    constants = {(k, r): 7 for k in keys for r in REGIONS}

    def baseline() -> None:
        for key, region, _on in inputs:
            constants[(key, region)]

    def warm() -> None:
        for key, region, on in inputs:
            selectors.rule_for(key, region=region, on=on)

    selectors.invalidate()
    t0 = time.perf_counter()
    selectors.rule_for("review.period", region="220702", on=days[0])
    cold_ms = (time.perf_counter() - t0) * 1000
    warm()  # fill the memo the way a running process has it
    results: dict[str, Any] = {
        "rows": rows,
        "baseline_dict_lookup": _rate(rows, baseline),
        "rule_for_warm": _rate(rows, warm),
    }
    results["rule_for_warm"]["slowdown_vs_baseline"] = round(
        results["baseline_dict_lookup"]["per_second"] / results["rule_for_warm"]["per_second"], 2
    )
    pages = max(1, rows // 1000)
    results["rules_in_force"] = _rate(
        pages,
        lambda: [
            selectors.rules_in_force(region=REGIONS[i % len(REGIONS)], on=days[i % 60]) for i in range(pages)
        ],
    )
    results["cold_load_ms"] = round(cold_ms, 3)
    return results


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_ROWS)
    with tempfile.TemporaryDirectory(prefix="rules-bench-") as tmp:
        os.environ["SANXIANG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        _populate()
        result = {"database": "sqlite (temporary file, 200 overrides, 50 assignments)", **measure(rows)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
