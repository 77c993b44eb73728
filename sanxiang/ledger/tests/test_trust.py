"""``sanxiang verify`` trusts only what is held outside the database (issue 10, items 1–3): pinned keys,
key rotations signed by the previous key, checkpoints kept by a verifier or witness, the append-only
triggers; and a caught rewrite names the first altered entry."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sanxiang.ledger import audit, immutability, services, signing
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.tests.conftest import re_sign_checkpoints, rebuild_tree


@pytest.fixture
def log(make_entries, officer_a):
    """12 entries, checkpoints at 5, 9 and 12 (signed by the configured key, tiles written)."""
    make_entries(5, actor=officer_a)
    services.checkpoint_create()
    make_entries(4, actor=officer_a)
    services.checkpoint_create()
    make_entries(3)
    services.checkpoint_create()


def _edit(cursor, seq: int) -> None:
    cursor.execute(
        'UPDATE ledger_entry SET body = replace(body, \'"payload":{"i":\', \'"payload":{"i":9\') WHERE seq = %s',
        [seq],
    )


def _held(tmp_path: Path, size: int | None = None) -> str:
    """A checkpoint as the API serves it, kept in a file outside the database."""
    checkpoint = services.latest_checkpoint() if size is None else services.checkpoint_at(size)
    path = tmp_path / f"checkpoint-{checkpoint.size}.json"
    path.write_text(json.dumps({"body": checkpoint.body, "signature": checkpoint.signature}))
    return str(path)


def _verify(*args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify", "--skip-blobs", *args, stdout=out)
    except CommandError as exc:
        return False, str(exc)
    return True, out.getvalue()


# ---------------------------------------------------------------- 10.1 keys pinned outside the database


def test_10_1_a_rebuilt_tree_re_signed_by_an_inserted_key_fails(log, tamper):
    # The finding: an entry edited, leaves and nodes rebuilt, a new key inserted and every checkpoint
    # re-signed — verify passed because it trusted whatever keys the database holds.
    with tamper() as cursor:
        _edit(cursor, 6)
        tree = rebuild_tree(cursor)
        re_sign_checkpoints(cursor, tree, signing.generate_key(), insert_key=True)
    report = audit.verify_log(check_blobs=False)
    assert not report.ok
    assert "not chained" in str(report.problem) or "no signed key rotation" in str(report.problem)
    ok, output = _verify()
    assert not ok and "VERIFY FAILED" in output


def test_10_1_the_key_file_and_published_fingerprints_are_the_trust_anchors(log, tmp_path):
    key = services.current_key()
    assert _verify()[0]  # the configured key file's public key
    assert _verify("--no-key-file", "--trusted-fingerprint", key.key_id)[0]
    key_file = tmp_path / "published.hex"
    key_file.write_text(key.public_hex)
    assert _verify("--no-key-file", "--trusted-key", str(key_file))[0]
    pem = tmp_path / "published.pem"
    pem.write_text(signing.public_key_pem(key.public_hex))
    assert _verify("--no-key-file", "--trusted-key", str(pem))[0]
    stranger = signing.generate_key()
    ok, output = _verify("--no-key-file", "--trusted-fingerprint", stranger.key_id)
    assert not ok and "neither a key you trust" in output
    ok, output = _verify("--no-key-file")
    assert not ok and "none given" in output


def test_10_1_a_key_change_is_a_rotation_signed_by_the_previous_key(own_key_file, make_entries):
    make_entries(3)
    old = services.current_key()
    services.checkpoint_create()
    new = signing.generate_key()
    rotation = services.rotate_key(new)
    assert rotation.kind == services.KEY_ROTATION_KIND
    statement = rotation.fields["payload"]["statement"]
    message = services.canonical(statement)
    from sanxiang.ledger.verifier import sm2_verify

    sm2_verify(old.public_hex, message, rotation.fields["payload"]["previous_signature"])
    sm2_verify(new.public_hex, message, rotation.fields["payload"]["signature"])
    assert services.current_key().key_id == new.key_id
    assert own_key_file.with_name(f"sm2_key.retired-{old.key_id[:16]}").exists()
    latest = services.latest_checkpoint()
    assert latest.size == 4 and latest.key_id == new.key_id  # the new key signs the rotation in
    make_entries(2)
    services.checkpoint_create()
    # trusting either end of the chain is enough: each hand-over is signed by both keys
    assert _verify()[0]
    assert _verify("--no-key-file", "--trusted-fingerprint", old.key_id)[0]
    assert _verify("--no-key-file", "--trusted-fingerprint", new.key_id)[0]
    report = audit.verify_log(check_blobs=False)
    assert report.keys == [old.key_id, new.key_id] and report.checkpoints == 3


def test_10_1_a_swapped_key_file_does_not_sign(own_key_file, make_entries):
    make_entries(2)
    services.checkpoint_create()
    own_key_file.unlink()
    services._key_at.cache_clear()
    services.current_key()  # a fresh key appears in the file, without a rotation
    make_entries(1)
    with pytest.raises(services.KeyNotInChain):
        services.checkpoint_create()


def test_10_1_a_rotation_not_signed_by_the_previous_key_fails(own_key_file, make_entries, tamper):
    make_entries(2)
    services.checkpoint_create()
    old, intruder = services.current_key(), signing.generate_key()
    seq = services.log_size()
    statement = services.rotation_statement(
        seq=seq, previous=old, new=intruder, time="2026-01-01T00:00:00+08:00"
    )
    message = services.canonical(statement)
    services.record(
        kind=services.KEY_ROTATION_KIND,
        subject=("ledger.signingkey", intruder.key_id),
        actor="system:key-rotation",
        payload={
            "statement": statement,
            "previous_signature": intruder.sign(message),
            "signature": intruder.sign(message),
        },
    )
    report = audit.verify_log(check_blobs=False)
    assert report.problem.seq == seq and "key rotation does not verify" in report.problem.message


# ---------------------------------------------------------------- 10.2 checkpoints held outside


def test_10_2_truncation_with_its_checkpoints_is_caught_by_a_held_checkpoint(log, tamper, tmp_path):
    held = _held(tmp_path)
    with tamper() as cursor:
        cursor.execute("DELETE FROM ledger_checkpoint WHERE size > 5")
        cursor.execute("DELETE FROM ledger_entry WHERE seq >= 6")
    assert audit.verify_log(check_blobs=False).ok  # alone, a shorter log looks like a younger one
    ok, output = _verify("--checkpoint", held)
    assert not ok and "truncated: 6 entries deleted" in output and "entry #6" in output


def test_10_2_deleting_the_latest_checkpoint_is_caught(log, tamper, tmp_path):
    held = _held(tmp_path)
    with tamper() as cursor:
        cursor.execute("DELETE FROM ledger_checkpoint WHERE size = 12")
    report = audit.verify_log(check_blobs=False)
    assert report.ok and report.uncovered == 3
    ok, output = _verify("--checkpoint", held)
    assert not ok and "not in the database (deleted" in output


def test_10_2_entries_after_the_last_stored_checkpoint_edited_are_caught(log, tamper, tmp_path):
    held = _held(tmp_path)
    with tamper() as cursor:
        cursor.execute("DELETE FROM ledger_checkpoint WHERE size = 12")
        _edit(cursor, 10)
        rebuild_tree(cursor)
    assert audit.verify_log(check_blobs=False).ok
    report = audit.verify_log(check_blobs=False, checkpoints=[held])
    assert report.problem.seq == 10 and "was changed" in report.problem.message


def test_10_2_entries_no_checkpoint_covers_are_reported(log, make_entries, tmp_path):
    held = _held(tmp_path)
    make_entries(4)
    ok, output = _verify("--checkpoint", held)
    assert ok, output
    assert "4 entries not yet covered by any checkpoint" in output
    assert "checkpoints held outside: 12" in output
    ok, output = _verify()
    assert "no checkpoint held outside the database was given" in output


def test_10_2_a_held_checkpoint_not_signed_by_a_trusted_key_is_refused(log, tmp_path):
    checkpoint = services.latest_checkpoint()
    forger = signing.generate_key()
    fields = json.loads(checkpoint.body) | {"key_id": forger.key_id}
    body = services.canonical(fields)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps({"body": body.decode(), "signature": forger.sign(body)}))
    ok, output = _verify("--checkpoint", str(path))
    assert not ok and "which you do not trust" in output


def test_10_2_missing_or_altered_append_only_triggers_fail(log):
    immutability.drop(connection, ["ledger_node"])  # DDL inside the test's transaction: rolled back
    report = audit.verify_log(check_blobs=False)
    assert not report.ok and "ledger_node: trigger ledger_node_" in str(report.problem)
    assert "missing" in str(report.problem)
    immutability.install(connection, ["ledger_node"])
    assert audit.verify_log(check_blobs=False).ok
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caserecord DISABLE TRIGGER cases_caserecord_append_only")
            expected = "cases_caserecord: trigger cases_caserecord_append_only is disabled"
        else:
            cursor.execute("DROP TRIGGER cases_caserecord_no_update")
            cursor.execute(
                "CREATE TRIGGER cases_caserecord_no_update BEFORE UPDATE ON cases_caserecord WHEN 0 "
                "BEGIN SELECT RAISE(ABORT, 'append-only'); END"
            )
            expected = "cases_caserecord: trigger cases_caserecord_no_update has been altered"
    problems = [str(p) for p in audit.verify_log(check_blobs=False).problems]
    assert any(expected in p for p in problems), problems


def test_10_2_every_protected_table_is_in_the_one_list(db):
    tables = immutability.protected_tables()
    assert {"ledger_entry", "ledger_checkpoint", "cases_caserecord", "review_opinion"} <= set(tables)
    assert immutability.missing(connection, tables) == [] or pytest.fail(
        str(immutability.missing(connection))
    )


@pytest.mark.django_db
def test_10_2_the_server_signs_a_checkpoint_when_it_shuts_down(tmp_path):
    # A server process (own SQLite database and key) appends entries, then gets SIGTERM as a
    # process manager stops it: the checkpoint it signs on the way out covers every entry.
    env = os.environ | {
        "SANXIANG_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
    }
    env.pop("SANXIANG_LEDGER_KEY_FILE", None)
    subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    script = (
        "import django, sys, time; django.setup()\n"
        "from django.db import transaction\n"
        "from sanxiang.ledger import services\n"
        "services.install_shutdown_checkpoint()\n"
        "with transaction.atomic():\n"
        "    for i in range(7):\n"
        "        services.record(kind='test.recorded', subject=('test.case', str(i)), actor=None, payload={'i': i})\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    with sqlite3.connect(tmp_path / "server.sqlite3") as db:
        assert db.execute("SELECT max(size) FROM ledger_checkpoint").fetchone() == (7,)
    assert (tmp_path / "var" / "ledger" / "tiles" / "tile" / "0" / "000.p" / "7").exists()


# ---------------------------------------------------------------- 10.3 the first altered entry


def test_10_3_a_rebuilt_tree_names_the_first_altered_entry(log, tamper):
    with tamper() as cursor:
        _edit(cursor, 7)
        _edit(cursor, 8)
        rebuild_tree(cursor)
    problem = audit.verify_log(check_blobs=False).problem
    assert problem.seq == 7, problem  # not #8, the last entry that checkpoint 9 covers
    assert "was changed" in problem.message and "at or before" not in problem.message
    assert "tile/0/000" in problem.message


def test_10_3_without_tiles_the_signed_subtree_hashes_narrow_it_down(log, tamper, tmp_path):
    # The tiles are gone and the insider rewrote the leaf column but not the stored subtree hashes:
    # the signed root authenticates those, and descending them narrows the change to #6–#7.
    import shutil

    shutil.rmtree(settings.SANXIANG_LEDGER_TILE_DIR)
    from sanxiang.ledger.verifier import leaf_hash, sm3

    with tamper() as cursor:
        _edit(cursor, 7)
        body = Entry.objects.get(seq=7).body
        cursor.execute(
            "UPDATE ledger_entry SET leaf_hash = %s WHERE seq = 7", [leaf_hash(sm3, body.encode())]
        )
    problem = audit.verify_log(check_blobs=False).problem
    assert "entries #6–#7" in problem.message and "stored subtree hashes" in problem.message


def test_10_3_a_re_signed_root_with_untouched_entries_says_so(log, tamper):
    original = Checkpoint.objects.get(size=9)
    key = services.current_key()
    body = original.body.replace(original.root, "ab" * 32).encode()
    with tamper() as cursor:
        cursor.execute(
            "UPDATE ledger_checkpoint SET body = %s, root = %s, signature = %s WHERE size = 9",
            [body.decode(), "ab" * 32, key.sign(body)],
        )
    problem = audit.verify_log(check_blobs=False).problem
    assert problem.seq == 8 and "the tiles agree with the entries" in problem.message


def test_shutdown_checkpoint_never_raises(db, settings, tmp_path, make_entries):
    make_entries(2)
    assert services.checkpoint_on_shutdown().size == 2
    settings.SANXIANG_LEDGER_KEY_FILE = tmp_path / "elsewhere" / "key"  # a key the log never handed to
    services._key_at.cache_clear()
    make_entries(1)
    assert services.checkpoint_on_shutdown() is None
    time.sleep(0)
