"""sanxiang/testing/snapshot.py: what a test built comes back whole in a later test — rows of ordinary
and append-only tables, the sequences' positions (a new row gets a fresh id) and the files — both
after a live server's flush (transactional tests) and inside a rolled-back test transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from sanxiang.ledger import blobs
from sanxiang.ledger import immutability as ledger_triggers
from sanxiang.ledger.models import Blob, Entry
from sanxiang.ledger.services import record
from sanxiang.registry.models import Agency
from sanxiang.testing import factories, snapshot


def _state():
    return (
        list(Agency.objects.order_by("pk").values_list("pk", "name", "supervisor_id")),
        list(Entry.objects.order_by("seq").values_list("seq", "body")),
        list(Blob.objects.order_by("pk").values_list("pk", "size")),
    )


def _build(settings) -> tuple:
    parent = factories.AgencyFactory(name="快照司法局")
    child = factories.AgencyFactory(name="快照市场监督管理局", supervisor=parent)
    blob = blobs.blob_ingest(stream=[b"snapshot file"], media_type="text/plain")
    record(kind="test.snapshot", subject=child, actor=None, payload={"n": 1}, blobs=[blob])
    files = sorted(p.relative_to(settings.SANXIANG_BLOB_DIR) for p in settings.SANXIANG_BLOB_DIR.rglob("*"))
    return _state(), files


def _check_restored(settings, key, built, files) -> None:
    factories.AgencyFactory(name="快照之后新建的执法局")  # changes rows and sequences
    for path in settings.SANXIANG_BLOB_DIR.rglob("*"):
        if path.is_file():
            path.unlink()
    assert snapshot.restore(key, connection, [settings.SANXIANG_BLOB_DIR])
    assert _state() == built
    again = sorted(p.relative_to(settings.SANXIANG_BLOB_DIR) for p in settings.SANXIANG_BLOB_DIR.rglob("*"))
    assert again == files and files
    newer = factories.AgencyFactory(name="恢复之后新建的执法局")
    assert newer.pk > max(pk for pk, _, _ in built[0])
    assert ledger_triggers.missing(connection) == []  # the append-only triggers are back


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_comes_back_after_the_live_servers_flush(flushable, settings):
    key = ("test-snapshot", "transactional")
    built, files = _build(settings)
    snapshot.take(key, connection, [settings.SANXIANG_BLOB_DIR])
    _check_restored(settings, key, built, files)


@pytest.mark.django_db
def test_a_snapshot_comes_back_inside_a_test_transaction(settings):
    key = ("test-snapshot", "in-transaction")
    built, files = _build(settings)
    snapshot.take(key, connection, [settings.SANXIANG_BLOB_DIR])
    _check_restored(settings, key, built, files)
