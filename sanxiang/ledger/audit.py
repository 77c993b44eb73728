"""``sanxiang verify``: recompute the whole log from what is stored and stop at the first discrepancy.

One pass in ``seq`` order, O(n) time and O(log n) memory (entries are read in keyset pages, the tree
is rebuilt as a compact range). For each entry: no gap in the numbering; the body is canonical JSON
whose ``seq`` is the row's; the query columns agree with the body; the leaf hash recomputed from
the body equals the one stored at append time; every subtree it completes equals the cached node;
its blobs exist with the hashes and sizes that the body names, and each blob file is re-hashed (SM3
and SHA-256) the first time an entry names it. At each checkpoint size: the SM2 signature is valid
for a known key, the signed fields match the row, and the signed root is the root rebuilt from the
entries — so every pair of checkpoints is consistent. Checkpoints beyond the last entry mean the log
was truncated.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import rfc8785
from django.conf import settings
from django.db.models import Min

from sanxiang.ledger import merkle
from sanxiang.ledger.models import Blob, Checkpoint, Entry, EntryBlob, Node, SigningKey
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.transfer import hash_chunks
from sanxiang.ledger.verifier import ProofError, hash_file, sm3, verify_checkpoint
from sanxiang.registry.models import Agency

PAGE = 2000
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
    problem: Discrepancy | None = None
    keys: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Found(Exception):
    def __init__(self, seq: int | None, message: str):
        self.discrepancy = Discrepancy(seq, message)


def _check_body(entry: dict, body: str, agencies: dict[int, str]) -> dict:
    seq = entry["seq"]
    try:
        fields = json.loads(body)
    except ValueError as exc:
        raise _Found(seq, f"body is not JSON ({exc})") from exc
    if rfc8785.dumps(fields) != body.encode("utf-8"):
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


def verify_log(*, check_blobs: bool = True, progress: Callable[[int], None] | None = None) -> Report:
    started = time.monotonic()
    report = Report()
    storage = get_storage()
    agencies = {pk: str(public_id) for pk, public_id in Agency.objects.values_list("pk", "public_id")}
    keys = dict(SigningKey.objects.values_list("key_id", "public_key"))
    report.keys = sorted(keys)
    checkpoints = Checkpoint.objects.order_by("size").values("size", "root", "body", "signature", "key_id")
    checkpoint_iter = checkpoints.iterator(chunk_size=PAGE)
    pending = next(checkpoint_iter, None)
    tree = merkle.CompactRange(sm3)
    expected_seq = 0
    try:
        while True:
            page = list(
                Entry.objects.filter(seq__gte=expected_seq).order_by("seq").values(*_ENTRY_COLUMNS)[:PAGE]
            )
            if not page:
                break
            seqs = [row["seq"] for row in page]
            links: dict[int, set[str]] = {}
            for entry_id, blob_id in EntryBlob.objects.filter(entry_id__in=seqs).values_list(
                "entry_id", "blob_id"
            ):
                links.setdefault(entry_id, set()).add(blob_id)
            bodies = {}
            named: set[str] = set()
            for row in page:
                if row["seq"] != expected_seq:
                    raise _Found(expected_seq, f"is missing (deleted), the log jumps to #{row['seq']}")
                fields = _check_body(row, row["body"], agencies)
                bodies[row["seq"]] = fields
                named.update(b.get("sm3", "") for b in fields.get("blobs") or [])
                expected_seq += 1
            stored_blobs = {
                b["sm3"]: b for b in Blob.objects.filter(sm3__in=named).values("sm3", "sha256", "size")
            }
            first_refs = dict(
                EntryBlob.objects.filter(blob_id__in=named)
                .values("blob_id")
                .order_by()
                .annotate(first=Min("entry_id"))
                .values_list("blob_id", "first")
            )
            cached_nodes = _cached_nodes(seqs[0], seqs[-1])
            for row in page:
                seq = row["seq"]
                fields = bodies[seq]
                body = row["body"].encode("utf-8")
                leaf = merkle.leaf_hash(sm3, body)
                if bytes(row["leaf_hash"]) != leaf:
                    raise _Found(seq, "body does not hash to the leaf recorded when it was appended (edited)")
                for level, index, h in tree.append(leaf)[1:]:
                    if cached_nodes.get(Node.flat_index(level, index)) != h:
                        first = index << level
                        raise _Found(
                            first,
                            f"entries #{first}–#{seq} no longer give the subtree hash recorded when they "
                            "were appended (one of them was changed)",
                        )
                refs = fields.get("blobs") or []
                if {b.get("sm3") for b in refs} != links.get(seq, set()):
                    raise _Found(seq, "the blob index does not match the blobs the entry names")
                for ref in refs:
                    stored = stored_blobs.get(ref["sm3"])
                    if stored is None or (stored["sha256"], stored["size"]) != (
                        ref.get("sha256"),
                        ref.get("size"),
                    ):
                        raise _Found(seq, f"blob {ref['sm3']} is missing or its row differs from the entry")
                    if check_blobs and first_refs.get(ref["sm3"], seq) >= seq:
                        path = storage.local_path(ref["sm3"])
                        try:
                            got = hash_file(path) if path else hash_chunks(storage.read(ref["sm3"]))
                        except OSError:
                            got = None
                        if got != (ref["sm3"], ref["sha256"], ref["size"]):
                            raise _Found(seq, f"blob file {ref['sm3']} is missing or its content changed")
                        report.blobs_hashed += 1
                        report.blob_bytes += ref["size"]
                report.entries += 1
                while pending is not None and pending["size"] == tree.size:
                    _check_checkpoint(pending, keys, tree.root(), seq)
                    report.checkpoints += 1
                    pending = next(checkpoint_iter, None)
            if progress:
                progress(report.entries)
        if pending is not None:
            raise _Found(
                tree.size,
                f"is missing: a checkpoint covers {pending['size']} entries but the log ends at {tree.size} "
                "(truncated)",
            )
        if tree.size and _cached_root(tree.size) != tree.root():
            raise _Found(tree.size - 1, "the cached tree does not give the rebuilt root")
    except _Found as found:
        report.problem = found.discrepancy
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


def _check_checkpoint(checkpoint: dict, keys: dict[str, str], root: bytes, seq: int) -> None:
    size = checkpoint["size"]
    public_key = keys.get(checkpoint["key_id"])
    if public_key is None:
        raise _Found(seq, f"checkpoint {size} is signed by an unknown key")
    try:
        fields = verify_checkpoint(checkpoint["body"].encode("utf-8"), checkpoint["signature"], public_key)
    except ProofError as exc:
        raise _Found(seq, f"checkpoint {size}: {exc}") from exc
    if fields.get("size") != size or fields.get("root") != checkpoint["root"]:
        raise _Found(seq, f"checkpoint {size}: the row differs from what was signed")
    if fields.get("origin") != settings.SANXIANG_LEDGER_ORIGIN:
        raise _Found(seq, f"checkpoint {size} names another log ({fields.get('origin')})")
    if fields["root"] != root.hex():
        raise _Found(
            seq,
            f"checkpoint {size} signed root {fields['root'][:16]}… but the entries up to #{seq} give "
            f"{root.hex()[:16]}… (an entry at or before #{seq} was changed)",
        )
