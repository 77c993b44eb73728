"""``sanxiang verify`` finds every kind of tampering and names the first entry affected."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.ledger import audit, services, signing
from sanxiang.ledger.models import Blob, Checkpoint
from sanxiang.ledger.storage import get_storage


@pytest.fixture
def log(make_entries, store_bytes, officer_a):
    """12 entries (entry #4 names a blob), checkpoints at 5, 9 and 12."""
    make_entries(4, actor=officer_a)
    blob = store_bytes(b"body-camera video bytes" * 100, media_type="application/octet-stream")
    services.record(
        kind="cases.evidence", subject=("cases.case", "A-1"), actor=officer_a, payload={}, blobs=[blob]
    )
    services.checkpoint_create()
    make_entries(4, actor=officer_a)
    services.checkpoint_create()
    make_entries(3)
    services.checkpoint_create()
    return blob


def _problem():
    report = audit.verify_log()
    assert not report.ok, "verify did not notice"
    return report.problem


def test_an_untouched_log_verifies_and_the_command_exits_zero(log):
    report = audit.verify_log()
    assert report.ok, report.problem
    assert (report.entries, report.checkpoints, report.blobs_hashed) == (12, 3, 1)
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "verified: 12 entries, 3 checkpoints" in out.getvalue()


def test_an_edited_row_is_found_at_its_entry_number(log, tamper):
    with tamper() as cursor:
        cursor.execute("UPDATE ledger_entry SET body = replace(body, '\"i\":1', '\"i\":9') WHERE seq = 6")
    assert _problem().seq == 6


def test_an_edit_that_also_rewrites_the_leaf_hash_is_still_found(log, tamper):
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.verifier import leaf_hash, sm3

    body = Entry.objects.get(seq=6).body.replace('"i":1', '"i":9')
    with tamper() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET body = %s, leaf_hash = %s WHERE seq = 6",
            [body, leaf_hash(sm3, body.encode())],
        )
    assert _problem().seq == 6


def test_an_edited_query_column_is_found(log, tamper):
    with tamper() as cursor:
        cursor.execute("UPDATE ledger_entry SET kind = 'innocent' WHERE seq = 3")
    problem = _problem()
    assert problem.seq == 3 and "kind" in problem.message


def test_a_deleted_row_is_found(log, tamper):
    with tamper() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE seq = 7")
    problem = _problem()
    assert problem.seq == 7 and "missing" in problem.message


def test_two_swapped_rows_are_found_at_the_first(log, tamper):
    from sanxiang.ledger.models import Entry

    a, b = Entry.objects.get(seq=2), Entry.objects.get(seq=8)
    with tamper() as cursor:
        for row, other in ((a, b), (b, a)):
            cursor.execute(
                "UPDATE ledger_entry SET body = %s, leaf_hash = %s WHERE seq = %s",
                [other.body, bytes(other.leaf_hash), row.seq],
            )
    assert _problem().seq == 2


def test_a_truncated_log_is_found(log, tamper):
    with tamper() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE seq >= 10")
    problem = _problem()
    assert problem.seq == 10 and "truncated" in problem.message


def test_one_flipped_byte_of_a_blob_file_is_found_at_the_entry_naming_it(log):
    path = get_storage().local_path(log.sm3)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[17] ^= 0x01
    path.write_bytes(bytes(data))
    problem = _problem()
    assert problem.seq == 4 and log.sm3 in problem.message
    with pytest.raises(CommandError) as caught:
        call_command("verify")
    assert caught.value.returncode == 1 and "entry #4" in str(caught.value)


def test_a_missing_blob_file_is_found(log):
    get_storage().local_path(log.sm3).unlink()
    assert _problem().seq == 4


def test_a_replaced_checkpoint_is_found_whether_forged_or_re_signed(log, tamper):
    original = Checkpoint.objects.get(size=9)
    forged = signing.generate_key().sign(original.body.encode())
    with tamper() as cursor:
        cursor.execute("UPDATE ledger_checkpoint SET signature = %s WHERE size = 9", [forged])
    problem = _problem()
    assert problem.seq == 8 and "checkpoint 9" in problem.message

    # the key holder re-signs a different root: the entries do not give it
    key = services.current_key()
    body = original.body.replace(original.root, "ab" * 32).encode()
    with tamper() as cursor:
        cursor.execute(
            "UPDATE ledger_checkpoint SET body = %s, root = %s, signature = %s WHERE size = 9",
            [body.decode(), "ab" * 32, key.sign(body)],
        )
    problem = _problem()
    assert problem.seq == 8 and "signed root" in problem.message


def test_a_blob_row_changed_to_match_a_replaced_file_is_found(log, tamper):
    with tamper() as cursor:
        cursor.execute("UPDATE ledger_blob SET size = 1 WHERE sm3 = %s", [log.sm3])
    assert _problem().seq == 4
    assert Blob.objects.get(sm3=log.sm3).size == 1


def test_verification_in_several_processes_finds_the_same_first_discrepancy(ledger_live_db, make_entries):
    # A large log is checked by one process per core, each an aligned range; the result is the same.
    from django.db import connection

    from sanxiang.ledger import immutability

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("worker processes cannot see an in-memory SQLite database")
    make_entries(300)
    services.checkpoint_create()
    report = audit.verify_log(check_blobs=False, workers=2, chunk=64)
    assert report.ok and report.processes == 2 and report.entries == 300, report.problems
    immutability.drop(connection, ["ledger_entry"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_entry SET kind = 'innocent' WHERE seq = 200")
            cursor.execute("DELETE FROM ledger_entry WHERE seq = 250")
    finally:
        immutability.install(connection, ["ledger_entry"])
    parallel = audit.verify_log(check_blobs=False, workers=2, chunk=64)
    sequential = audit.verify_log(check_blobs=False, workers=1)
    assert parallel.problem == sequential.problem and parallel.problem.seq == 200


@pytest.mark.parametrize("flat_level, index", [(2, 3), (5, 0)])  # inside a chunk; above the chunks
def test_chunked_verification_checks_every_subtree_within_and_above_the_chunks(
    db, make_entries, tamper, flat_level, index
):
    # Entries are checked in aligned chunks (here 8, level 3): subtree hashes up to the chunk's level
    # inside the chunk, those above it as chunks complete; checkpoints inside chunks and at their edges
    # are checked against roots put together from both. A changed stored subtree hash is found at the
    # entry that completes it, as in one pass over the whole log.
    from sanxiang.ledger.models import Node

    for count in (5, 11, 16, 37, 64, 100):
        make_entries(count - services.log_size())
        services.checkpoint_create()
    report = audit.verify_log(check_blobs=False, workers=1, chunk=8)
    assert report.ok and (report.entries, report.checkpoints) == (100, 6), report.problems
    flat = Node.flat_index(flat_level, index)
    with tamper() as cursor:
        cursor.execute("UPDATE ledger_node SET hash = %s WHERE flat = %s", [b"\x00" * 32, flat])
    chunked = audit.verify_log(check_blobs=False, workers=1, chunk=8)
    whole = audit.verify_log(check_blobs=False, workers=1, chunk=1 << 14)
    completes_at = ((index + 1) << flat_level) - 1
    assert chunked.problem is not None and chunked.problem == whole.problem, (
        chunked.problems,
        whole.problems,
    )
    assert chunked.problem.seq <= completes_at and "subtree hash" in chunked.problem.message
