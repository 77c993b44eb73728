"""Smoke run of benches/schemathesis_api (the full run is a benchmark: benches/results/schemathesis_api-*.json)."""

from collections import Counter

import pytest

pytestmark = pytest.mark.django_db


def test_the_schemathesis_bench_fuzzes_public_operations_without_a_server_error():
    import schemathesis
    from schemathesis.generation import GenerationMode

    from benches.schemathesis_api import _fuzz_operation
    from sanxiang.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [r.ok() for r in schema.get_all_operations()]
    wanted = {"/api/registry/credential-check", "/api/disclosure/decisions", "/api/disclosure/corrections"}
    statuses: Counter = Counter()
    failures: list = []
    for operation in operations:
        if operation.path in wanted:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz_operation(operation, mode, {}, 10, statuses, failures)
    assert sum(statuses.values()) >= 30
    assert not [s for s in statuses if s >= 500], failures
    assert failures == []
