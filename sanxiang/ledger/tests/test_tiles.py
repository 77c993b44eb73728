"""The tree as C2SP tlog-tiles: paths as the spec writes them, tiles written when a checkpoint is
signed, and inclusion and consistency proofs computed from the tiles alone (no database)."""

from __future__ import annotations

import pytest
from django.conf import settings

from sanxiang.ledger import merkle, services, tiles
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verifier import ProofError, sm3, verify_consistency, verify_inclusion


def test_tile_paths_follow_the_spec():
    assert tiles.encode_index(0) == "000"
    assert tiles.encode_index(1234067) == "x001/x234/067"
    assert tiles.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tiles.tile_path(1, 5, 3) == "tile/1/005.p/3"
    assert (
        tiles.tile_width(0, 2, 600) == 88
        and tiles.tile_width(1, 0, 600) == 2
        and tiles.tile_width(2, 0, 600) == 0
    )


def _memory_tiles(tree: merkle.MemoryTree, size: int) -> dict[str, bytes]:
    files = {}
    for level, index, width in tiles.tiles_between(0, size):
        height = tiles.HEIGHT * level
        start = index * tiles.WIDTH
        files[tiles.tile_path(level, index, width)] = b"".join(
            tree.nodes[(height, i)] for i in range(start, start + width)
        )
    return files


def test_proofs_from_tiles_of_a_tree_with_three_tile_levels():
    size = 70_000  # level-2 tiles exist above 65,536 leaves
    tree = merkle.MemoryTree(sm3, (f"entry {i}".encode() for i in range(size)))
    files = _memory_tiles(tree, size)
    tiled = tiles.TiledTree(files.get, size, tree.root())
    for index in (0, 255, 256, 65_535, 65_536, 69_999):
        proof = tiled.inclusion_proof(index)
        assert proof == tree.inclusion_proof(index)
        verify_inclusion(sm3, index, size, tree.nodes[(0, index)], proof, tree.root())
    for old in (1, 256, 65_536, 69_000):
        assert tiled.consistency_proof(old) == tree.consistency_proof(old)
    # one altered hash in a full tile no longer hashes up to the tile above it
    name = tiles.tile_path(0, 3)
    files[name] = bytes(32) + files[name][32:]
    with pytest.raises(ProofError):
        tiles.TiledTree(files.get, size, tree.root()).inclusion_proof(3 * 256 + 7)
    with pytest.raises(ProofError):
        tiles.TiledTree(files.get, size, bytes(32))


def test_an_inclusion_proof_built_only_from_the_served_tiles_verifies(db, client, make_entries):
    make_entries(300)
    services.checkpoint_create()
    make_entries(300)
    checkpoint = services.checkpoint_create()
    written = sorted(
        p.relative_to(settings.SANXIANG_LEDGER_TILE_DIR).as_posix()
        for p in settings.SANXIANG_LEDGER_TILE_DIR.rglob("*")
        if p.is_file()
    )
    assert "tile/0/000" in written and "tile/0/001" in written and "tile/0/002.p/88" in written
    assert "tile/0/001.p/44" in written  # the partial tile of the first checkpoint stays

    def served(path: str) -> bytes | None:  # over HTTP, as a mirror or witness reads them
        response = client.get(f"/ledger/{path}")
        return b"".join(response) if response.status_code == 200 else None

    root = bytes.fromhex(checkpoint.root)
    tiled = tiles.TiledTree(served, checkpoint.size, root)
    for seq in (0, 299, 599):
        entry = Entry.objects.get(seq=seq)
        proof = tiled.inclusion_proof(seq)
        verify_inclusion(sm3, seq, checkpoint.size, merkle.leaf_hash(sm3, entry.body.encode()), proof, root)
        assert proof == services.inclusion_proof(seq, checkpoint.size)
    first = services.checkpoint_at(300)
    verify_consistency(sm3, 300, 600, tiled.consistency_proof(300), bytes.fromhex(first.root), root)
