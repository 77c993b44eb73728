"""The proof verifiers against transparency-dev/merkle ``proof/verify.go``, case by case (issue 17).

Each row is one edge of the reference: what it accepts, what it refuses. The trees are built with
RFC 6962's SHA-256 leaves and with SM3 (the same code takes either hash)."""

from __future__ import annotations

import pytest

from sanxiang.ledger import merkle
from sanxiang.ledger.verifier import ProofError

LEAVES = [f"leaf {i}".encode() for i in range(12)]


@pytest.fixture(params=[merkle.sha256, merkle.sm3], ids=["sha256", "sm3"])
def tree(request):
    return merkle.MemoryTree(request.param, LEAVES)


def _root(tree, size):
    return tree.root(size)


# (name, size1, size2, proof builder, root1 builder, root2 builder, accepted)
# builders take the tree; "proof" builders may return a wrong proof on purpose.
def _proof(a, b):
    return lambda t: t.consistency_proof(a, b)


CONSISTENCY = [
    # equal sizes: the proof must be empty and the roots equal (verify.go: size1 == size2)
    ("equal sizes, empty proof, equal roots", 5, 5, lambda t: [], 5, 5, True),
    ("equal sizes, empty proof, different roots", 5, 5, lambda t: [], 5, 4, False),
    ("equal sizes, non-empty proof", 5, 5, lambda t: [t.root(5)], 5, 5, False),
    ("both empty, empty proof, equal roots", 0, 0, lambda t: [], 0, 0, True),
    ("both empty, non-empty proof", 0, 0, lambda t: [t.root(0)], 0, 0, False),
    ("both empty, different roots", 0, 0, lambda t: [], 0, 1, False),
    # from the empty tree: meaningless, refused whatever the proof (verify.go: size1 == 0)
    ("from the empty tree, empty proof", 0, 7, lambda t: [], 0, 7, False),
    ("from the empty tree, some proof", 0, 7, lambda t: [t.root(7)], 0, 7, False),
    # out of order / out of range
    ("second smaller than first", 7, 5, lambda t: [], 7, 5, False),
    ("negative first size", -1, 5, lambda t: [], 0, 5, False),
    ("negative second size", 0, -1, lambda t: [], 0, 0, False),
    # the normal cases, first a power of two (root1 is the seed) and not
    ("4 → 7 (power of two)", 4, 7, _proof(4, 7), 4, 7, True),
    ("1 → 12", 1, 12, _proof(1, 12), 1, 12, True),
    ("5 → 12", 5, 12, _proof(5, 12), 5, 12, True),
    ("11 → 12", 11, 12, _proof(11, 12), 11, 12, True),
    ("8 → 12", 8, 12, _proof(8, 12), 8, 12, True),
    ("6 → 8 (second a power of two)", 6, 8, _proof(6, 8), 6, 8, True),
    # non-empty sizes with an empty proof
    ("5 → 12, empty proof", 5, 12, lambda t: [], 5, 12, False),
    # wrong length: one hash too many, one too few, garbage before
    ("5 → 12, extra hash", 5, 12, lambda t: [*t.consistency_proof(5, 12), t.root(1)], 5, 12, False),
    ("5 → 12, missing hash", 5, 12, lambda t: t.consistency_proof(5, 12)[:-1], 5, 12, False),
    ("5 → 12, preceding garbage", 5, 12, lambda t: [t.root(2), *t.consistency_proof(5, 12)], 5, 12, False),
    ("4 → 7, root1 prepended", 4, 7, lambda t: [t.root(4), *t.consistency_proof(4, 7)], 4, 7, False),
    # right length, wrong hashes or roots
    ("5 → 12, wrong first root", 5, 12, _proof(5, 12), 4, 12, False),
    ("5 → 12, wrong second root", 5, 12, _proof(5, 12), 5, 11, False),
    ("5 → 12, proof of 5 → 11", 5, 12, _proof(5, 11), 5, 12, False),
    ("5 → 12, a truncated hash", 5, 12, lambda t: [p[:-1] for p in t.consistency_proof(5, 12)], 5, 12, False),
]


@pytest.mark.parametrize(
    ("name", "size1", "size2", "proof", "root1", "root2", "accepted"),
    CONSISTENCY,
    ids=[c[0] for c in CONSISTENCY],
)
def test_consistency_edges_as_the_reference(tree, name, size1, size2, proof, root1, root2, accepted):
    args = (tree.hash_fn, size1, size2, proof(tree), _root(tree, root1), _root(tree, root2))
    if accepted:
        merkle.verify_consistency(*args)
    else:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*args)


INCLUSION = [
    ("first leaf of 12", 0, 12, lambda t: t.inclusion_proof(0, 12), 0, 12, True),
    ("last leaf of 12", 11, 12, lambda t: t.inclusion_proof(11, 12), 11, 12, True),
    ("only leaf of 1 (empty proof)", 0, 1, lambda t: [], 0, 1, True),
    ("leaf in a perfect tree of 8", 5, 8, lambda t: t.inclusion_proof(5, 8), 5, 8, True),
    ("index equal to size", 12, 12, lambda t: t.inclusion_proof(11, 12), 11, 12, False),
    ("index beyond size", 13, 12, lambda t: t.inclusion_proof(11, 12), 11, 12, False),
    ("negative index", -1, 12, lambda t: t.inclusion_proof(0, 12), 0, 12, False),
    ("size 0", 0, 0, lambda t: [], 0, 0, False),
    ("only leaf of 1, non-empty proof", 0, 1, lambda t: [t.root(1)], 0, 1, False),
    ("proof one too long", 3, 12, lambda t: [*t.inclusion_proof(3, 12), t.root(1)], 3, 12, False),
    ("proof one too short", 3, 12, lambda t: t.inclusion_proof(3, 12)[:-1], 3, 12, False),
    ("garbage before the proof", 3, 12, lambda t: [t.root(1), *t.inclusion_proof(3, 12)], 3, 12, False),
    ("proof of another index", 3, 12, lambda t: t.inclusion_proof(2, 12), 3, 12, False),
    ("proof of another size", 3, 12, lambda t: t.inclusion_proof(3, 11), 3, 12, False),
    ("wrong root", 3, 12, lambda t: t.inclusion_proof(3, 12), 3, 11, False),
    ("wrong leaf", 3, 12, lambda t: t.inclusion_proof(3, 12), 4, 12, False),
    ("truncated leaf hash", 3, 12, lambda t: t.inclusion_proof(3, 12), None, 12, False),
]


@pytest.mark.parametrize(
    ("name", "index", "size", "proof", "leaf", "root", "accepted"), INCLUSION, ids=[c[0] for c in INCLUSION]
)
def test_inclusion_edges_as_the_reference(tree, name, index, size, proof, leaf, root, accepted):
    leaf_hash = tree.nodes[(0, 3)][:-1] if leaf is None else tree.nodes.get((0, leaf), b"\0" * 32)
    args = (tree.hash_fn, index, size, leaf_hash, proof(tree), tree.root(root))
    if accepted:
        merkle.verify_inclusion(*args)
    else:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*args)


def test_a_consistency_proof_from_the_empty_tree_is_not_made_either(tree):
    # proof.go: Consistency(0, n) is an error, not an empty proof
    with pytest.raises(ProofError):
        tree.consistency_proof(0, 5)
    assert tree.consistency_proof(5, 5) == []


def test_every_pair_of_sizes_round_trips_and_the_root_is_returned(tree):
    for size2 in range(1, 13):
        for size1 in range(1, size2 + 1):
            proof = tree.consistency_proof(size1, size2)
            got = merkle.root_from_consistency(tree.hash_fn, size1, size2, proof, tree.root(size1))
            assert got == tree.root(size2)
