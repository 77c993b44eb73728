"""The database itself refuses UPDATE, DELETE (and TRUNCATE on PostgreSQL) on the ledger tables."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sanxiang.ledger import services
from sanxiang.ledger.models import APPEND_ONLY_TABLES, Blob, Checkpoint, Entry


@pytest.fixture
def every_table_has_rows(make_entries, store_bytes):
    blob = store_bytes(b"evidence")
    services.record(kind="k", subject=("t", "1"), actor=None, payload={}, blobs=[blob])
    make_entries(3)
    checkpoint = services.checkpoint_create()
    from sanxiang.ledger import notes, signing

    key = signing.generate_key()
    services.witness_add(name="w.example/witness", public_key=key.public_hex)
    text = services.note_text(checkpoint.size, checkpoint.root)
    services.cosignature_add(f"{text}\n{notes.cosign(text, 'w.example/witness', key, 1_800_000_000)}\n")


def _refused(sql):
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # so that only our trigger can object
        cursor.execute(sql)
    assert "append-only" in str(caught.value)


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_update_is_refused_by_the_database(every_table_has_rows, table):
    column = {"ledger_entry": "kind", "ledger_node": "hash", "ledger_blob": "size"}.get(table)
    if column is None:
        column = {
            "ledger_entryblob": "blob_id",
            "ledger_signingkey": "public_key",
            "ledger_checkpoint": "root",
            "ledger_witness": "name",
            "ledger_cosignature": "line",
        }[table]
    _refused(f"UPDATE {table} SET {column} = {column}")  # noqa: S608 - table names are constants


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_delete_is_refused_by_the_database(every_table_has_rows, table):
    _refused(f"DELETE FROM {table}")  # noqa: S608


def test_truncate_is_refused_on_postgresql(every_table_has_rows):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE without WHERE is refused above")
    _refused("TRUNCATE ledger_entry CASCADE")


def test_the_orm_cannot_change_or_delete_a_record_either(every_table_has_rows):
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(seq=0).update(kind="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Checkpoint.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Blob.objects.all().delete()
    assert Entry.objects.get(seq=0).kind == "k"


def test_an_empty_ledger_does_not_stop_other_apps_from_flushing_a_test_database(transactional_db):
    # Django empties the database after every transactional test (TRUNCATE on PostgreSQL, DELETE on
    # SQLite); with no ledger rows the triggers let it, so other apps' live-server tests keep working.
    assert Entry.objects.count() == 0
