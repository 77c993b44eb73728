"""Witnesses (issue 17): two outside parties co-sign each checkpoint after checking it is consistent
with the last one they saw; a history rewritten and re-signed by the operator is refused by both, a
split view is caught, and the verifier that requires their cosignatures rejects the rewrite. The
witnesses talk to a real server over HTTP (live_server) and need no Django themselves."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.db import connection

from sanxiang.ledger import audit, immutability, notes, services, tiles
from sanxiang.ledger.models import Cosignature
from sanxiang.ledger.tests.conftest import re_sign_checkpoints, rebuild_tree
from sanxiang.ledger.witness import Witness


def _entries(n, start):
    for i in range(start, start + n):
        services.record(kind="test.recorded", subject=("test.case", f"C{i}"), actor=None, payload={"i": i})


@pytest.fixture
def witnesses(tmp_path):
    key = services.current_key()
    pair = []
    for name, description in (("sfj.example/witness", "上级司法局"), ("archive.example/witness", "档案馆")):
        witness = Witness.init(
            tmp_path / name.split(".")[0],
            name=name,
            log_name=settings.SANXIANG_LEDGER_ORIGIN,
            log_keys=[key.public_hex],
        )
        services.witness_add(name=name, public_key=witness.key().public_hex, description=description)
        pair.append(witness)
    return pair


def _required(pair):
    return {w.name: w.key().public_hex for w in pair}


def _rewrite(entry: int):
    """The operator edits an entry, rebuilds the tree and the tiles, and re-signs every checkpoint
    with the log's own (trusted) key: nothing in the database or on its disk contradicts it."""
    immutability.drop(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                'UPDATE ledger_entry SET body = replace(body, \'"payload":{"i":\', \'"payload":{"i":9\') '
                "WHERE seq = %s",
                [entry],
            )
            tree = rebuild_tree(cursor)
            re_sign_checkpoints(cursor, tree, services.current_key(), insert_key=False)
    finally:
        immutability.install(connection)
    shutil.rmtree(settings.SANXIANG_LEDGER_TILE_DIR)
    services.publish_tiles(0, services.log_size())


def test_two_witnesses_cosign_and_refuse_a_rewritten_history(flushable, live_server, witnesses):
    url = f"{live_server.url}/ledger"
    first = witnesses[0]
    _entries(12, 0)
    services.checkpoint_create()
    for witness in witnesses:
        outcome = witness.round(url)
        assert outcome.action == "cosigned" and outcome.size == 12, outcome
    _entries(300, 12)  # crosses a full tile
    services.checkpoint_create()
    for witness in witnesses:
        outcome = witness.round(url)
        assert outcome.action == "cosigned" and outcome.size == 312, (
            outcome
        )  # consistent 12 → 312, from tiles
    assert Cosignature.objects.filter(checkpoint_id=312).count() == 2
    note = notes.parse(services.latest_note())
    assert notes.count_cosignatures(note, _required(witnesses)) == [w.name for w in witnesses]
    report = audit.verify_log(check_blobs=False, witnesses=_required(witnesses), min_cosignatures=2)
    assert report.ok and report.witnessed == 312, report.problems

    # The operator rewrites entry 6 and re-signs every checkpoint with the log's own key.
    _rewrite(6)
    assert audit.verify_log(check_blobs=False).ok  # the database alone agrees with itself
    # The same size with another root: a split view.
    outcome = first.round(url)
    assert outcome.action == "refused" and "split-view" in outcome.message
    # A new checkpoint on the rewritten history: not consistent with what the witness co-signed.
    _entries(5, 312)
    services.checkpoint_create()
    for witness in witnesses:
        outcome = witness.round(url)
        assert outcome.action == "refused", outcome
        assert any((witness.state / "alerts").iterdir())
    assert "inconsistent" in outcome.message
    assert not Cosignature.objects.filter(checkpoint_id=317).exists()
    report = audit.verify_log(check_blobs=False, witnesses=_required(witnesses), min_cosignatures=2)
    assert not report.ok
    assert "cosignature does not verify" in str(report.problem)


def test_a_witness_sees_a_split_view_between_two_urls(flushable, live_server, witnesses, tmp_path):
    # The log shows one history to the witness at its own address and another through a second
    # address (a mirror, another vantage point): two checkpoints of the same size.
    _entries(7, 0)
    services.checkpoint_create()
    witness = witnesses[0]
    assert witness.round(f"{live_server.url}/ledger").action == "cosigned"
    mirror = tmp_path / "mirror"
    shutil.copytree(settings.SANXIANG_LEDGER_TILE_DIR, mirror)
    text = services.note_text(7, "ab" * 32)
    forged = notes.Note(
        text, (notes.sign_checkpoint(text, settings.SANXIANG_LEDGER_ORIGIN, services.current_key()),)
    )
    (mirror / "checkpoint").write_text(str(forged))
    witness.fetch = lambda u: (
        tiles.directory_reader(mirror)(u.split("/mirror/", 1)[1]) if "/mirror/" in u else None
    )
    outcome = witness.round("file:///mirror")
    assert outcome.action == "refused" and "split-view" in outcome.message


def test_the_server_takes_only_registered_valid_cosignatures(db, client, witnesses, make_entries):
    make_entries(3)
    checkpoint = services.checkpoint_create()
    text = services.note_text(checkpoint.size, checkpoint.root)
    good = notes.cosign(text, witnesses[0].name, witnesses[0].key(), 1_800_000_000)
    response = client.post("/ledger/cosignatures", data=f"{text}\n{good}\n", content_type="text/plain")
    assert response.status_code == 201 and witnesses[0].name in response.content.decode()
    stranger = notes.cosign(text, "stranger.example/w", services.signing.generate_key(), 1_800_000_000)
    response = client.post("/ledger/cosignatures", data=f"{text}\n{stranger}\n", content_type="text/plain")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert "没有已登记见证方的签名" in response.content.decode()
    other = services.note_text(checkpoint.size, "cd" * 32)
    forged = notes.cosign(other, witnesses[1].name, witnesses[1].key(), 1_800_000_000)
    response = client.post("/ledger/cosignatures", data=f"{other}\n{forged}\n", content_type="text/plain")
    assert response.status_code == 422 and "不是本系统签发的" in response.content.decode()
    page = client.get(f"/ledger/checkpoints/{checkpoint.size}/").content.decode()
    assert "上级司法局" in page and "— sfj.example/witness" in page
    assert "上级司法局" in client.get("/ledger/").content.decode()
    note = client.get("/ledger/checkpoint")
    assert note["Content-Type"].startswith("text/plain") and note.content.decode().count("\n\u2014 ") == 2
    tile = client.get(f"/ledger/{tiles.tile_path(0, 0, 3)}")
    assert tile.status_code == 200 and "immutable" in tile["Cache-Control"] and len(b"".join(tile)) == 96
    assert client.get("/ledger/tile/0/../../etc/passwd").status_code == 404
