"""A tiny run of benches/workdays_bench.py, so that the benchmark cannot rot."""

from __future__ import annotations


def test_the_workdays_benchmark_runs_and_reports_rates_beside_its_baseline(calendar):
    from benches import workdays_bench as bench
    from benches.run import discover

    assert discover()["workdays_bench"] == "main"
    result = bench.measure(rows=50)

    assert result["rows"] == 50
    assert result["baseline_date_plus_timedelta"]["per_second"] > 0
    for name in ("add_working_days", "add_natural_days", "statutory_period_penalty", "count_working_days"):
        assert result[name]["per_second"] > 0
        assert result[name]["slowdown_vs_baseline"] > 0
    assert result["cold_year_load_ms"] > 0


def test_the_suite_setup_benchmark_times_both_calendar_fixtures(calendar):
    from benches import suite_setup as bench
    from benches.run import discover

    assert discover()["suite_setup"] == "main"
    result = bench.measure_calendar(rows=1)

    assert result["rows"] == 1
    assert result["baseline_seed_service_ms"] > 0
    assert result["seed_calendar_ms"] > 0
