"""Ledger test helpers: tampering on purpose, and live (committed) databases despite the triggers."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.db import connection

from sanxiang.ledger import blobs, immutability, services
from sanxiang.ledger.testing import _ledger_triggers_restored, ledger_live_db  # noqa: F401


@contextmanager
def triggers_dropped():
    """Drop the append-only triggers for the block (inside the test's transaction, so they come back)."""
    immutability.drop(connection)
    try:
        yield connection.cursor()
    finally:
        immutability.install(connection)


@pytest.fixture
def tamper():
    return triggers_dropped


def _database(request):
    if "transactional_db" not in request.fixturenames and "ledger_live_db" not in request.fixturenames:
        request.getfixturevalue("db")


@pytest.fixture
def make_entries(request):
    _database(request)

    def make(n, *, kind="test.recorded", actor=None, **kw):
        return [
            services.record(kind=kind, subject=("test.case", f"C{i}"), actor=actor, payload={"i": i}, **kw)
            for i in range(n)
        ]

    return make


@pytest.fixture
def store_bytes(request):
    _database(request)

    def store(data: bytes, **kw):
        return blobs.blob_ingest(stream=io.BytesIO(data), **kw)

    return store


from sanxiang.testing.s3fixtures import blob_store, s3_server, s3_store  # noqa: E402, F401
