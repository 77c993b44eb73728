"""``sanxiang verify``: recompute the whole log from what is stored and stop at the first discrepancy.

One pass in ``seq`` order, O(n) time and O(log n) memory (entries are read in keyset pages, the tree
is rebuilt as a compact range). For each entry: no gap in the numbering; the body is canonical JSON
whose ``seq`` is the row's; the query columns agree with the body; the leaf hash recomputed from
the body equals the one stored at append time; every subtree it completes equals the cached node;
its blobs exist with the hashes and sizes that the body names, and each blob file is re-hashed (SM3
and SHA-256) the first time an entry names it.

What the database says is not trusted on its own (docs/decisions/0015-key-pinning-and-external-checkpoints.md):

- **Keys are pinned** to what is held outside the database: the public key of the configured key
  file and the keys or fingerprints the verifier passes (``--trusted-key``, ``--trusted-fingerprint``).
  The keys that sign checkpoints form a chain recorded in the log itself — each change is a
  ``ledger.key_rotated`` entry signed by the previous key and by the new one — and every checkpoint
  must be signed by the key in force at its size. A key not chained to a trusted one fails.
- **Checkpoints held outside** (``--checkpoint FILE|URL``: the latest one a verifier or witness
  kept) must be signed by a trusted key, be in the database, and give the root that the entries
  give at their size — so deleting entries together with their checkpoints, deleting the latest
  checkpoint, or rewriting entries that no stored checkpoint covers is caught. The report says how
  many entries no checkpoint covers yet.
- **The append-only triggers** of every protected table (:mod:`sanxiang.ledger.immutability`)
  must be in place; a missing, disabled or altered trigger is a failure.

When the entries no longer give a signed root, the first altered entry is located: between the
last signed root that still matches and the first that does not, compared leaf by leaf with the
published tiles (:mod:`sanxiang.ledger.tiles`, held outside the database, authenticated against
the signed root), else by descending the stored subtree hashes that the signed root authenticates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import rfc8785
from django.conf import settings
from django.db import connection
from django.db.models import Min

from sanxiang.ledger import immutability, merkle, notes, tiles
from sanxiang.ledger.models import Blob, Checkpoint, Cosignature, Entry, EntryBlob, Node, SigningKey
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.transfer import hash_chunks
from sanxiang.ledger.verifier import (
    ProofError,
    hash_file,
    key_id,
    sm2_public_key_xy,
    sm2_verify,
    sm3,
    verify_checkpoint,
)
from sanxiang.registry.models import Agency

PAGE = 2000
CHUNK = 1 << 14  # entries per chunk (a power of two): one worker task when verifying in several processes
LOCATE_LIMIT = 1 << 20  # entries re-hashed at most to narrow a caught rewrite without tiles
KEY_ROTATION_KIND = "ledger.key_rotated"
_ENTRY_COLUMNS = (
    "seq",
    "body",
    "leaf_hash",
    "kind",
    "subject_type",
    "subject_id",
    "actor_id",
    "agency_id",
    "recorded_at",
    "corrects",
)


@dataclass
class Discrepancy:
    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "log"
        return f"{where}: {self.message}"


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    blobs_hashed: int = 0
    blob_bytes: int = 0
    seconds: float = 0.0
    problems: list[Discrepancy] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    trusted_keys: list[str] = field(default_factory=list)
    covered: int = 0  # entries covered by a verified checkpoint (stored or held outside)
    external: list[int] = field(default_factory=list)  # sizes of the outside checkpoints checked
    witnessed: int = 0  # size of the largest checkpoint co-signed by the witnesses required
    processes: int = 1  # how many processes checked the entries
    notes: list[str] = field(default_factory=list)

    @property
    def problem(self) -> Discrepancy | None:
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def uncovered(self) -> int:
        """Entries that no checkpoint covers yet: they could be rewritten without a trace."""
        return max(0, self.entries - self.covered)


class _Found(Exception):
    def __init__(self, seq: int | None, message: str):
        self.discrepancy = Discrepancy(seq, message)


# ---------------------------------------------------------------- trust: keys and outside checkpoints


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: str | None  # None when only the fingerprint is known
    source: str


def trust_anchors(
    trusted_keys: Iterable[str] = (), trusted_fingerprints: Iterable[str] = (), *, key_file: bool = True
) -> dict[str, TrustedKey]:
    """The keys held outside the database: the configured key file's public key (if the file is
    there; it is never created here), and what the verifier passes."""
    anchors: dict[str, TrustedKey] = {}
    if key_file:
        path = Path(settings.SANXIANG_LEDGER_KEY_FILE)
        if path.exists():
            from sanxiang.ledger import signing

            key = signing.load_key(path)
            anchors[key.key_id] = TrustedKey(key.key_id, key.public_hex, f"key file {path}")
    for text in trusted_keys:
        public = text.strip()
        if Path(public).is_file():
            public = Path(public).read_text().strip()
        if public.startswith("-----BEGIN"):
            public = _public_from_pem(public)
        anchors[key_id(public)] = TrustedKey(key_id(public), "04" + public[-128:], "--trusted-key")
    for fingerprint in trusted_fingerprints:
        fp = fingerprint.strip().lower().replace(":", "")
        if len(fp) != 64 or any(c not in "0123456789abcdef" for c in fp):
            raise ProofError(f"--trusted-fingerprint {fingerprint!r}: expected the 64-hex-digit key id")
        anchors.setdefault(fp, TrustedKey(fp, None, "--trusted-fingerprint"))
    return anchors


def _public_from_pem(text: str) -> str:
    import base64

    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    der = base64.b64decode(body)
    if len(der) < 65 or der[-65] != 4:
        raise ProofError("--trusted-key: not an uncompressed SM2 public key (SubjectPublicKeyInfo PEM)")
    return der[-65:].hex()


@dataclass(frozen=True)
class HeldCheckpoint:
    """A checkpoint kept outside the database (by the verifier, a witness, a court)."""

    body: bytes
    signature: str
    source: str
    fields: dict


def load_checkpoint(location: str) -> HeldCheckpoint:
    """Read a kept checkpoint from a file or URL: the JSON the API serves (``body`` + ``signature``),
    or a C2SP checkpoint note (as ``/ledger/checkpoint`` serves it or a witness keeps it, with its
    cosignatures)."""
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=30) as response:  # noqa: S310 - verifier's URL
            data = response.read()
    else:
        data = Path(location).read_bytes()
    text = data.decode("utf-8", "replace")
    try:
        document = json.loads(text)
        body = document["body"].encode("utf-8")
        return HeldCheckpoint(body, document["signature"], location, json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    try:
        note = notes.parse(text)
        head = notes.parse_checkpoint(note.text)
    except ProofError as exc:
        raise ProofError(
            f"{location}: not a checkpoint (JSON with body and signature, or a signed note)"
        ) from exc
    fields = {"origin": head.origin, "size": head.size, "root": head.root.hex(), "note": text}
    return HeldCheckpoint(note.text.encode(), "", location, fields)


@dataclass(frozen=True)
class _Link:
    from_size: int  # the key signs checkpoints of this size and above (until the next link)
    key_id: str
    public_key: str
    seq: int | None  # the rotation entry (None: the first key)


def _key_chain() -> list[_Link]:
    """The signing keys in the order the log hands signing over (each hand-over checked)."""
    from sanxiang.ledger.services import canonical

    chain: list[_Link] = []
    for seq, body in (
        Entry.objects.filter(kind=KEY_ROTATION_KIND).order_by("seq").values_list("seq", "body").iterator()
    ):
        try:
            payload = json.loads(body)["payload"]
            statement = payload["statement"]
            message = canonical(statement, field_name="statement")
            previous_id, previous_public = statement["previous_key_id"], statement["previous_public_key"]
            new_id, new_public = statement["key_id"], statement["public_key"]
            if statement.get("seq") != seq:
                raise ProofError(f"the rotation statement names entry #{statement.get('seq')}")
            if statement.get("origin") != settings.SANXIANG_LEDGER_ORIGIN:
                raise ProofError(f"the rotation names another log ({statement.get('origin')})")
            if key_id(previous_public) != previous_id or key_id(new_public) != new_id:
                raise ProofError("a key id is not the fingerprint of its public key")
            if chain and chain[-1].key_id != previous_id:
                raise ProofError(
                    f"hands over from key {previous_id[:16]}… but {chain[-1].key_id[:16]}… signs at that point"
                )
            sm2_verify(previous_public, message, payload["previous_signature"])
            sm2_verify(new_public, message, payload["signature"])
        except (KeyError, TypeError, ValueError) as exc:  # ProofError is a ValueError
            raise _Found(seq, f"key rotation does not verify: {exc}") from exc
        if not chain:
            chain.append(_Link(0, previous_id, previous_public, None))
        chain.append(_Link(seq + 1, new_id, new_public, seq))
    if not chain:
        first = Checkpoint.objects.order_by("size").values_list("key_id", flat=True).first()
        if first is not None:
            public = SigningKey.objects.filter(key_id=first).values_list("public_key", flat=True).first()
            if public is None or key_id(public) != first:
                raise _Found(None, f"the keys table does not hold the public key of {first[:16]}…")
            chain.append(_Link(0, first, public, None))
    return chain


def _in_force(chain: list[_Link], size: int) -> _Link | None:
    found = None
    for link in chain:
        if link.from_size <= size:
            found = link
    return found


# ---------------------------------------------------------------- the pass


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SAFE_INTEGER = 2**53 - 1


def _parse_canonical(body: str) -> tuple[dict, bool]:
    """Parse a body and say whether it is RFC 8785 canonical JSON.

    Fast path: for JSON without fractional numbers, without integers beyond 2^53 and without
    characters outside the BMP, RFC 8785 is exactly ``json.dumps`` with sorted keys, no spaces and
    no ASCII escaping (the same escapes, lowercase ``\\u00xx``; key order by code point equals
    order by UTF-16 code unit when no key has a surrogate pair). Everything else goes through
    ``rfc8785`` itself; NaN and Infinity are never canonical."""
    unusual: list[str] = []

    def number(text: str) -> float:
        unusual.append(text)
        return float(text)

    def integer(text: str) -> int:
        value = int(text)
        if not -_SAFE_INTEGER <= value <= _SAFE_INTEGER:
            unusual.append(text)
        return value

    def constant(text: str) -> float:
        raise ValueError(f"{text} is not JSON")

    fields = json.loads(body, parse_float=number, parse_int=integer, parse_constant=constant)
    if not isinstance(fields, dict):
        raise ValueError("not a JSON object")
    if not unusual and not _ASTRAL.search(body):
        return fields, json.dumps(fields, ensure_ascii=False, separators=(",", ":"), sort_keys=True) == body
    try:
        return fields, rfc8785.dumps(fields) == body.encode("utf-8")
    except (rfc8785.CanonicalizationError, TypeError, ValueError):
        return fields, False


def _check_body(entry: dict, body: str, agencies: dict[int, str]) -> dict:
    seq = entry["seq"]
    try:
        fields, canonical = _parse_canonical(body)
    except ValueError as exc:
        raise _Found(seq, f"body is not JSON ({exc})") from exc
    if not canonical:
        raise _Found(seq, "body is not in canonical form (RFC 8785)")
    if fields.get("seq") != seq:
        raise _Found(seq, f"body says it is entry #{fields.get('seq')} (rows moved or swapped)")
    subject = fields.get("subject") or {}
    actor = fields.get("actor") or {}
    expected = {
        "kind": fields.get("kind"),
        "subject_type": subject.get("type"),
        "subject_id": subject.get("id"),
        "corrects": fields.get("corrects"),
        "actor_id": int(actor["id"]) if actor.get("id") else None,
        "agency": fields.get("agency"),
    }
    stored = {
        "kind": entry["kind"],
        "subject_type": entry["subject_type"],
        "subject_id": entry["subject_id"],
        "corrects": entry["corrects"],
        "actor_id": entry["actor_id"],
        "agency": agencies.get(entry["agency_id"]) if entry["agency_id"] else None,
    }
    for name, value in expected.items():
        if stored[name] != value:
            raise _Found(seq, f"column {name} is {stored[name]!r} but the recorded body says {value!r}")
    try:
        recorded = dt.datetime.fromisoformat(fields["time"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _Found(seq, "body has no valid time") from exc
    if recorded != entry["recorded_at"]:
        raise _Found(seq, f"column recorded_at is {entry['recorded_at']} but the body says {fields['time']}")
    if fields.get("corrects") is not None and not 0 <= fields["corrects"] < seq:
        raise _Found(seq, "corrects an entry that does not precede it")
    return fields


class _Verifier:
    def __init__(
        self,
        *,
        check_blobs: bool,
        anchors: dict[str, TrustedKey],
        held: list[HeldCheckpoint],
        tile_source: tiles.Reader | None,
        report: Report,
    ):
        self.check_blobs = check_blobs
        self.anchors = anchors
        self.held = held
        self.tile_source = tile_source
        self.report = report
        self.witnesses: dict[str, str] = {}
        self.min_cosignatures = 0
        self.workers = 1
        self.chunk = CHUNK
        self.good_size = 0  # the largest size whose signed root the entries still give
        self.stored_sizes: dict[int, str] = {}  # stored checkpoints seen: size -> root

    # -- keys

    def chain(self) -> list[_Link]:
        chain = _key_chain()
        self.report.keys = [link.key_id for link in chain]
        for stored_id, public in SigningKey.objects.values_list("key_id", "public_key"):
            try:
                if key_id(public) != stored_id:
                    raise ProofError("id is not the fingerprint of the public key")
            except ProofError as exc:
                raise _Found(None, f"keys table: key {stored_id[:16]}…: {exc}") from exc
            if stored_id not in {link.key_id for link in chain}:
                raise _Found(
                    None,
                    f"keys table holds key {stored_id[:16]}…, which no signed key rotation in the log "
                    "hands signing to (inserted behind the application's back)",
                )
        trusted = [link.key_id for link in chain if link.key_id in self.anchors]
        self.report.trusted_keys = trusted
        if chain and not trusted:
            raise _Found(
                None,
                f"checkpoints are signed by key {chain[0].key_id[:16]}…"
                + (f" (and {len(chain) - 1} keys handed over from it)" if len(chain) > 1 else "")
                + ", which is neither a key you trust ("
                + (
                    ", ".join(f"{a.key_id[:16]}… from {a.source}" for a in self.anchors.values())
                    or "none given"
                )
                + ") nor chained to one by signed key rotations",
            )
        for anchor in self.anchors.values():
            link = next((lk for lk in chain if lk.key_id == anchor.key_id), None)
            if link is not None and anchor.public_key is not None and anchor.public_key != link.public_key:
                raise _Found(None, f"key {anchor.key_id[:16]}…: the log records another public key")
        return chain

    def held_checkpoints(self, chain: list[_Link]) -> dict[int, list[HeldCheckpoint]]:
        by_size: dict[int, list[HeldCheckpoint]] = {}
        for held in self.held:
            fields = held.fields
            if "note" in fields:
                self.held_note(held, chain)
                by_size.setdefault(fields["size"], []).append(held)
                self.report.external.append(fields["size"])
                continue
            size, signer = fields.get("size"), fields.get("key_id")
            where = f"the checkpoint you hold ({held.source})"
            if not isinstance(size, int) or size < 0 or not isinstance(signer, str):
                raise _Found(None, f"{where}: has no size or key")
            anchor = self.anchors.get(signer)
            link = next((lk for lk in chain if lk.key_id == signer), None)
            public = (anchor.public_key if anchor else None) or (link.public_key if link else None)
            if public is None or (anchor is None and signer not in self.report.trusted_keys and link is None):
                raise _Found(None, f"{where}: signed by key {signer[:16]}…, which you do not trust")
            if anchor is None and not self.report.trusted_keys:
                raise _Found(None, f"{where}: signed by key {signer[:16]}…, which you do not trust")
            try:
                verify_checkpoint(held.body, held.signature, public)
            except ProofError as exc:
                raise _Found(None, f"{where}: {exc}") from exc
            if fields.get("origin") != settings.SANXIANG_LEDGER_ORIGIN:
                raise _Found(None, f"{where} is of another log ({fields.get('origin')})")
            in_force = _in_force(chain, size)
            if in_force is not None and in_force.key_id != signer:
                raise _Found(
                    None,
                    f"{where}: signed by {signer[:16]}… but the log says {in_force.key_id[:16]}… signs at "
                    f"size {size} (the key history was rewritten)",
                )
            by_size.setdefault(size, []).append(held)
            self.report.external.append(size)
        return by_size

    def held_note(self, held: HeldCheckpoint, chain: list[_Link]) -> None:
        """A checkpoint note held outside: signed by the key in force (or a trusted key), and
        co-signed by as many of the given witnesses as required."""
        fields, where = held.fields, f"the checkpoint note you hold ({held.source})"
        if fields["origin"] != settings.SANXIANG_LEDGER_ORIGIN:
            raise _Found(None, f"{where} is of another log ({fields['origin']})")
        note = notes.parse(fields["note"])
        link = _in_force(chain, fields["size"])
        candidates = [link.public_key] if link is not None and link.key_id in self.report.trusted_keys else []
        candidates += [a.public_key for a in self.anchors.values() if a.public_key]
        for public in candidates:
            try:
                notes.verify_log_signature(note, fields["origin"], public)
            except ProofError:
                continue
            if link is not None and key_id(public) != link.key_id:
                raise _Found(None, f"{where}: signed by a key the log does not say signs at that size")
            break
        else:
            raise _Found(None, f"{where}: not signed by a key you trust")
        if self.witnesses:
            try:
                good = notes.count_cosignatures(note, self.witnesses)
            except ProofError as exc:
                raise _Found(None, f"{where}: a witness's cosignature does not verify ({exc})") from exc
            if len(good) < self.min_cosignatures:
                raise _Found(
                    None,
                    f"{where} carries {len(good)} of the {self.min_cosignatures} cosignatures you require",
                )

    def witnessed(self) -> HeldCheckpoint:
        """The largest stored checkpoint co-signed by at least ``min_cosignatures`` of the given
        witnesses; every stored cosignature by one of them must verify."""
        from sanxiang.ledger.services import checkpoint_note

        sizes = (
            Cosignature.objects.filter(witness__name__in=list(self.witnesses))
            .values_list("checkpoint_id", flat=True)
            .distinct()
            .order_by("-checkpoint_id")
        )
        for size in sizes:
            checkpoint = Checkpoint.objects.select_related("key").get(size=size)
            text = checkpoint_note(checkpoint)
            try:
                good = notes.count_cosignatures(notes.parse(text), self.witnesses) if text else []
            except ProofError as exc:
                raise _Found(
                    size - 1,
                    f"checkpoint {size}: a witness's cosignature does not verify — the checkpoint was changed "
                    f"after the witness co-signed it ({exc})",
                ) from exc
            if len(good) >= self.min_cosignatures:
                return HeldCheckpoint(
                    checkpoint.body.encode(),
                    checkpoint.signature,
                    f"checkpoint {size} co-signed by {', '.join(good)}",
                    json.loads(checkpoint.body),
                )
        raise _Found(
            None,
            f"no checkpoint carries {self.min_cosignatures} cosignatures of the witnesses you named "
            f"({', '.join(self.witnesses)})",
        )

    # -- signed roots

    def signed_root_matches(self, size: int, signed: str, seq: int, what: str, tree_root: bytes) -> None:
        if signed == tree_root.hex():
            self.good_size = max(self.good_size, size)
            self.report.covered = max(self.report.covered, size)
            return
        first, last, how = self.locate(self.good_size, size, bytes.fromhex(signed), tree_root)
        if first == last:
            raise _Found(
                first,
                f"was changed after it was recorded: {what} signed root {signed[:16]}… but the entries up to "
                f"#{seq} give {tree_root.hex()[:16]}…; {how}",
            )
        raise _Found(
            seq,
            f"{what} signed root {signed[:16]}… but the entries up to #{seq} give {tree_root.hex()[:16]}… "
            f"(one of entries #{first}–#{last} was changed; {how})",
        )

    def check_stored_checkpoint(
        self, checkpoint: Mapping[str, Any], chain: list[_Link], root: bytes, seq: int
    ) -> None:
        size = checkpoint["size"]
        link = _in_force(chain, size)
        if link is None or link.key_id != checkpoint["key_id"]:
            raise _Found(
                seq,
                f"checkpoint {size} is signed by key {checkpoint['key_id'][:16]}…, not by the key in force "
                f"({link.key_id[:16] + '…' if link else 'none'}): not chained from a trusted key",
            )
        try:
            fields = verify_checkpoint(
                checkpoint["body"].encode("utf-8"), checkpoint["signature"], link.public_key
            )
        except ProofError as exc:
            raise _Found(seq, f"checkpoint {size}: {exc}") from exc
        if fields.get("size") != size or fields.get("root") != checkpoint["root"]:
            raise _Found(seq, f"checkpoint {size}: the row differs from what was signed")
        if fields.get("origin") != settings.SANXIANG_LEDGER_ORIGIN:
            raise _Found(seq, f"checkpoint {size} names another log ({fields.get('origin')})")
        self.stored_sizes[size] = fields["root"]
        self.signed_root_matches(size, fields["root"], seq, f"checkpoint {size}", root)

    # -- locating the first altered entry

    def locate(
        self, lo: int, hi: int, signed_root: bytes, rebuilt_root: bytes | None = None
    ) -> tuple[int, int, str]:
        """The first altered entry is in [lo, hi): narrow it down as far as the evidence allows.
        Returns (first, last, how) — first == last when one entry is named."""
        if self.tile_source is not None:
            try:
                tree = tiles.TiledTree(self.tile_source, hi, signed_root)
                for start in range(lo, hi, PAGE):
                    current = _current_leaves(start, min(hi, start + PAGE))
                    for offset, leaf in enumerate(current):
                        if tree.leaf(start + offset) != leaf:
                            seq = start + offset
                            return (
                                seq,
                                seq,
                                f"its leaf hash differs from the one in {tiles.tile_path(0, seq // tiles.WIDTH)} "
                                f"of the published tiles, which give the signed root of {hi} entries",
                            )
            except (ProofError, OSError) as exc:
                tile_note = f"the tiles could not narrow it ({exc})"
                if rebuilt_root is not None and _tiles_give(self.tile_source, hi, rebuilt_root):
                    tile_note = (
                        "the tiles agree with the entries, not with the signed root: the checkpoint was "
                        "signed over a root these entries never had, or entries and tiles were rewritten together"
                    )
            else:
                tile_note = "the tiles agree with the signed root and with every entry"
                return lo, hi - 1, tile_note
        else:
            tile_note = "no tiles to compare with"
        first, last = self._descend(lo, hi, signed_root)
        if (first, last) != (lo, hi - 1):
            how = f"found by descending the stored subtree hashes that the signed root authenticates; {tile_note}"
        else:
            how = tile_note
        return first, last, how

    def _descend(self, lo: int, hi: int, signed_root: bytes) -> tuple[int, int]:
        """Narrow [lo, hi) with the stored subtree hashes, once the signed root has shown that the
        stored frontier is the one signed: follow the stored node that the entries no longer give
        down to the smallest subtree whose stored children still hash to it."""
        from sanxiang.ledger.services import LedgerCorrupt, fetch_nodes

        keys = merkle.frontier_keys(hi)
        try:
            stored = fetch_nodes(keys)
        except LedgerCorrupt:
            return lo, hi - 1
        if merkle.fold(sm3, [stored[k] for k in keys]) != signed_root:
            return lo, hi - 1  # the stored nodes were rebuilt too: they prove nothing
        for level, index in keys:
            first, end = index << level, (index + 1) << level
            if end <= lo:
                continue
            if end - first > LOCATE_LIMIT:
                return lo, hi - 1
            leaves = _current_leaves(first, end)
            node = stored[(level, index)]
            if merkle.fold_perfect(sm3, leaves) == node:
                continue
            while level > 1:
                children = [(level - 1, 2 * index), (level - 1, 2 * index + 1)]
                flats = [Node.flat_index(*child) for child in children]
                found = {
                    f: bytes(h) for f, h in Node.objects.filter(flat__in=flats).values_list("flat", "hash")
                }
                if len(found) != 2 or merkle.node_hash(sm3, found[flats[0]], found[flats[1]]) != node:
                    break  # the children were rebuilt: stop here
                half = len(leaves) // 2
                if merkle.fold_perfect(sm3, leaves[:half]) != found[flats[0]]:
                    (level, index), node, leaves = children[0], found[flats[0]], leaves[:half]
                else:
                    (level, index), node, leaves = children[1], found[flats[1]], leaves[half:]
            first, end = index << level, (index + 1) << level
            return max(first, lo), min(end, hi) - 1
        return lo, hi - 1

    # -- the whole log

    def run(self, progress: Callable[[int], None] | None) -> None:
        report = self.report
        storage = get_storage()
        agencies = {pk: str(public_id) for pk, public_id in Agency.objects.values_list("pk", "public_id")}
        chain = self.chain()
        if self.witnesses and self.min_cosignatures:
            witnessed = self.witnessed()
            self.held.append(witnessed)
            self.report.witnessed = witnessed.fields["size"]
        held = self.held_checkpoints(chain)
        checkpoint_iter = _stored_checkpoints()
        pending = next(checkpoint_iter, None)
        held_sizes = sorted(size for size in held if size)
        # The right edge of the tree above the chunks: the perfect subtrees of the complete chunks,
        # merged as in merkle.CompactRange (levels >= the chunk's level).
        stack: list[tuple[int, bytes]] = []
        tail: list[bytes] = []  # the last chunk's own frontier when it is not complete
        size = 0
        for result in self.checked_chunks(agencies, tuple(held_sizes)):
            end, stop = result.end, result.stop
            blobs_before = _BlobChecks(self, result, storage).before
            pushed = False
            while True:
                candidates = [s for s in (pending["size"] if pending else None, held_sizes[0] if held_sizes else None)
                              if s is not None and s <= stop]  # fmt: skip
                if not candidates:
                    break
                at = min(candidates)
                if at == end and result.root is not None and not pushed:
                    blobs_before(end - 1)
                    self.push_chunk(stack, result, chain, checkpoint_iter, pending)
                    pushed = True
                blobs_before(at)
                report.entries = at
                root = merkle.fold(sm3, [h for _, h in stack] + ([] if pushed else result.frontiers[at]))
                if held_sizes and held_sizes[0] == at:
                    for kept in held[at]:
                        self.signed_root_matches(
                            at, kept.fields.get("root", ""), at - 1, "the checkpoint you hold", root
                        )
                    held_sizes.pop(0)
                while pending is not None and pending["size"] == at:
                    self.check_stored_checkpoint(pending, chain, root, at - 1)
                    report.checkpoints += 1
                    pending = next(checkpoint_iter, None)
            if result.node_bad is not None:
                blobs_before(stop)
                report.entries = stop
                level, index = result.node_bad
                self.node_mismatch(level, index, stop, checkpoint_iter, pending, chain)
            if result.root is not None and not pushed:
                blobs_before(end - 1)
                self.push_chunk(stack, result, chain, checkpoint_iter, pending)
                pushed = True
            blobs_before(stop)
            report.entries = size = stop
            if result.error is not None:
                raise _Found(result.error.seq, result.error.message)
            tail = [] if pushed else result.frontiers[end]
            if progress:
                progress(report.entries)
        if held_sizes:
            largest = held_sizes[-1]
            raise _Found(
                size,
                f"is missing: the checkpoint you hold covers {largest} entries but the log ends at {size} "
                f"(truncated: {largest - size} entries deleted)",
            )
        if pending is not None:
            raise _Found(
                size,
                f"is missing: a checkpoint covers {pending['size']} entries but the log ends at {size} "
                "(truncated)",
            )
        for held_size, kept_list in held.items():
            for kept in kept_list:
                if held_size and self.stored_sizes.get(held_size) != kept.fields.get("root"):
                    newest = max(self.stored_sizes, default=0)
                    raise _Found(
                        held_size - 1,
                        f"the checkpoint of {held_size} entries that you hold ({kept.source}) is not in the database "
                        f"(deleted; the latest stored checkpoint covers {newest} entries)",
                    )
        if size and _cached_root(size) != merkle.fold(sm3, [h for _, h in stack] + tail):
            raise _Found(size - 1, "the cached tree does not give the rebuilt root")

    def check_blobs_of(self, seq: int, refs: list, stored_blobs: dict, first_refs: dict, storage) -> None:
        """The blobs that entry ``seq`` names: their rows as the entry says, and each file re-hashed the
        first time an entry names it."""
        report = self.report
        for ref in refs:
            stored = stored_blobs.get(ref["sm3"])
            if stored is None or (stored["sha256"], stored["size"]) != (ref.get("sha256"), ref.get("size")):
                raise _Found(seq, f"blob {ref['sm3']} is missing or its row differs from the entry")
            if self.check_blobs and first_refs.get(ref["sm3"], seq) >= seq:
                path = storage.local_path(ref["sm3"])
                try:
                    got = hash_file(path) if path else hash_chunks(storage.read(ref["sm3"]))
                except OSError:
                    got = None
                if got != (ref["sm3"], ref["sha256"], ref["size"]):
                    raise _Found(seq, f"blob file {ref['sm3']} is missing or its content changed")
                report.blobs_hashed += 1
                report.blob_bytes += ref["size"]

    def push_chunk(
        self, stack: list[tuple[int, bytes]], result: _ChunkResult, chain, checkpoint_iter, pending
    ) -> None:
        """Append a complete chunk's subtree to the right edge and check every stored subtree hash
        above the chunks that it completes (they complete with the chunk's last entry)."""
        level, index, current = result.level, result.start >> result.level, result.root
        assert current is not None
        merges, probe = [], level
        for stacked_level, _ in reversed(stack):
            if stacked_level != probe:
                break
            probe += 1
            merges.append(Node.flat_index(probe, index >> (probe - level)))
        cached = (
            {f: bytes(h) for f, h in Node.objects.filter(flat__in=merges).values_list("flat", "hash")}
            if merges
            else {}
        )
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            current = _node(left, current)
            level, index = level + 1, index >> 1
            if cached.get(Node.flat_index(level, index)) != current:
                self.node_mismatch(level, index, result.end - 1, checkpoint_iter, pending, chain)
        stack.append((level, current))

    def checked_chunks(self, agencies: dict[int, str], held_sizes: tuple[int, ...]) -> Iterator[_ChunkResult]:
        """Every entry checked on its own (numbering, body, columns, leaf, blob index) and every stored
        subtree hash within its chunk, chunk by chunk in order: aligned ranges of ``chunk`` (a power of
        two) entries, in this process or — for a large log — in ``workers`` processes, so that both
        cores parse and hash."""
        size = log_size_from_rows()
        level = max(1, self.chunk).bit_length() - 1
        chunk = 1 << level
        parallel = (
            self.workers > 1
            and size >= 4 * chunk
            and not connection.in_atomic_block
            and not (connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", lambda: True)())
        )
        ranges = [
            (start, min(size, start + chunk), level, held_sizes, agencies) for start in range(0, size, chunk)
        ]
        if not parallel:
            for args in ranges:
                result = _check_chunk(*args)
                yield result
                if result.error is not None or result.node_bad is not None:
                    return
            return
        import multiprocessing

        from django.db import connections

        connections.close_all()  # each worker opens its own connection
        self.report.processes = self.workers
        with multiprocessing.get_context("fork").Pool(self.workers, initializer=_worker_connections) as pool:
            for result in pool.imap(_check_chunk_star, ranges):
                yield result
                if result.error is not None or result.node_bad is not None:
                    pool.terminate()
                    return

    def node_mismatch(self, level: int, index: int, seq: int, checkpoint_iter, pending, chain) -> None:
        """A stored subtree hash differs from the one the entries give: locate the altered entry."""
        first = index << level
        lo = max(self.good_size, first)
        # a later signed root authenticates the stored nodes and the tiles
        later = (
            Checkpoint.objects.filter(size__gt=seq)
            .order_by("size")
            .values("size", "root", "body", "signature", "key_id")
            .first()
        )
        how = "the stored subtree hash and the entries disagree"
        if later is not None:
            link = _in_force(chain, later["size"])
            try:
                if link is None or link.key_id != later["key_id"]:
                    raise ProofError("not signed by the key in force")
                verify_checkpoint(later["body"].encode(), later["signature"], link.public_key)
                first_bad, last_bad, how = self.locate(lo, later["size"], bytes.fromhex(later["root"]))
                last_bad = min(last_bad, seq)
                if first_bad == last_bad:
                    raise _Found(first_bad, f"was changed after it was recorded: {how}")
                raise _Found(
                    first_bad,
                    f"entries #{first_bad}–#{last_bad} no longer give the subtree hash recorded when they were "
                    f"appended (one of them was changed; {how})",
                )
            except ProofError:
                pass
        raise _Found(
            lo,
            f"entries #{lo}–#{seq} no longer give the subtree hash recorded when they were appended "
            f"(one of them was changed; {how})",
        )


def _stored_checkpoints() -> Iterator[Mapping[str, Any]]:
    """Every stored checkpoint by size, in keyset pages (each a fresh query: the connection may be
    closed between them while worker processes start)."""
    after = -1
    while True:
        page = list(
            Checkpoint.objects.filter(size__gt=after)
            .order_by("size")
            .values("size", "root", "body", "signature", "key_id")[:PAGE]
        )
        if not page:
            return
        yield from page
        after = page[-1]["size"]


def log_size_from_rows() -> int:
    from django.db.models import Max

    top = Entry.objects.aggregate(top=Max("seq"))["top"]
    return 0 if top is None else top + 1


class _BlobChecks:
    """The blob checks of one chunk's entries, run in order up to a given entry."""

    def __init__(self, verifier: _Verifier, result: _ChunkResult, storage: Any):
        self.verifier, self.storage = verifier, storage
        named = {ref.get("sm3", "") for _, refs in result.refs for ref in refs}
        self.stored: dict[str, Any] = {}
        self.first: dict[str, int] = {}
        if named:
            self.stored = {
                b["sm3"]: b for b in Blob.objects.filter(sm3__in=named).values("sm3", "sha256", "size")
            }
            self.first = dict(
                EntryBlob.objects.filter(blob_id__in=named)
                .values("blob_id")
                .order_by()
                .annotate(first=Min("entry_id"))
                .values_list("blob_id", "first")
            )
        self.pending = iter(result.refs)
        self.next = next(self.pending, None)

    def before(self, limit: int) -> None:
        """Check the blobs of the entries below ``limit`` not checked yet."""
        while self.next is not None and self.next[0] < limit:
            self.verifier.check_blobs_of(*self.next, self.stored, self.first, self.storage)
            self.next = next(self.pending, None)


@dataclass
class _ChunkResult:
    """What a worker found in entries [start, end) (an aligned chunk of 2^level entries, or the last,
    shorter one): entries [start, stop) passed every check of their own and gave every stored subtree
    hash within the chunk; ``node_bad`` is the subtree (level, index) completed by entry ``stop`` that
    differs, ``error`` the discrepancy of entry ``stop`` itself."""

    start: int
    end: int
    level: int
    stop: int
    refs: list[tuple[int, list]]  # (seq, the blobs it names) of the entries that name blobs
    frontiers: dict[int, list[bytes]]  # size -> the chunk's perfect subtrees below it (for roots)
    root: bytes | None  # the chunk's subtree hash when it is complete and every check passed
    node_bad: tuple[int, int] | None = None
    error: Discrepancy | None = None


_LEAF_HASHER = hashlib.new("sm3", b"\x00")  # RFC 9162 leaf prefix; copying it skips the digest lookup
_NODE_HASHER = hashlib.new("sm3", b"\x01")
# UTF-8 lead bytes of characters outside the BMP: RFC 8785 orders keys by UTF-16 code units, so a
# body holding one takes the exact path (_parse_canonical).
_ASTRAL_UTF8 = re.compile(rb"[\xf0-\xf4]")
_PLAIN_DUMPS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER  # integers beyond 2^53 raise


def _no_fraction(value: Any) -> bool:
    """No float anywhere in the parsed body (RFC 8785 writes numbers as ECMAScript does, plain JSON
    may not)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            return False
    return True


_SELECT_ENTRIES = (
    "SELECT seq, body, leaf_hash, kind, subject_type, subject_id, actor_id, agency_id, recorded_at, corrects "
    "FROM ledger_entry WHERE seq >= %s AND seq < %s ORDER BY seq LIMIT %s"
)
_SELECT_LINKS = "SELECT entry_id, blob_id FROM ledger_entryblob WHERE entry_id >= %s AND entry_id <= %s"
_SELECT_NODES = "SELECT flat, hash FROM ledger_node WHERE flat >= %s AND flat < %s"
_SELECT_CHECKPOINT_SIZES = "SELECT size FROM ledger_checkpoint WHERE size > %s AND size <= %s"
_ROW_PAGE = 8192


def _node(left: bytes, right: bytes) -> bytes:
    h = _NODE_HASHER.copy()
    h.update(left)
    h.update(right)
    return h.digest()


def _as_datetime(value: Any) -> dt.datetime | None:
    """A DateTimeField value as the raw cursor gives it (SQLite: text in UTC) as an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None and settings.USE_TZ:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _row_dict(row: tuple) -> dict:
    return dict(zip(_ENTRY_COLUMNS, row, strict=True)) | {"recorded_at": _as_datetime(row[8])}


def _fast_canonical(data: bytes) -> dict | None:
    """The fields of a body that is plain canonical JSON (an object; no fraction, no integer beyond
    2^53, no character outside the BMP: there RFC 8785 is plain JSON with sorted keys, see
    :func:`_parse_canonical`), checked through orjson; None when it is not, or not plain (then
    :func:`_parse_canonical` decides)."""
    try:
        fields = orjson.loads(data)
        if (
            type(fields) is dict
            and orjson.dumps(fields, option=_PLAIN_DUMPS) == data
            and not _ASTRAL_UTF8.search(data)
            and _no_fraction(fields)
        ):
            return fields
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return None


def _body_fields(row: tuple, data: bytes, agencies: dict[int, str], times: dict) -> dict:
    """The body's fields after the checks of :func:`_check_body`; the common case (plain canonical JSON
    whose fields agree with the columns) through orjson, which writes plain JSON byte for byte as
    ``json.dumps`` does (tested); anything else through :func:`_check_body`, which says what is wrong."""
    seq, body = row[0], row[1]
    try:
        fields = _fast_canonical(data)
        if fields is not None:
            subject, actor = fields.get("subject") or {}, fields.get("actor") or {}
            corrects, agency_id = fields.get("corrects"), row[7]
            key = (fields.get("time"), row[8])
            same_time = times.get(key)
            if same_time is None:
                same_time = times[key] = dt.datetime.fromisoformat(str(key[0])) == _as_datetime(row[8])
            if (
                same_time
                and fields.get("seq") == seq
                and fields.get("kind") == row[3]
                and subject.get("type") == row[4]
                and subject.get("id") == row[5]
                and corrects == row[9]
                and (int(actor["id"]) if actor.get("id") else None) == row[6]
                and (agencies.get(agency_id) if agency_id else None) == fields.get("agency")
                and (corrects is None or (type(corrects) is int and 0 <= corrects < seq))
            ):
                return fields
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, AttributeError, KeyError, TypeError, ValueError):
        pass
    return _check_body(_row_dict(row), body, agencies)


def _check_chunk(
    start: int, end: int, level: int, held_sizes: tuple[int, ...], agencies: dict[int, str]
) -> _ChunkResult:
    """Check entries [start, end) on their own and the stored subtree hashes within them (see
    :class:`_ChunkResult`). Rows are read with plain SQL in keyset pages; nothing is kept per entry
    but its leaf hash."""
    leaves: list[bytes] = []
    refs: list[tuple[int, list]] = []
    error = None
    expected = start
    times: dict = {}
    leaf_hasher = _LEAF_HASHER
    with connection.cursor() as cursor:
        try:
            while expected < end:
                cursor.execute(_SELECT_ENTRIES, [expected, end, _ROW_PAGE])
                page = cursor.fetchall()
                if not page:
                    raise _Found(expected, f"is missing (deleted), the log jumps past #{end - 1}")
                cursor.execute(_SELECT_LINKS, [page[0][0], page[-1][0]])
                links: dict[int, set[str]] = {}
                for entry_id, blob_id in cursor.fetchall():
                    links.setdefault(entry_id, set()).add(blob_id)
                for row in page:
                    seq = row[0]
                    if seq != expected:
                        raise _Found(expected, f"is missing (deleted), the log jumps to #{seq}")
                    data = row[1].encode("utf-8")
                    fields = _body_fields(row, data, agencies, times)
                    hasher = leaf_hasher.copy()
                    hasher.update(data)
                    leaf = hasher.digest()
                    if bytes(row[2]) != leaf:
                        raise _Found(
                            seq, "body does not hash to the leaf recorded when it was appended (edited)"
                        )
                    named = fields.get("blobs") or []
                    if named or seq in links:
                        if {b.get("sm3") for b in named} != links.get(seq, set()):
                            raise _Found(seq, "the blob index does not match the blobs the entry names")
                        refs.append((seq, named))
                    leaves.append(leaf)
                    expected += 1
        except _Found as found:
            error = found.discrepancy
        checked = start + len(leaves)
        cursor.execute(_SELECT_NODES, [2 * start, 2 * checked])
        stored = {flat: bytes(h) for flat, h in cursor.fetchall()}
        cursor.execute(_SELECT_CHECKPOINT_SIZES, [start, end])
        sizes = {size for (size,) in cursor.fetchall()}
    # every perfect subtree within the checked entries, level by level; the first stored one that
    # differs in the order appends complete them (its last entry, then its level)
    levels, current, node_bad = [leaves], leaves, None
    height = 0
    while len(current) >= 2:
        height += 1
        upper = [_node(current[i], current[i + 1]) for i in range(0, len(current) - 1, 2)]
        base = start >> height
        for offset, h in enumerate(upper):
            if stored.get(Node.flat_index(height, base + offset)) != h:
                done = start + ((offset + 1) << height) - 1
                if node_bad is None or done < node_bad[0]:
                    node_bad = (done, height, base + offset)
                break
        levels.append(upper)
        current = upper
    stop = node_bad[0] if node_bad is not None else checked
    frontiers = {}
    for size in sizes | {s for s in held_sizes if start < s <= end} | {end}:
        if size <= stop:
            frontiers[size] = [
                levels[lv][index - (start >> lv)] for lv, index in merkle.perfect_keys(start, size)
            ]
    complete = node_bad is None and error is None and checked - start == 1 << level
    return _ChunkResult(
        start, end, level, stop, refs, frontiers, levels[level][0] if complete else None,
        node_bad[1:] if node_bad is not None else None, error,
    )  # fmt: skip


def _check_chunk_star(args: tuple) -> _ChunkResult:
    return _check_chunk(*args)


_INHERITED: list = []


def _worker_connections() -> None:
    """A forked worker never touches a database connection it inherited: whatever socket the parent
    still held (its own, or one of another thread's) is set aside unused and unclosed — closing it
    here would end the parent's session — and the worker connects afresh on its first query."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None


def _tiles_give(source: tiles.Reader, size: int, root: bytes) -> bool:
    try:
        tiles.TiledTree(source, size, root)
    except (ProofError, OSError):
        return False
    return True


def _current_leaves(start: int, end: int) -> list[bytes]:
    """Leaf hashes recomputed from the stored bodies of entries [start, end)."""
    bodies = Entry.objects.filter(seq__gte=start, seq__lt=end).order_by("seq").values_list("body", flat=True)
    return [merkle.leaf_hash(sm3, body.encode("utf-8")) for body in bodies.iterator(chunk_size=PAGE)]


def verify_log(
    *,
    check_blobs: bool = True,
    progress: Callable[[int], None] | None = None,
    trusted_keys: Iterable[str] = (),
    trusted_fingerprints: Iterable[str] = (),
    checkpoints: Iterable[str | HeldCheckpoint] = (),
    tile_source: str | Path | None = None,
    key_file: bool = True,
    witnesses: dict[str, str] | None = None,
    min_cosignatures: int = 0,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> Report:
    """Verify the whole log (see the module docstring). ``checkpoints`` are files or URLs of
    checkpoints held outside the database; ``tile_source`` a directory or URL of the tiles
    (default: the server's tile directory, if it holds any); with ``witnesses`` (name → SM2 public key)
    and ``min_cosignatures`` N, the largest checkpoint that N of them co-signed is held like an outside
    checkpoint, and a held note must carry N of their cosignatures."""
    started = time.monotonic()
    report = Report()
    try:
        anchors = trust_anchors(trusted_keys, trusted_fingerprints, key_file=key_file)
        held = [c if isinstance(c, HeldCheckpoint) else load_checkpoint(c) for c in checkpoints]
    except (ProofError, OSError, ValueError, KeyError) as exc:
        report.problems.append(Discrepancy(None, f"cannot read what you trust: {exc}"))
        report.seconds = time.monotonic() - started
        return report
    if tile_source is None and Path(settings.SANXIANG_LEDGER_TILE_DIR).is_dir():
        tile_source = settings.SANXIANG_LEDGER_TILE_DIR
    reader = tiles.reader_for(tile_source) if tile_source is not None else None
    verifier = _Verifier(
        check_blobs=check_blobs, anchors=anchors, held=held, tile_source=reader, report=report
    )
    verifier.witnesses = dict(witnesses or {})
    verifier.min_cosignatures = min_cosignatures
    verifier.workers = workers if workers is not None else (os.cpu_count() or 1)
    verifier.chunk = chunk
    try:
        verifier.run(progress)
    except _Found as found:
        report.problems.append(found.discrepancy)
    for problem in immutability.missing(connection):
        report.problems.append(Discrepancy(None, f"append-only protection: {problem}"))
    if not held:
        report.notes.append(
            "no checkpoint held outside the database was given (--checkpoint): deleting the newest entries "
            "together with their checkpoints cannot be told from a shorter log"
        )
    report.seconds = time.monotonic() - started
    return report


def _cached_root(size: int) -> bytes | None:
    from sanxiang.ledger.services import LedgerCorrupt, root_at

    try:
        return root_at(size)
    except LedgerCorrupt:
        return None


def _cached_nodes(first: int, last: int) -> dict[int, bytes]:
    """The cached subtree hashes that appending leaves ``first``..``last`` completes, by flat index."""
    flats = []
    for seq in range(first, last + 1):
        level, end = 1, seq + 1
        while end % (1 << level) == 0:
            flats.append(Node.flat_index(level, (end >> level) - 1))
            level += 1
    return {flat: bytes(h) for flat, h in Node.objects.filter(flat__in=flats).values_list("flat", "hash")}


__all__ = ["Discrepancy", "HeldCheckpoint", "Report", "load_checkpoint", "sm2_public_key_xy", "verify_log"]
