"""The portal benchmark cannot rot: its generator and search run small on the PostgreSQL test database."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark measures PostgreSQL (GIN) only")
def test_the_portal_benchmark_generates_searchable_decisions():
    from benches import disclosure_portal as bench
    from benches.run import discover
    from sanxiang.disclosure.selectors import public_search

    assert "disclosure_portal" in discover()
    generated = bench._generate(300, analyze=False)
    summary, raw = bench._search(generated["agencies"], rounds=1)
    assert summary["queries"] == len(bench.QUERIES) and raw["statements"] >= len(bench.QUERIES)
    assert public_search(q="过期食品").rows
