"""Proof bundles: everything a party or a court needs to check one entry offline.

A bundle directory holds ``entry.json`` (the exact bytes the leaf hash commits to), ``blobs/<sm3>``,
``inclusion.json``, ``checkpoint.json`` + ``checkpoint.sig`` (+ ``.der`` for OpenSSL),
``public_key.hex`` + ``public_key.pem``, ``checkpoint.note`` (the same tree head as a C2SP signed note
with the witnesses' cosignatures), a copy of ``verifier.py`` and ``notes.py`` and a README.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sanxiang.errors import FieldError, InvalidInput
from sanxiang.ledger import access, selectors, services, signing
from sanxiang.ledger.models import Blob
from sanxiang.ledger.storage import get_storage

README = """Sanxiang 执法全过程记录 证明包 / ledger proof bundle

离线核验 (offline check, Python 3.11+ with gmssl installed):
    python verifier.py .            # or: python -m sanxiang.ledger.verifier <this directory>
    python verifier.py . --trusted-key <the agency's published SM2 public key>
    python verifier.py . --witness <name>=<SM2 public key> --witness ... --min-cosignatures 2

With OpenSSL 3 only (checks the checkpoint signature, not the inclusion proof):
    openssl dgst -sm3 -verify public_key.pem -sigopt distid:1234567812345678 \\
        -signature checkpoint.sig.der checkpoint.json

entry.json       the recorded entry, canonical JSON (RFC 8785); its leaf hash is SM3(0x00 || bytes)
blobs/<sm3>      the recorded files it names (material marked secret is withheld, see manifest.json)
inclusion.json   RFC 9162 inclusion proof of the entry in the checkpoint's tree
checkpoint.json  the signed tree head (size, root, time, origin, key_id); checkpoint.sig is SM2 r||s hex
checkpoint.note  the same tree head as a signed note (C2SP signed-note), with every witness's
                 cosignature (C2SP tlog-cosignature, SM2): --min-cosignatures N requires N of them
"""


def export_bundle(
    *, actor, seq: int, directory: Path, size: int | None = None, purpose: str, blobs: bool = True
) -> list[str]:
    entry = selectors.entry_for(actor, seq)
    if size is None:
        checkpoint = services.latest_checkpoint()
        if checkpoint is None or checkpoint.size <= seq:
            services.checkpoint_create()
            checkpoint = services.latest_checkpoint()
    else:
        checkpoint = services.checkpoint_at(size)
    if checkpoint.size <= seq:
        raise InvalidInput([FieldError("checkpoint", "in_tree", f"树头 {checkpoint.size} 不包含记录 #{seq}")])
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise InvalidInput([FieldError("directory", "empty", f"{directory}: 目录非空")])
    access.access_record(actor=actor, material=entry, purpose=purpose, action="export")

    directory.mkdir(parents=True, exist_ok=True)
    files = bundle_files(entry, checkpoint, blobs=blobs)
    for name, content in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        with open(directory / name, "wb") as out:
            for chunk in _chunks(content):
                out.write(chunk)
    return list(files)


# A file of a bundle: its bytes, or (a recorded file, which may be a multi-GB video) a function that
# streams them.
Content = bytes | Callable[[], Iterable[bytes]]


def _chunks(content: Content) -> Iterable[bytes]:
    return (content,) if isinstance(content, bytes) else content()


def bundle_files(
    entry, checkpoint, *, blobs: bool = True, extra: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """The bundle of ``entry`` under ``checkpoint`` (which must contain it) as {relative path: bytes}:
    what :func:`export_bundle` writes to a directory and the public document bundle zips. Reads only;
    the caller checks who may have it."""
    seq = entry.seq
    proof = services.inclusion_proof(seq, checkpoint.size)
    files: dict[str, Content] = {
        "entry.json": entry.body.encode("utf-8"),
        "inclusion.json": json.dumps(
            {"index": seq, "tree_size": checkpoint.size, "proof": [p.hex() for p in proof]}, indent=2
        ).encode(),
        "checkpoint.json": checkpoint.body.encode("utf-8"),
        "checkpoint.sig": checkpoint.signature.encode(),
        "checkpoint.sig.der": signing.signature_der(checkpoint.signature),
        "public_key.hex": checkpoint.key.public_key.encode(),
        "public_key.pem": signing.public_key_pem(checkpoint.key.public_key).encode(),
        "README.txt": README.encode(),
        **(extra or {}),
    }
    note = services.checkpoint_note(checkpoint)
    if note is not None:
        files["checkpoint.note"] = note.encode()
    withheld = []
    included = []
    if blobs:
        storage = get_storage()
        entry_blobs = list(Blob.objects.filter(entry_links__entry=entry))
        secret = access.secrecy_grounds([(access.BLOB, b.sm3) for b in entry_blobs])
        for blob in entry_blobs:
            ground = secret.get((access.BLOB, blob.sm3))
            if ground:
                withheld.append({"sm3": blob.sm3, "ground": ground, "rule": access.RULE_SECRECY})
                continue
            files[f"blobs/{blob.sm3}"] = lambda sm3=blob.sm3: storage.read(sm3)
            included.append(blob.sm3)
    files["manifest.json"] = json.dumps(
        {"seq": seq, "checkpoint_size": checkpoint.size, "blobs": included, "withheld": withheld}, indent=2
    ).encode()
    for module in ("verifier.py", "notes.py"):
        files[module] = Path(__file__).with_name(module).read_bytes()
    return files


def bundle_zip(files: Mapping[str, Content], *, folder: str) -> bytes:
    """``files`` as a ZIP archive, under one top folder (what unpacks is a bundle directory)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            with archive.open(f"{folder}/{name}", "w") as member:
                for chunk in _chunks(content):
                    member.write(chunk)
    return out.getvalue()
