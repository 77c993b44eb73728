"""Ledger test helpers: tampering on purpose, and live (committed) databases despite the triggers."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager

import pytest
from django.db import connection

from sanxiang.ledger import blobs, immutability, merkle, services, signing
from sanxiang.ledger.testing import _ledger_triggers_restored, ledger_live_db  # noqa: F401
from sanxiang.ledger.verifier import sm3


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


def rebuild_tree(cursor) -> merkle.MemoryTree:
    """What an insider does after editing bodies: recompute every leaf hash and every stored subtree
    hash from the bodies as they now are, so that the database agrees with itself."""
    from sanxiang.ledger.models import Entry, Node

    bodies = list(Entry.objects.order_by("seq").values_list("seq", "body"))
    tree = merkle.MemoryTree(sm3, [body.encode() for _, body in bodies])
    for seq, _ in bodies:
        cursor.execute("UPDATE ledger_entry SET leaf_hash = %s WHERE seq = %s", [tree.nodes[(0, seq)], seq])
    for (level, index), h in tree.nodes.items():
        if level:
            cursor.execute(
                "UPDATE ledger_node SET hash = %s WHERE flat = %s", [h, Node.flat_index(level, index)]
            )
    return tree


def re_sign_checkpoints(
    cursor, tree: merkle.MemoryTree, key: signing.SigningKey, *, insert_key: bool
) -> None:
    """Re-sign every stored checkpoint over the rebuilt tree with ``key`` (inserted into the keys table)."""
    from django.utils import timezone

    from sanxiang.ledger.models import Checkpoint

    if insert_key:
        cursor.execute(
            "INSERT INTO ledger_signingkey (key_id, public_key, created_at) VALUES (%s, %s, %s)",
            [key.key_id, key.public_hex, timezone.now()],
        )
    for checkpoint in Checkpoint.objects.order_by("size"):
        fields = json.loads(checkpoint.body)
        fields.update(root=tree.root(checkpoint.size).hex(), key_id=key.key_id)
        body = services.canonical(fields)
        note = services.note_text(checkpoint.size, fields["root"]).encode()
        cursor.execute(
            "UPDATE ledger_checkpoint SET root = %s, body = %s, signature = %s, key_id = %s, note_signature = %s "
            "WHERE size = %s",
            [fields["root"], body.decode(), key.sign(body), key.key_id, key.sign(note), checkpoint.size],
        )


@pytest.fixture
def own_key_file(settings, tmp_path):
    """A key file of this test's own (rotation replaces it; the shared test key must stay)."""
    settings.SANXIANG_LEDGER_KEY_FILE = tmp_path / "ledger-key" / "sm2_key"
    services._key_at.cache_clear()
    yield settings.SANXIANG_LEDGER_KEY_FILE
    services._key_at.cache_clear()


from sanxiang.testing.s3fixtures import blob_store, s3_server, s3_store  # noqa: E402, F401
