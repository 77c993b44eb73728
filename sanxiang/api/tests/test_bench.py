"""Smoke run of benches/schemathesis_api (the full run is a benchmark: benches/results/schemathesis_api-*.json)."""

from collections import Counter

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI transport calls the application directly, so Django would close the test's database
    connection when a request ends; Django's own test client disconnects that handler the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _operations():
    from benches.schemathesis_api import _schema

    return {op.label: op for op in (r.ok() for r in _schema().get_all_operations())}


def test_the_schemathesis_bench_fuzzes_public_operations_without_a_failed_check():
    from schemathesis.checks import FailureGroup
    from schemathesis.core import NOT_SET
    from schemathesis.generation import GenerationMode

    from benches.schemathesis_api import _checks, _draw

    operations = _operations()
    wanted = ["GET /api/registry/credential-check", "GET /api/disclosure/decisions"]
    checks = [check for _name, check in _checks()]
    statuses: Counter = Counter()
    failures = []
    for label in wanted:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for item in _draw(operations[label], mode, 8, seed=1):
                case = operations[label].Case(
                    path_parameters=item["path_parameters"],
                    query=item["query"],
                    body=item["body"] if item["has_body"] else NOT_SET,
                    _meta=item["meta"],
                )
                response = case.call()
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=checks)
                except FailureGroup as group:
                    failures.extend(str(f) for f in group.exceptions)
    assert sum(statuses.values()) >= 10
    assert failures == []


def test_the_bench_counts_a_server_error_under_its_check():
    from schemathesis.checks import FailureGroup

    from benches.schemathesis_api import _check_of, _checks

    case = _operations()["GET /api/disclosure/decisions"].Case(query={})
    response = case.call()
    response.status_code = 500  # what a crash would answer
    with pytest.raises(FailureGroup) as raised:
        case.validate_response(response, checks=[check for _name, check in _checks()])
    assert "not_a_server_error" in {_check_of(f) for f in raised.value.exceptions}
