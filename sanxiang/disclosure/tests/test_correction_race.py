"""Issue 10, finding 14: the public correction limit holds under concurrent requests.

Before, 20 concurrent requests from one client were checked against the same count and 19 were
accepted. The check and the insert now run under the client's lock row (sanxiang.api.throttle):
of 20 concurrent requests exactly the limit are accepted and the rest answer 429.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from sanxiang.disclosure.models import CorrectionRequest
from sanxiang.ledger.testing import _ledger_triggers_restored, ledger_live_db  # noqa: F401 (fixtures)

CONCURRENT = 20
# Threads commit for real; ledger_live_db lets Django empty the append-only tables afterwards.
pytestmark = [
    pytest.mark.usefixtures("ledger_live_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency runs on PostgreSQL: SQLite's in-memory test database refuses concurrent writers"
        " (shared-cache table locks) where the file database queues them (BEGIN IMMEDIATE)",
    ),
]


def test_10_14_twenty_concurrent_corrections_from_one_client_get_exactly_the_limit(
    make_duty, company, publish, settings
):
    # 《松原市行政执法公示办法》第三十一条: anyone may ask for a correction; the limit keeps it usable
    limit = settings.SANXIANG_CORRECTION_RATE_PER_HOUR = 5
    duty = publish(make_duty(party=company))
    body = {
        "decision": str(duty.public_id),
        "requester_name": "松原市好味食品有限公司",
        "contact": "0438-1111111",
        "description": "罚款金额应为3000元",
        "evidence": "决定书第2页载明罚款3000元",
    }
    statuses: list[int] = []
    start = threading.Barrier(CONCURRENT)

    def submit() -> None:
        try:
            client = Client(REMOTE_ADDR="203.0.113.7")
            start.wait()
            response = client.post("/api/disclosure/corrections", body, content_type="application/json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(CONCURRENT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == [201] * limit + [429] * (CONCURRENT - limit)
    assert CorrectionRequest.objects.filter(duty=duty).count() == limit
