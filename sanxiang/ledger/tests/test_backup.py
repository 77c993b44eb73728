"""``sanxiang backup`` / ``sanxiang restore``: a round trip that rebuilds the server, then verifies
(issue 17, item 4). Runs on SQLite and on PostgreSQL (the two test runs), and with blobs in the local
directory and in S3."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sanxiang.ledger import blobs, services
from sanxiang.ledger.audit import verify_log
from sanxiang.ledger.backup import BackupError, backup_restore, backup_write
from sanxiang.ledger.models import Blob, Checkpoint, Entry
from sanxiang.ledger.storage import get_storage

pytestmark = pytest.mark.django_db


def _wipe_database() -> None:
    """Empty every table, as on a newly installed server (inside the test's transaction, so undone)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # no trigger fires
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - Django's own table names
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - Django's own table names
            for _, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def server_with_history(officer_a, officer_b, make_entries):
    video = blobs.blob_ingest(stream=[b"\x00\x00\x00\x18ftypmp42 body camera" * 500], media_type="video/mp4")
    scan = blobs.blob_ingest(stream=[b"%PDF-1.4 scan"], media_type="application/pdf")
    services.record(
        kind="test.recorded",
        subject=("test.case", "C1"),
        actor=officer_a,
        payload={"n": 1},
        blobs=[video, scan],
    )
    make_entries(7, actor=officer_b)
    services.checkpoint_create()
    make_entries(5, actor=officer_a)
    last = services.checkpoint_create()
    return {"checkpoint": last, "entries": Entry.objects.count(), "blobs": [video, scan]}


def test_backup_restore_round_trip_rebuilds_a_server_that_verifies(
    blob_store, server_with_history, tmp_path, settings
):
    report = backup_write(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["checkpoint"]["size"] == server_with_history["checkpoint"].size
    assert {b["sm3"] for b in manifest["blobs"]} == {b.sm3 for b in server_with_history["blobs"]}
    expected = "copied" if blob_store == "local" else "referenced"
    assert {b["stored"] for b in manifest["blobs"]} == {expected}
    assert report.rows["ledger.entry"] == server_with_history["entries"]

    # a new server: an empty database and (for the local store) an empty blob directory
    _wipe_database()
    assert Entry.objects.count() == 0 and Blob.objects.count() == 0
    if blob_store == "local":
        settings.SANXIANG_BLOB_DIR = tmp_path / "new-server-blobs"

    restored = backup_restore(tmp_path / "backup", migrate=False)

    assert Entry.objects.count() == server_with_history["entries"]
    assert restored.checkpoint["root"] == server_with_history["checkpoint"].root
    latest = Checkpoint.objects.order_by("-size").first()
    assert (latest.size, latest.root, latest.signature) == (
        server_with_history["checkpoint"].size,
        server_with_history["checkpoint"].root,
        server_with_history["checkpoint"].signature,
    )
    for blob in server_with_history["blobs"]:
        assert get_storage().exists(blob.sm3)
    result = verify_log(check_blobs=True)
    assert result.ok, result.problem
    assert result.blobs_hashed == 2
    # the restored server goes on: a new entry and checkpoint extend the restored log consistently
    services.record(kind="test.recorded", subject=("test.case", "C2"), actor=None, payload={})
    assert services.checkpoint_create().size == server_with_history["entries"] + 1
    assert verify_log().ok


def test_restore_refuses_a_damaged_dump_and_a_database_that_has_a_log(server_with_history, tmp_path):
    backup_write(tmp_path / "backup")
    with pytest.raises(BackupError, match="already holds ledger entries"):
        backup_restore(tmp_path / "backup", migrate=False)
    dump = tmp_path / "backup" / "database.jsonl"
    text = dump.read_text()
    assert "test.recorded" in text
    dump.write_text(text.replace("test.recorded", "test.rewritten", 1))
    _wipe_database()
    with pytest.raises(BackupError, match="damaged"):
        backup_restore(tmp_path / "backup", migrate=False)


def test_backup_into_a_directory_that_is_not_empty_is_refused(server_with_history, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"))
