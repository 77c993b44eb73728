"""The Merkle tree against every RFC 6962/9162 SHA-256 vector in ``vectors/`` beside this file (inclusion and
consistency, every case that must fail included), then the same code with SM3."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from sanxiang.ledger import merkle
from sanxiang.ledger.verifier import ProofError

# transparency-dev/merkle's testdata (Apache-2.0, vectors/LICENSE), copied into the repository.
VECTORS = Path(__file__).resolve().parent / "vectors"
# RFC 6962 test leaves (the inputs behind the vectors' leaf hashes).
RFC_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]


def _b64(value):
    return base64.b64decode(value) if value else b""


def _cases(kind):
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors under {VECTORS}"
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def _as_bytes(proof):
    return [_b64(p) for p in proof or []]


@pytest.mark.parametrize("case", _cases("inclusion"))
def test_every_inclusion_vector_verifies_or_fails_as_it_says(case):
    def check():
        merkle.verify_inclusion(
            merkle.sha256,
            case["leafIdx"],
            case["treeSize"],
            _b64(case["leafHash"]),
            _as_bytes(case["proof"]),
            _b64(case["root"]),
        )

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("case", _cases("consistency"))
def test_every_consistency_vector_verifies_or_fails_as_it_says(case):
    def check():
        merkle.verify_consistency(
            merkle.sha256,
            case["size1"],
            case["size2"],
            _as_bytes(case["proof"]),
            _b64(case["root1"]),
            _b64(case["root2"]),
        )

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def test_the_vectors_include_failing_cases_of_both_kinds():
    inclusion = [c.values[0] for c in _cases("inclusion")]
    consistency = [c.values[0] for c in _cases("consistency")]
    assert sum(c["wantErr"] for c in inclusion) > 50
    assert sum(c["wantErr"] for c in consistency) > 50


@pytest.mark.parametrize("case", [c for c in _cases("inclusion") if not c.values[0]["wantErr"]])
def test_generated_inclusion_proofs_equal_the_happy_path_vectors(case):
    tree = merkle.MemoryTree(merkle.sha256, RFC_LEAVES[: case["treeSize"]])
    if tree.nodes[(0, case["leafIdx"])] != _b64(case["leafHash"]):
        pytest.skip("single-entry vector: an arbitrary leaf, not one of the RFC 6962 leaves")
    assert tree.root() == _b64(case["root"])
    assert tree.nodes[(0, case["leafIdx"])] == _b64(case["leafHash"])
    assert tree.inclusion_proof(case["leafIdx"]) == _as_bytes(case["proof"])


@pytest.mark.parametrize("case", [c for c in _cases("consistency") if not c.values[0]["wantErr"]])
def test_generated_consistency_proofs_equal_the_happy_path_vectors(case):
    tree = merkle.MemoryTree(merkle.sha256, RFC_LEAVES[: case["size2"]])
    assert tree.root(case["size1"]) == _b64(case["root1"])
    assert tree.root() == _b64(case["root2"])
    assert tree.consistency_proof(case["size1"]) == _as_bytes(case["proof"])


def test_the_eight_leaf_root_is_the_rfc_6962_value():
    tree = merkle.MemoryTree(merkle.sha256, RFC_LEAVES)
    assert tree.root().hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    assert merkle.MemoryTree(merkle.sha256).root() == merkle.sha256(b"")


@pytest.mark.parametrize("hash_fn", [merkle.sha256, merkle.sm3], ids=["sha256", "sm3"])
def test_every_proof_in_trees_up_to_40_leaves_verifies_and_a_wrong_one_does_not(hash_fn):
    leaves = [f"leaf {i}".encode() for i in range(40)]
    tree = merkle.MemoryTree(hash_fn, leaves)
    for size in range(1, 41):
        root = tree.root(size)
        # the root from cached perfect subtrees equals the RFC 9162 recursive definition
        assert root == merkle.MemoryTree(hash_fn, leaves[:size]).root()
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            merkle.verify_inclusion(
                hash_fn, index, size, merkle.leaf_hash(hash_fn, leaves[index]), proof, root
            )
            if index + 1 < size:
                with pytest.raises(ProofError):
                    merkle.verify_inclusion(
                        hash_fn, index + 1, size, merkle.leaf_hash(hash_fn, leaves[index]), proof, root
                    )
        for first in range(1, size + 1):  # from the empty tree there is no proof (see test_reference_edges)
            proof = tree.consistency_proof(first, size)
            merkle.verify_consistency(hash_fn, first, size, proof, tree.root(first), root)
            if 0 < first < size:
                with pytest.raises(ProofError):
                    merkle.verify_consistency(
                        hash_fn, first, size, proof, tree.root(first), tree.root(size - 1)
                    )


def test_the_tree_takes_sm3_and_its_leaves_and_nodes_are_prefixed_as_in_rfc_9162():
    a, b = merkle.leaf_hash(merkle.sm3, b"a"), merkle.leaf_hash(merkle.sm3, b"b")
    assert a == merkle.sm3(b"\x00a")
    assert merkle.MemoryTree(merkle.sm3, [b"a", b"b"]).root() == merkle.sm3(b"\x01" + a + b)
    assert len(a) == 32 and a != merkle.leaf_hash(merkle.sha256, b"a")
