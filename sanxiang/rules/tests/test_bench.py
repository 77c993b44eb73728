"""A tiny run of benches/rules_lookup.py, so that the benchmark cannot rot."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_rules_benchmark_runs_and_reports_rates_beside_its_baseline():
    from benches import rules_lookup as bench

    bench._populate()
    result = bench.measure(50)
    assert result["rule_for_warm"]["per_second"] > 0
    assert result["rule_for_warm"]["slowdown_vs_baseline"] > 0
    assert result["rules_in_force"]["per_second"] > 0
