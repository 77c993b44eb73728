"""Standalone verifier for Sanxiang ledger proof bundles — no Django, no database, no network.

Usage::

    python -m sanxiang.ledger.verifier BUNDLE_DIR [--trusted-key PUBLIC_KEY_HEX_OR_FILE]
        [--document-key AGENCY_PUBLIC_KEY_HEX_OR_FILE]    # an issued 执法文书's entry
    python verifier.py BUNDLE_DIR          # this file alone also works (it is copied into every bundle)
    python -m sanxiang.ledger.verifier --draw draw.json    # re-run a published 双随机 draw

It needs only the Python standard library (SM3 and SHA-256 through ``hashlib``, i.e. OpenSSL 3) and
``gmssl`` for SM2 signature verification. Exit status 0 means every check passed; any other status
means the bundle does not prove what it claims, and the first failed check is printed.

What it checks (docs/decisions/0003-ledger-hash-merkle-signing.md):

1. ``checkpoint.json`` is signed by ``public_key.hex`` (SM2 with SM3, GB/T 32918.2, signer ID
   1234567812345678) — and, with ``--trusted-key``, that key is the one you trust;
2. the leaf hash of ``entry.json`` (its exact bytes: SM3(0x00 || bytes), RFC 9162 §2.1.1) is
   included at the entry's ``seq`` in the tree of the checkpoint's size and root (RFC 9162 §2.1.3.2);
3. every blob that the entry names and the bundle carries hashes (SM3 and SHA-256) to the named
   values and has the named size; blobs withheld from the bundle are listed, not silently ignored;
4. an issued 执法文书 (``document.issued``): the SM2 signature over its PDF's SM3 verifies with the
   issuing agency's public key (``--document-key``, as the document's verify page shows it).

The Merkle functions here are the single implementation that the server uses too (they take the hash
function as a parameter and are tested against the RFC 6962/9162 SHA-256 vectors).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

HashFn = Callable[[bytes], bytes]

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
DEFAULT_SM2_ID = b"1234567812345678"
CHUNK = 1 << 20


_SM3 = hashlib.new("sm3")


def sm3(data: bytes) -> bytes:
    # copying a made hasher skips OpenSSL's digest lookup, which costs more than hashing a leaf
    h = _SM3.copy()
    h.update(data)
    return h.digest()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def digest_size(hash_fn: HashFn) -> int:
    return len(hash_fn(b""))


def leaf_hash(hash_fn: HashFn, data: bytes) -> bytes:
    return hash_fn(LEAF_PREFIX + data)


def node_hash(hash_fn: HashFn, left: bytes, right: bytes) -> bytes:
    return hash_fn(NODE_PREFIX + left + right)


class ProofError(ValueError):
    """A proof, signature or bundle does not verify."""


def _check_len(what: str, value: bytes, size: int) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != size:
        raise ProofError(f"{what}: expected a {size}-byte hash, got {len(value) if value is not None else 0}")


# ---------------------------------------------------------------- inclusion and consistency
#
# These follow transparency-dev/merkle proof/verify.go case by case (docs/decisions/0016): the proof is
# split where the paths to ``index`` and to the last leaf diverge — ``inner`` hashes below that point,
# ``border`` hashes along the right border above it — and its length must be exactly inner + border.
# Consistency: size2 < size1 is an error; equal sizes need an empty proof and equal roots; a proof from
# the empty tree (size1 == 0 < size2) is meaningless and refused; otherwise the proof must be non-empty
# and of the exact length, and must lead to both roots.


def _decompose(index: int, size: int) -> tuple[int, int]:
    """(inner, border): the lengths of the lower and upper parts of the inclusion proof of ``index``."""
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return inner, border


def _chain_inner(hash_fn: HashFn, seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        seed = node_hash(hash_fn, h, seed) if (index >> i) & 1 else node_hash(hash_fn, seed, h)
    return seed


def _chain_inner_right(hash_fn: HashFn, seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Like _chain_inner, with only the hashes left of the path: the earlier version of the subtree."""
    for i, h in enumerate(proof):
        if (index >> i) & 1:
            seed = node_hash(hash_fn, h, seed)
    return seed


def _chain_border_right(hash_fn: HashFn, seed: bytes, proof: Sequence[bytes]) -> bytes:
    for h in proof:
        seed = node_hash(hash_fn, h, seed)
    return seed


def _check_proof(hash_fn: HashFn, proof: Sequence[bytes]) -> list[bytes]:
    n = digest_size(hash_fn)
    for i, p in enumerate(proof):
        _check_len(f"proof[{i}]", p, n)
    return [bytes(p) for p in proof]


def root_from_inclusion(hash_fn: HashFn, index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` gives for ``leaf`` at ``index`` in a tree of ``size`` (0 <= index < size)."""
    if index < 0 or index >= size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    _check_len("leaf hash", leaf, digest_size(hash_fn))
    inner, border = _decompose(index, size)
    if len(proof) != inner + border:
        raise ProofError(f"wrong inclusion proof size {len(proof)}, want {inner + border}")
    proof = _check_proof(hash_fn, proof)
    return _chain_border_right(
        hash_fn, _chain_inner(hash_fn, bytes(leaf), proof[:inner], index), proof[inner:]
    )


def verify_inclusion(
    hash_fn: HashFn, index: int, size: int, leaf: bytes, proof: Sequence[bytes] | None, root: bytes
) -> None:
    """Raise ProofError unless ``leaf`` is at ``index`` in the tree of ``size`` with ``root``."""
    calculated = root_from_inclusion(hash_fn, index, size, leaf, proof or [])
    if calculated != root:
        raise ProofError("inclusion proof leads to a different root")


def root_from_consistency(
    hash_fn: HashFn, size1: int, size2: int, proof: Sequence[bytes] | None, root1: bytes
) -> bytes:
    """The root of the tree of ``size2`` that ``proof`` gives, after checking it leads to ``root1``."""
    proof = list(proof or [])
    if size1 < 0 or size2 < 0:
        raise ProofError(f"tree sizes cannot be negative ({size1}, {size2})")
    if size2 < size1:
        raise ProofError(f"second size {size2} is smaller than first size {size1}")
    if size1 == size2:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        return root1
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if not proof:
        raise ProofError("empty consistency proof")
    inner, border = _decompose(size1 - 1, size2)
    shift = (size1 & -size1).bit_length() - 1  # trailing zero bits of size1
    inner -= shift
    seed, start = proof[0], 1
    if size1 == 1 << shift:  # the first tree is a perfect subtree: its root is the seed
        seed, start = root1, 0
    if len(proof) != start + inner + border:
        raise ProofError(f"wrong consistency proof size {len(proof)}, want {start + inner + border}")
    proof = _check_proof(hash_fn, proof)
    rest = proof[start:]
    mask = (size1 - 1) >> shift
    hash1 = _chain_border_right(hash_fn, _chain_inner_right(hash_fn, seed, rest[:inner], mask), rest[inner:])
    if hash1 != root1:
        raise ProofError("consistency proof does not lead to the first root")
    return _chain_border_right(hash_fn, _chain_inner(hash_fn, seed, rest[:inner], mask), rest[inner:])


def verify_consistency(
    hash_fn: HashFn, size1: int, size2: int, proof: Sequence[bytes] | None, root1: bytes, root2: bytes
) -> None:
    """Raise ProofError unless the tree (size2, root2) extends the tree (size1, root1)."""
    if root_from_consistency(hash_fn, size1, size2, proof, root1) != root2:
        raise ProofError(
            "equal sizes but different roots"
            if size1 == size2
            else "consistency proof does not lead to the second root"
        )


# ---------------------------------------------------------------- SM2 verification (GB/T 32918.2)

SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
SM2_GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0


def sm2_public_key_xy(public_key_hex: str) -> tuple[int, int]:
    """Parse an uncompressed SM2 public key (``04 || x || y`` or ``x || y``, hex) and check it is on the curve."""
    key = public_key_hex.strip().lower()
    if len(key) == 130 and key.startswith("04"):
        key = key[2:]
    if len(key) != 128:
        raise ProofError("SM2 public key: expected 64 bytes x||y (hex), optionally prefixed by 04")
    try:
        x, y = int(key[:64], 16), int(key[64:], 16)
    except ValueError as exc:
        raise ProofError("SM2 public key: not hexadecimal") from exc
    if not (0 <= x < SM2_P and 0 <= y < SM2_P) or (y * y - (x * x * x + SM2_A * x + SM2_B)) % SM2_P:
        raise ProofError("SM2 public key: the point is not on the SM2 curve")
    return x, y


def sm2_z(public_key_hex: str, signer_id: bytes = DEFAULT_SM2_ID) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2 §5.5)."""
    x, y = sm2_public_key_xy(public_key_hex)
    entl = (len(signer_id) * 8).to_bytes(2, "big")
    parts = [SM2_A, SM2_B, SM2_GX, SM2_GY, x, y]
    return sm3(entl + signer_id + b"".join(v.to_bytes(32, "big") for v in parts))


def sm2_verify(
    public_key_hex: str, message: bytes, signature_hex: str, signer_id: bytes = DEFAULT_SM2_ID
) -> None:
    """Raise ProofError unless ``signature_hex`` (r||s, 64 bytes hex) is a valid SM2-with-SM3 signature."""
    from gmssl import sm2 as gm  # imported here so that the Merkle checks work without gmssl

    x, y = sm2_public_key_xy(public_key_hex)
    sig = signature_hex.strip().lower()
    if len(sig) != 128:
        raise ProofError("SM2 signature: expected r||s, 64 bytes hex")
    try:
        r, s = int(sig[:64], 16), int(sig[64:], 16)
    except ValueError as exc:
        raise ProofError("SM2 signature: not hexadecimal") from exc
    # GB/T 32918.2 §7.1 B1, B2: r and s must lie in [1, n-1] (gmssl does not check this itself).
    if not (1 <= r < SM2_N and 1 <= s < SM2_N):
        raise ProofError("SM2 signature: r or s out of range")
    e = sm3(sm2_z(public_key_hex, signer_id) + message)
    verifier = gm.CryptSM2(private_key=None, public_key="")
    # Set after construction: gmssl's constructor lstrip("04")s the key, which corrupts an x starting with 0 or 4.
    verifier.public_key = f"{x:064x}{y:064x}"
    if not verifier.verify(f"{r:064x}{s:064x}", e):
        raise ProofError("SM2 signature does not verify")


def key_id(public_key_hex: str) -> str:
    """The fingerprint of a public key: SM3 of its uncompressed encoding 04||x||y, hex."""
    x, y = sm2_public_key_xy(public_key_hex)
    return sm3(b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")).hex()


# ---------------------------------------------------------------- files


def hash_file(path: Path) -> tuple[str, str, int]:
    """(SM3 hex, SHA-256 hex, size) of a file, read in 1 MiB chunks."""
    h3, h2, size = hashlib.new("sm3"), hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            h3.update(chunk)
            h2.update(chunk)
            size += len(chunk)
    return h3.hexdigest(), h2.hexdigest(), size


def _unhex(what: str, value: object) -> bytes:
    if not isinstance(value, str):
        raise ProofError(f"{what}: expected a hex string")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise ProofError(f"{what}: not hexadecimal") from exc


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise ProofError(f"{path.name}: missing from the bundle") from exc
    except ValueError as exc:
        raise ProofError(f"{path.name}: not JSON ({exc})") from exc


def verify_checkpoint(body: bytes, signature_hex: str, public_key_hex: str) -> dict:
    """Check a signed tree head and return its fields (size, root, time, origin, key_id)."""
    sm2_verify(public_key_hex, body, signature_hex)
    try:
        fields = json.loads(body)
    except ValueError as exc:
        raise ProofError(f"checkpoint: not JSON ({exc})") from exc
    if fields.get("key_id") != key_id(public_key_hex):
        raise ProofError("checkpoint: names a different signing key")
    if not isinstance(fields.get("size"), int) or fields["size"] < 0:
        raise ProofError("checkpoint: size missing")
    return fields


def _notes_module() -> Any:
    """sanxiang.ledger.notes, or — this file alone in a bundle — the bundle's copy of notes.py beside it,
    given this file's functions (it imports them from ``verifier``)."""
    try:
        from sanxiang.ledger import notes

        return notes
    except ImportError:
        import importlib.util
        import types

        path = Path(__file__).with_name("notes.py")
        if not path.is_file():
            raise ProofError("notes.py: missing beside verifier.py, needed to check cosignatures") from None
        own = types.ModuleType("verifier")
        own.__dict__.update(ProofError=ProofError, sm2_public_key_xy=sm2_public_key_xy, sm2_verify=sm2_verify)
        sys.modules.setdefault("verifier", own)
        spec = importlib.util.spec_from_file_location("sanxiang_bundle_notes", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def verify_cosignatures(
    bundle: Path, checkpoint: dict, public_key: str, witnesses: dict[str, str], required: int
) -> str:
    """``checkpoint.note`` is the checkpoint's tree head, signed by the log's key, and co-signed by at
    least ``required`` of ``witnesses`` (name → SM2 public key); a cosignature of one of them that does
    not verify refuses the bundle (C2SP signed-note, tlog-cosignature)."""
    path = bundle / "checkpoint.note"
    if not path.is_file():
        raise ProofError(
            f"checkpoint.note: missing from the bundle, so the {required} cosignatures you require cannot be checked"
        )
    notes = _notes_module()
    try:
        note = notes.parse(path.read_text(encoding="utf-8"))
        head = notes.parse_checkpoint(note.text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProofError(f"checkpoint.note: not a signed checkpoint note ({exc})") from exc
    if (head.origin, head.size, head.root.hex()) != (
        checkpoint.get("origin"),
        checkpoint["size"],
        checkpoint["root"],
    ):
        raise ProofError(
            "checkpoint.note: not the tree head of checkpoint.json (origin, size or root differ)"
        )
    notes.verify_log_signature(note, head.origin, public_key)
    good = notes.count_cosignatures(note, witnesses)
    if len(good) < required:
        raise ProofError(
            f"checkpoint.note: co-signed by {len(good)} of the witnesses you named "
            f"({', '.join(good) or 'none'} of {', '.join(witnesses)}); you require {required}"
        )
    return f"checkpoint: co-signed by {len(good)} witnesses ({', '.join(good)}), {required} required"


def _verify_document_signature(payload: dict, document_key: str | None) -> str:
    named = str(payload.get("public_key") or "")
    key = document_key or named
    if not key:
        raise ProofError("document: the entry names no public key")
    if document_key is not None and (not named or key_id(document_key) != key_id(named)):
        raise ProofError("document: signed with a key that is not the agency key you gave (--document-key)")
    if payload.get("key_id") and key_id(key) != payload["key_id"]:
        raise ProofError("document: the entry's key_id is not the SM3 of its public key")
    try:
        digest = bytes.fromhex(str(payload.get("pdf_sm3", "")))
    except ValueError as exc:
        raise ProofError("document: pdf_sm3 is not hex") from exc
    sm2_verify(key, digest, str(payload.get("signature", "")))
    return (
        f"document {payload.get('number') or payload.get('code', '')}: SM2 signature over the PDF's SM3 "
        f"valid (key {key_id(key)[:16]}…"
        f"{', the agency key you gave' if document_key else ', not compared with a key you trust'})"
    )


def verify_bundle(
    bundle: Path,
    trusted_key: str | None = None,
    *,
    witnesses: dict[str, str] | None = None,
    min_cosignatures: int = 0,
    document_key: str | None = None,
) -> list[str]:
    """Check an exported bundle; return the lines of the report, raise ProofError at the first failure.
    With ``min_cosignatures`` N, the checkpoint must carry N verified cosignatures of ``witnesses``.
    An issued 执法文书 (``document.issued``): its SM2 signature over the PDF's SM3 is checked with
    ``document_key``, the issuing agency's public key as its verify page publishes it (without it,
    with the key the entry names, and the report says so)."""
    report: list[str] = []
    witnesses = dict(witnesses or {})
    if min_cosignatures > len(witnesses):
        raise ProofError(
            f"--min-cosignatures {min_cosignatures}: only {len(witnesses)} witnesses named (--witness)"
        )
    public_key = (
        (bundle / "public_key.hex").read_text().strip() if (bundle / "public_key.hex").exists() else ""
    )
    if not public_key:
        raise ProofError("public_key.hex: missing from the bundle")
    if trusted_key is not None and key_id(trusted_key) != key_id(public_key):
        raise ProofError("the bundle's public key is not the key you trust (--trusted-key)")
    checkpoint_body = (
        (bundle / "checkpoint.json").read_bytes() if (bundle / "checkpoint.json").exists() else b""
    )
    if not checkpoint_body:
        raise ProofError("checkpoint.json: missing from the bundle")
    signature = (
        (bundle / "checkpoint.sig").read_text().strip() if (bundle / "checkpoint.sig").exists() else ""
    )
    checkpoint = verify_checkpoint(checkpoint_body, signature, public_key)
    report.append(
        f"checkpoint: size {checkpoint['size']}, root {checkpoint['root']}, {checkpoint.get('time')} — "
        f"SM2 signature valid (key {checkpoint['key_id'][:16]}…"
        f"{', trusted' if trusted_key else ', not compared with a key you trust'})"
    )
    if min_cosignatures > 0:
        report.append(verify_cosignatures(bundle, checkpoint, public_key, witnesses, min_cosignatures))

    entry_bytes = (bundle / "entry.json").read_bytes() if (bundle / "entry.json").exists() else b""
    if not entry_bytes:
        raise ProofError("entry.json: missing from the bundle")
    try:
        entry = json.loads(entry_bytes)
    except ValueError as exc:
        raise ProofError(f"entry.json: not JSON ({exc})") from exc
    inclusion = _read_json(bundle / "inclusion.json")
    seq = entry.get("seq")
    if not isinstance(seq, int) or inclusion.get("index") != seq:
        raise ProofError("inclusion.json: its index is not the entry's seq")
    if inclusion.get("tree_size") != checkpoint["size"]:
        raise ProofError("inclusion.json: proves against a different tree size than the checkpoint")
    leaf = leaf_hash(sm3, entry_bytes)
    verify_inclusion(
        sm3,
        seq,
        checkpoint["size"],
        leaf,
        [_unhex(f"inclusion proof[{i}]", p) for i, p in enumerate(inclusion.get("proof") or [])],
        _unhex("checkpoint root", checkpoint["root"]),
    )
    report.append(f"entry #{seq} ({entry.get('kind')}): included in the checkpoint (leaf {leaf.hex()})")
    if entry.get("kind") == "document.issued":
        report.append(_verify_document_signature(entry.get("payload") or {}, document_key))
    elif document_key is not None:
        raise ProofError(f"--document-key: entry #{seq} is not an issued document ({entry.get('kind')})")

    for blob in entry.get("blobs") or []:
        name = blob.get("sm3", "")
        path = bundle / "blobs" / name
        if not name or "/" in name or not path.is_file():
            report.append(f"blob {name}: not in this bundle (withheld or not exported)")
            continue
        got_sm3, got_sha256, got_size = hash_file(path)
        if (got_sm3, got_sha256, got_size) != (name, blob.get("sha256"), blob.get("size")):
            raise ProofError(f"blob {name}: its content does not match the hashes and size in the entry")
        report.append(f"blob {name}: SM3, SHA-256 and size match ({got_size} bytes)")
    return report


def main(argv: Iterable[str] | None = None) -> int:
    argv = list(argv) if argv is not None else sys.argv[1:]
    if argv[:1] == [
        "--draw"
    ]:  # a 双随机 draw document: the same offline check (sanxiang/inspections/drawalgo.py)
        from sanxiang.inspections.drawalgo import main as draw_main

        return draw_main(argv[1:])
    parser = argparse.ArgumentParser(description="Verify a Sanxiang ledger proof bundle offline.")
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--trusted-key", help="the SM2 public key you trust (hex, or a file holding it)")
    parser.add_argument(
        "--witness", action="append", default=[], metavar="NAME=PUBLIC_KEY",
        help="a witness whose cosignatures you count (its key name and SM2 public key); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--min-cosignatures", type=int, default=0, metavar="N",
        help="require N cosignatures of the --witness keys on the bundle's checkpoint",
    )  # fmt: skip
    parser.add_argument(
        "--document-key", metavar="PUBLIC_KEY",
        help="an issued document's agency SM2 public key (hex, or a file holding it), from its verify page",
    )  # fmt: skip
    args = parser.parse_args(argv)
    trusted = args.trusted_key
    if trusted and Path(trusted).is_file():
        trusted = Path(trusted).read_text().strip()
    document_key = args.document_key
    if document_key and Path(document_key).is_file():
        document_key = Path(document_key).read_text().strip()
    witnesses = {}
    for spec in args.witness:
        name, _, public_key = spec.partition("=")
        if not name or not public_key:
            parser.error(f"--witness {spec!r}: expected NAME=PUBLIC_KEY")
        witnesses[name] = public_key.strip()
    try:
        for line in verify_bundle(
            args.bundle,
            trusted,
            witnesses=witnesses,
            min_cosignatures=args.min_cosignatures,
            document_key=document_key,
        ):
            print("OK  " + line)
    except (ProofError, OSError) as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    print("VERIFIED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
