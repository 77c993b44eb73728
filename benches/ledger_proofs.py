"""Inclusion and consistency proofs at 100,000,000 entries, computed from C2SP tlog-tiles alone
(issue 17): no database and no 10^8 stored rows.

The tree is synthetic but a real Merkle tree: leaf ``i`` is the SM3 leaf hash of entry ``i mod 2^16``
(a block of 65,536 distinct leaves, repeated), so every perfect subtree of level ≤ 16 equals the same
subtree of the one block, and every complete subtree of level ≥ 16 has one hash per level. A tile
reader generates any tile (``tile/<L>/<N>[.p/<W>]``, full or partial) from those hashes on request, as
a directory or a CDN would serve it; :class:`sanxiang.ledger.tiles.TiledTree` authenticates every tile
against the signed root and computes the proofs, which are then checked with the verifier.

- ``build_seconds``: building the block (65,536 leaf hashes and its tree) and the upper levels;
- ``inclusion_proof_ms`` / ``consistency_proof_ms``: p50/p95 of proofs for random entries (and random
  old sizes) with one ``TiledTree`` kept open (tiles cached, as a server or mirror would), and
  ``*_cold_ms`` with a new ``TiledTree`` per proof (the root authenticated and every tile read anew);
  ``*_cpu_ms`` the CPU time of the kept-open proofs (the shared machine's load inflates wall time);
- ``proofs_verified``: every timed proof checked with ``verify_inclusion`` / ``verify_consistency``.

``--rows`` sets the tree size (default 100,000,000).
"""

from __future__ import annotations

import random
import re
import time

DEFAULT_SIZE = 100_000_000
BLOCK_LEVEL = 16
_PATH = re.compile(r"^tile/(\d+)/((?:x\d{3}/)*\d{3})(?:\.p/(\d+))?$")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))], 3)


class SyntheticTree:
    """Perfect-subtree hashes of the periodic tree described above, and its tiles."""

    def __init__(self, size: int):
        from sanxiang.ledger import merkle

        self.size = size
        block = merkle.MemoryTree(merkle.sm3, (f"entry {i}".encode() for i in range(1 << BLOCK_LEVEL)))
        self.block = block.nodes
        self.upper = [block.nodes[(BLOCK_LEVEL, 0)]]  # level 16, 17, … of complete subtrees
        while len(self.upper) < 64:
            self.upper.append(merkle.node_hash(merkle.sm3, self.upper[-1], self.upper[-1]))

    def node(self, level: int, index: int) -> bytes:
        if level >= BLOCK_LEVEL:
            return self.upper[level - BLOCK_LEVEL]
        return self.block[(level, index % (1 << (BLOCK_LEVEL - level)))]

    def root(self, size: int) -> bytes:
        from sanxiang.ledger import merkle

        return merkle.fold(merkle.sm3, [self.node(*key) for key in merkle.frontier_keys(size)])

    def read(self, path: str) -> bytes | None:
        from sanxiang.ledger import tiles

        match = _PATH.match(path)
        if match is None:
            return None
        level = int(match.group(1))
        index = int(match.group(2).replace("x", "").replace("/", ""))
        width = int(match.group(3) or tiles.WIDTH)
        if tiles.tile_width(level, index, self.size) < width:
            return None
        tree_level = tiles.HEIGHT * level
        first = index * tiles.WIDTH
        return b"".join(self.node(tree_level, first + i) for i in range(width))


def measure(size: int, samples: int = 2000) -> dict:
    from sanxiang.ledger import tiles
    from sanxiang.ledger.verifier import leaf_hash, sm3, verify_consistency, verify_inclusion

    t0 = time.perf_counter()
    tree = SyntheticTree(size)
    root = tree.root(size)
    result: dict = {"tree_size": size, "build_seconds": round(time.perf_counter() - t0, 3)}
    rng = random.Random(20261202)
    warm = tiles.TiledTree(tree.read, size, root)
    times, cold, cpu, verified = [], [], [], 0
    for _ in range(samples):
        index = rng.randrange(size)
        t0, c0 = time.perf_counter(), time.process_time()
        proof = warm.inclusion_proof(index)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        tiles.TiledTree(tree.read, size, root).inclusion_proof(index)
        cold.append((time.perf_counter() - t0) * 1000)
        leaf = leaf_hash(sm3, f"entry {index % (1 << BLOCK_LEVEL)}".encode())
        verify_inclusion(sm3, index, size, leaf, proof, root)
        verified += 1
    result["inclusion_proof_ms"] = {"p50": _pct(times, 0.5), "p95": _pct(times, 0.95)}
    result["inclusion_proof_cpu_ms"] = {"p50": _pct(cpu, 0.5), "p95": _pct(cpu, 0.95)}
    result["inclusion_proof_cold_ms"] = {"p50": _pct(cold, 0.5), "p95": _pct(cold, 0.95)}
    times, cold, cpu = [], [], []
    for _ in range(samples // 2):
        old = rng.randrange(1, size)
        t0, c0 = time.perf_counter(), time.process_time()
        proof = warm.consistency_proof(old)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        tiles.TiledTree(tree.read, size, root).consistency_proof(old)
        cold.append((time.perf_counter() - t0) * 1000)
        verify_consistency(sm3, old, size, proof, tree.root(old), root)
        verified += 1
    result["consistency_proof_ms"] = {"p50": _pct(times, 0.5), "p95": _pct(times, 0.95)}
    result["consistency_proof_cpu_ms"] = {"p50": _pct(cpu, 0.5), "p95": _pct(cpu, 0.95)}
    result["consistency_proof_cold_ms"] = {"p50": _pct(cold, 0.5), "p95": _pct(cold, 0.95)}
    result["proofs_verified"] = verified
    return result


def run(args) -> dict:
    return measure(args.rows or DEFAULT_SIZE)
