"""The draw benchmark cannot rot: it fills, draws and verifies offline at a few hundred rows."""

import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark measures PostgreSQL (COPY)")
def test_the_draw_benchmark_draws_and_verifies_a_small_directory(tmp_path):
    from benches.inspections_draw import measure

    result = measure(objects=400, officers=60, workdir=tmp_path)
    assert result["drawn_objects"] > 0 and result["verify_offline_agrees"] is True
    assert {"select_snapshot_seconds", "announce_seconds", "draw_seconds", "verify_offline_seconds"} <= set(
        result
    )
