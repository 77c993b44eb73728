"""RFC 9162 Merkle tree over any hash function: proof generation from cached perfect subtrees.

The log keeps the hash of every *perfect* subtree once it is complete (level L, index i covers the
leaves ``[i*2^L, (i+1)*2^L)``). Every subtree that a proof needs — ``MTH(D[a:b])`` for the ranges of
RFC 9162 §2.1.3.1 and §2.1.4.1 — is the right fold of at most log2(n) perfect subtrees, so a proof
needs O(log n) cached hashes fetched in one query, never the whole leaf list.

Verification lives in :mod:`sanxiang.ledger.verifier` (no Django), and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sanxiang.ledger.verifier import (  # noqa: F401  (re-exported)
    HashFn,
    ProofError,
    leaf_hash,
    node_hash,
    root_from_consistency,
    root_from_inclusion,
    sha256,
    sm3,
    verify_consistency,
    verify_inclusion,
)

Key = tuple[int, int]  # (level, index) of a perfect subtree
Range = tuple[int, int]  # [start, end) of leaves


def _largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_keys(start: int, end: int) -> list[Key]:
    """The perfect subtrees whose right fold is MTH(D[start:end]), left to right.

    ``start`` must be aligned as in RFC 9162's recursion: a multiple of the largest power of two
    not above ``end - start``.
    """
    keys: list[Key] = []
    remaining, position = end - start, start
    while remaining:
        level = remaining.bit_length() - 1
        keys.append((level, position >> level))
        position += 1 << level
        remaining -= 1 << level
    return keys


def fold(hash_fn: HashFn, hashes: Sequence[bytes]) -> bytes:
    """Right fold of perfect-subtree hashes: H(1||h0||H(1||h1||…)). The empty tree hashes to H("")."""
    if not hashes:
        return hash_fn(b"")
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node_hash(hash_fn, h, result)
    return result


def fold_perfect(hash_fn: HashFn, hashes: Sequence[bytes]) -> bytes:
    """MTH of a power-of-two number of subtree hashes of equal height (pairwise, level by level)."""
    level = list(hashes)
    if not level or len(level) & (len(level) - 1):
        raise ValueError(f"{len(level)} hashes do not make a perfect tree")
    while len(level) > 1:
        level = [node_hash(hash_fn, level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose hashes form PATH(index, D[size]) (RFC 9162 §2.1.3.1), leaf side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(size1: int, size2: int) -> list[Range]:
    """The subtrees whose hashes form PROOF(size1, D[size2]) (RFC 9162 §2.1.4.1); as the reference
    (transparency-dev/merkle proof.Consistency), a proof from the empty tree is refused."""
    if not 0 <= size1 <= size2:
        raise ProofError(f"sizes {size1} and {size2} are not in order")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if size1 == size2:
        return []
    ranges: list[Range] = []
    m, start, end, complete = size1, 0, size2, True
    while True:
        if m == end - start:
            if not complete:
                ranges.append((start, end))
            break
        k = _largest_power_of_two_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    ranges.reverse()
    return ranges


def keys_for(ranges: Iterable[Range]) -> set[Key]:
    return {key for start, end in ranges for key in perfect_keys(start, end)}


def hashes_for(hash_fn: HashFn, ranges: Iterable[Range], nodes: Mapping[Key, bytes]) -> list[bytes]:
    return [fold(hash_fn, [nodes[k] for k in perfect_keys(start, end)]) for start, end in ranges]


def frontier_keys(size: int) -> list[Key]:
    """The perfect subtrees that make up a tree of ``size`` leaves (one per set bit), left to right."""
    return perfect_keys(0, size)


class CompactRange:
    """The right edge of a growing tree: O(log n) memory, O(1) amortised work per appended leaf.

    ``append`` returns the perfect subtrees that the new leaf completes (the leaf itself first), so the
    caller can store them; ``root()`` is MTH of everything appended so far.
    """

    def __init__(self, hash_fn: HashFn, size: int = 0, frontier: Sequence[bytes] = ()):
        keys = frontier_keys(size)
        if len(keys) != len(frontier):
            raise ValueError(f"a tree of {size} leaves has {len(keys)} frontier hashes, got {len(frontier)}")
        self.hash_fn = hash_fn
        self.size = size
        self.stack: list[tuple[int, bytes]] = [
            (level, h) for (level, _), h in zip(keys, frontier, strict=True)
        ]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        completed = [(0, index, leaf)]
        level, current = 0, leaf
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            current = node_hash(self.hash_fn, left, current)
            level += 1
            completed.append((level, index >> level, current))
        self.stack.append((level, current))
        self.size += 1
        return completed

    def root(self) -> bytes:
        return fold(self.hash_fn, [h for _, h in self.stack])


class MemoryTree:
    """A whole tree in memory (tests, bundle checks and small tools; the log itself uses the database)."""

    def __init__(self, hash_fn: HashFn, leaves: Iterable[bytes] = ()):
        self.hash_fn = hash_fn
        self.nodes: dict[Key, bytes] = {}
        self.compact = CompactRange(hash_fn)
        for data in leaves:
            self.append(data)

    @property
    def size(self) -> int:
        return self.compact.size

    def append(self, data: bytes) -> None:
        for level, index, h in self.compact.append(leaf_hash(self.hash_fn, data)):
            self.nodes[(level, index)] = h

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        return fold(self.hash_fn, [self.nodes[k] for k in frontier_keys(size)])

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return hashes_for(
            self.hash_fn, inclusion_ranges(index, self.size if size is None else size), self.nodes
        )

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return hashes_for(
            self.hash_fn, consistency_ranges(size1, self.size if size2 is None else size2), self.nodes
        )
