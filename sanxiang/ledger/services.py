"""The log: ``record`` (what every other app calls), signed checkpoints and proofs.

``record(*, kind, subject, actor, payload, blobs=(), corrects=None) -> Entry`` appends one entry in
the caller's transaction: call it inside ``transaction.atomic()`` next to the change it records, and
the change and its record commit together or not at all. Appends are serialised — by an advisory
transaction lock on PostgreSQL, by the write lock that SQLite's ``BEGIN IMMEDIATE`` takes — so
sequence numbers have no gaps and no duplicates, however many threads and processes write.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import logging
import re
import signal
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import rfc8785
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.ledger import merkle, notes, signing, tiles
from sanxiang.ledger.merkle import Key
from sanxiang.ledger.models import Blob, Checkpoint, Cosignature, Entry, EntryBlob, Node, SigningKey, Witness
from sanxiang.ledger.verifier import sm3

BODY_VERSION = 1
CHECKPOINT_INTERVAL = dt.timedelta(seconds=60)
# pg_advisory_xact_lock key of the log ("SXLG"): one writer at a time appends.
LOG_LOCK = 0x53584C47
# The entry that hands signing from one key to the next (signed by both, see rotate_key).
KEY_ROTATION_KIND = "ledger.key_rotated"

logger = logging.getLogger(__name__)


class LedgerCorrupt(RuntimeError):
    """The stored tree is missing a node it must have (``sanxiang verify`` says where)."""


class KeyNotInChain(RuntimeError):
    """The configured key is not the key that the log says signs now: a key change must be a
    rotation recorded in the log (``sanxiang rotate-key``), never a swapped key file."""


@dataclass(frozen=True)
class Subject:
    """What an entry is about: a type (``cases.case``, ``review.review`` …) and an id string."""

    type: str
    id: str

    @classmethod
    def of(cls, value: Any) -> Subject:
        if isinstance(value, Subject):
            return value
        if isinstance(value, tuple | list) and len(value) == 2:
            return cls(str(value[0]), str(value[1]))
        meta = getattr(value, "_meta", None)
        if meta is not None:
            ident = getattr(value, "public_id", None) or value.pk
            return cls(f"{meta.app_label}.{meta.model_name}", str(ident))
        raise InvalidInput(
            [FieldError("subject", "subject_format", "记录对象: 应为 (类型, 标识) 或模型实例")]
        )


_ASTRAL_UTF8 = re.compile(rb"[\xf0-\xf4]")  # UTF-8 lead bytes of characters outside the BMP
_PLAIN_DUMPS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER  # integers beyond ±(2^53 − 1) raise


def _plain_types(value: Any) -> bool:
    """True for JSON made only of objects with string keys, arrays, strings, booleans, null and
    integers (no fraction, no other type)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str:
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is not str and kind is not int and kind is not bool and item is not None:
            return False
    return True


def canonical(value: Any, *, field_name: str = "payload") -> bytes:
    """RFC 8785 canonical JSON; a value it cannot represent exactly is refused, naming the field.

    Plain JSON (see :func:`_plain_types`) with integers within ±(2^53 − 1) and no character outside
    the BMP is, under RFC 8785, exactly JSON with sorted keys, no spaces and no ASCII escaping
    (see audit._parse_canonical), which orjson writes byte for byte (tested against rfc8785)."""
    if _plain_types(value):
        try:
            text = orjson.dumps(value, option=_PLAIN_DUMPS)
        except orjson.JSONEncodeError:
            text = None
        if text is not None and not _ASTRAL_UTF8.search(text):
            return text
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise InvalidInput(
            [FieldError(field_name, "canonical_json", f"不能规范化为 JSON (RFC 8785): {exc}")]
        ) from exc


def iso_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="microseconds")


@dataclass
class _Prepared:
    kind: str
    subject: Subject
    actor: Any
    actor_fields: dict | None
    agency_id: int | None
    agency_public_id: str | None
    payload: Mapping
    blobs: list[Blob] = field(default_factory=list)
    corrects: int | None = None


def _actor_fields(actor: Any) -> tuple[Any, dict | None, int | None, str | None]:
    if actor is None:
        return None, None, None, None
    if isinstance(actor, str):  # a system actor, e.g. "system:checkpoint"
        return None, {"id": None, "name": actor}, None, None
    agency = getattr(actor, "agency", None)
    fields = {"id": str(actor.pk), "name": str(actor)}
    return actor, fields, getattr(actor, "agency_id", None), str(agency.public_id) if agency else None


def _prepare(
    *,
    kind: str,
    subject: Any,
    actor: Any,
    payload: Mapping,
    blobs: Iterable = (),
    corrects: Entry | int | None = None,
) -> _Prepared:
    errors: list[FieldError] = []
    if not isinstance(kind, str) or not kind or len(kind) > 100:
        errors.append(FieldError("kind", "required", "记录类型: 必填，不超过100字符"))
    if not isinstance(payload, Mapping):
        errors.append(FieldError("payload", "object", "记录内容: 应为 JSON 对象"))
    if corrects is not None:
        corrects = corrects.seq if isinstance(corrects, Entry) else corrects
        if not isinstance(corrects, int) or corrects < 0:
            errors.append(FieldError("corrects", "entry", "更正的记录: 应为已有记录的序号"))
    if errors:
        raise InvalidInput(errors)
    subject = Subject.of(subject)
    if not subject.type or not subject.id or len(subject.type) > 100 or len(subject.id) > 100:
        raise InvalidInput([FieldError("subject", "required", "记录对象: 类型和标识必填，各不超过100字符")])
    found: list[Blob] = []
    wanted = [b.sm3 if isinstance(b, Blob) else str(b) for b in blobs]
    if len(set(wanted)) != len(wanted):
        raise InvalidInput([FieldError("blobs", "unique", "存证文件: 同一文件只列一次")])
    if wanted:
        by_hash = Blob.objects.in_bulk(wanted)
        missing = [h for h in wanted if h not in by_hash]
        if missing:
            raise InvalidInput([FieldError("blobs", "exists", f"存证文件不存在: {', '.join(missing)}")])
        found = [by_hash[h] for h in wanted]
    actor, actor_fields, agency_id, agency_public_id = _actor_fields(actor)
    return _Prepared(
        kind, subject, actor, actor_fields, agency_id, agency_public_id, payload, found, corrects
    )


def _lock_log() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])
    # SQLite: the transaction began with BEGIN IMMEDIATE (settings), so this connection already holds
    # the database's only write lock until it commits.


def log_size() -> int:
    top = Entry.objects.aggregate(top=Max("seq"))["top"]
    return 0 if top is None else top + 1


def fetch_nodes(keys: Iterable[Key]) -> dict[Key, bytes]:
    """Perfect-subtree hashes by (level, index): leaves from ``Entry``, the rest from ``Node``."""
    keys = set(keys)
    leaves = [index for level, index in keys if level == 0]
    inner = {Node.flat_index(level, index): (level, index) for level, index in keys if level > 0}
    found: dict[Key, bytes] = {}
    if leaves:
        for seq, h in Entry.objects.filter(seq__in=leaves).values_list("seq", "leaf_hash"):
            found[(0, seq)] = bytes(h)
    if inner:
        for flat, h in Node.objects.filter(flat__in=list(inner)).values_list("flat", "hash"):
            found[inner[flat]] = bytes(h)
    if len(found) != len(keys):
        raise LedgerCorrupt(f"the tree is missing nodes {sorted(keys - found.keys())[:5]}")
    return found


def root_at(size: int) -> bytes:
    keys = merkle.frontier_keys(size)
    nodes = fetch_nodes(keys)
    return merkle.fold(sm3, [nodes[k] for k in keys])


_INSERT_ENTRY = (
    "INSERT INTO ledger_entry (seq, body, leaf_hash, kind, subject_type, subject_id, actor_id, agency_id, "
    "recorded_at, corrects) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_NODE = "INSERT INTO ledger_node (flat, hash) VALUES (%s, %s)"


_ENTRY_FIELDS = (
    "seq", "body", "leaf_hash", "kind", "subject_type", "subject_id", "actor_id", "agency_id", "recorded_at",
    "corrects",
)  # fmt: skip
_COPY_ENTRY = f"COPY ledger_entry ({', '.join(_ENTRY_FIELDS)}) FROM STDIN"
_COPY_NODE = "COPY ledger_node (flat, hash) FROM STDIN"
COPY_FROM = 64  # rows from which a PostgreSQL append writes with COPY rather than INSERT


def _loaded_entry(db: str, **values: Any) -> Entry:
    """An Entry as if read from the database, without Model.__init__ (which cost more per entry than
    hashing it and inserting it; benches/ledger_append.py)."""
    entry = Entry.__new__(Entry)
    entry._state = ModelState()
    entry._state.adding, entry._state.db = False, db
    entry.__dict__.update(values)
    return entry


def _insert_rows(entry_rows: list[tuple], node_rows: list[tuple[int, bytes]]) -> None:
    """Insert an append's entries and Merkle nodes: plain executemany (the ORM's bulk_create spent
    more time assembling SQL than the database spent inserting), or COPY on PostgreSQL for a batch."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(entry_rows) >= COPY_FROM:
            raw = cursor.cursor  # the psycopg cursor, in the caller's transaction
            with raw.copy(_COPY_ENTRY) as copy:
                for row in entry_rows:
                    copy.write_row(row)
            if node_rows:
                with raw.copy(_COPY_NODE) as copy:
                    for node in node_rows:
                        copy.write_row(node)
            return
        cursor.executemany(_INSERT_ENTRY, entry_rows)
        if node_rows:
            cursor.executemany(_INSERT_NODE, node_rows)


def record(
    *,
    kind: str,
    subject: Any,
    actor: Any,
    payload: Mapping,
    blobs: Iterable = (),
    corrects: Entry | int | None = None,
) -> Entry:
    """Append one entry to the log in the caller's transaction and return it.

    ``subject`` is ``(type, id)``, a :class:`Subject` or a model instance; ``actor`` a user (or a
    ``"system:…"`` string, or None); ``blobs`` stored :class:`Blob` objects or their SM3 hashes;
    ``corrects`` the entry (or its ``seq``) that this one corrects.
    """
    return record_many(
        [dict(kind=kind, subject=subject, actor=actor, payload=payload, blobs=blobs, corrects=corrects)]
    )[0]


def record_many(items: Sequence[Mapping]) -> list[Entry]:
    """Append several entries under one lock (batched ingest); same arguments as :func:`record`."""
    prepared = [_prepare(**item) for item in items]
    with transaction.atomic():
        _lock_log()
        size = log_size()
        keys = merkle.frontier_keys(size)
        nodes = fetch_nodes(keys)
        tree = merkle.CompactRange(sm3, size, [nodes[k] for k in keys])
        now = timezone.now()
        time_text = iso_time(now)
        entries: list[Entry] = []
        entry_rows: list[tuple] = []
        node_rows: list[tuple[int, bytes]] = []
        links: list[EntryBlob] = []
        recorded_at = Entry._meta.get_field("recorded_at").get_db_prep_value(now, connection)
        alias = connection.alias
        for offset, item in enumerate(prepared):
            seq = size + offset
            if item.corrects is not None and item.corrects >= seq:
                raise InvalidInput([FieldError("corrects", "entry", "更正的记录: 应为已有记录的序号")])
            body = canonical(
                {
                    "v": BODY_VERSION,
                    "seq": seq,
                    "kind": item.kind,
                    "subject": {"type": item.subject.type, "id": item.subject.id},
                    "actor": item.actor_fields,
                    "agency": item.agency_public_id,
                    "time": time_text,
                    "payload": item.payload,
                    "blobs": [b.reference() for b in item.blobs],
                    "corrects": item.corrects,
                }
            )
            leaf = merkle.leaf_hash(sm3, body)
            for level, index, h in tree.append(leaf)[1:]:
                node_rows.append((Node.flat_index(level, index), h))
            body_text = body.decode("utf-8")
            actor_id = item.actor.pk if item.actor is not None else None
            entry_rows.append(
                (seq, body_text, leaf, item.kind, item.subject.type, item.subject.id, actor_id,
                 item.agency_id, recorded_at, item.corrects)
            )  # fmt: skip
            entry = _loaded_entry(
                alias,
                seq=seq,
                body=body_text,
                leaf_hash=leaf,
                kind=item.kind,
                subject_type=item.subject.type,
                subject_id=item.subject.id,
                actor_id=actor_id,
                agency_id=item.agency_id,
                recorded_at=now,
                corrects=item.corrects,
            )
            if item.actor is not None:
                entry._state.fields_cache["actor"] = item.actor
            entries.append(entry)
            links += [EntryBlob(entry=entry, blob=b) for b in item.blobs]
        _insert_rows(entry_rows, node_rows)
        if links:
            EntryBlob.objects.bulk_create(links)
        transaction.on_commit(schedule_checkpoint)
    return entries


# ---------------------------------------------------------------- checkpoints


@lru_cache(maxsize=4)
def _key_at(path: str, mtime_ns: int) -> signing.SigningKey:
    return signing.load_or_create_key(Path(path))


def current_key() -> signing.SigningKey:
    path = settings.SANXIANG_LEDGER_KEY_FILE
    if not path.exists():
        signing.load_or_create_key(path)
    return _key_at(str(path), path.stat().st_mtime_ns)


def key_in_force(size: int) -> str | None:
    """The key id that must sign a checkpoint of ``size`` entries: the key named by the last key
    rotation among those entries, else the key of the first checkpoint (None: no checkpoint yet)."""
    body = (
        Entry.objects.filter(kind=KEY_ROTATION_KIND, seq__lt=size)
        .order_by("-seq")
        .values_list("body", flat=True)
        .first()
    )
    if body is not None:
        return json.loads(body)["payload"]["statement"]["key_id"]
    return Checkpoint.objects.order_by("size").values_list("key_id", flat=True).first()


def checkpoint_create() -> Checkpoint | None:
    """Sign the current tree head; idempotent: if the latest checkpoint covers every entry, return it.

    Returns None while the log is empty. Refuses (KeyNotInChain) to sign with a key that the log
    has not handed signing to. Writes the new tiles (outside the database) after signing."""
    key = current_key()
    with transaction.atomic():
        size = log_size()
        latest = Checkpoint.objects.order_by("-size").first()
        if size == 0 or (latest is not None and latest.size >= size):
            return latest
        expected = key_in_force(size)
        if expected is not None and expected != key.key_id:
            raise KeyNotInChain(
                f"the key file holds key {key.key_id[:16]}… but the log hands signing to {expected[:16]}…; "
                "change keys with `sanxiang rotate-key`"
            )
        root = root_at(size).hex()
        signing_key, _ = SigningKey.objects.get_or_create(
            key_id=key.key_id, defaults={"public_key": key.public_hex}
        )
        now = timezone.now()
        body = canonical(
            {
                "origin": settings.SANXIANG_LEDGER_ORIGIN,
                "size": size,
                "root": root,
                "time": iso_time(now),
                "key_id": key.key_id,
            },
            field_name="checkpoint",
        )
        try:
            with transaction.atomic():
                checkpoint = Checkpoint.objects.create(
                    size=size,
                    root=root,
                    body=body.decode(),
                    signature=key.sign(body),
                    key=signing_key,
                    created_at=now,
                    note_signature=key.sign(note_text(size, root).encode()),
                )
        except IntegrityError:  # another process signed the same size first
            return Checkpoint.objects.get(size=size)
    publish_tiles(latest.size if latest is not None else 0, size)
    return checkpoint


# ---------------------------------------------------------------- checkpoint notes and witnesses


def note_text(size: int, root_hex: str) -> str:
    """The C2SP checkpoint note text of a tree head (the log's key name is its origin)."""
    return notes.checkpoint_text(settings.SANXIANG_LEDGER_ORIGIN, size, bytes.fromhex(root_hex))


def checkpoint_note(checkpoint: Checkpoint) -> str | None:
    """The checkpoint as a signed note with the log's signature and every stored cosignature (None
    for checkpoints signed before notes existed)."""
    if not checkpoint.note_signature:
        return None
    origin = settings.SANXIANG_LEDGER_ORIGIN
    text = note_text(checkpoint.size, checkpoint.root)
    lines = [
        notes.SignatureLine(
            origin, notes.key_id(origin, checkpoint.key.public_key), bytes.fromhex(checkpoint.note_signature)
        )
    ]
    for cosignature in checkpoint.cosignatures.order_by("witness__name"):
        lines += list(notes.parse(text + "\n" + cosignature.line + "\n").signatures)
    return str(notes.Note(text, tuple(lines)))


def latest_note() -> str | None:
    checkpoint = Checkpoint.objects.select_related("key").exclude(note_signature="").order_by("-size").first()
    return checkpoint_note(checkpoint) if checkpoint is not None else None


def witness_add(*, name: str, public_key: str, description: str = "") -> Witness:
    """Register a witness whose cosignatures the log accepts (append-only: a name is given once)."""
    from sanxiang.ledger.verifier import ProofError

    errors = []
    try:
        notes.check_name(name)
    except ProofError:
        errors.append(FieldError("name", "note_key_name", "见证方名称: 不能为空，不能含空格或加号"))
    try:
        signing.public_key_pem(public_key)
    except (ProofError, ValueError):
        errors.append(
            FieldError("public_key", "sm2_public_key", "见证方公钥: 应为 SM2 公钥（04||x||y，十六进制）")
        )
    if errors:
        raise InvalidInput(errors)
    if Witness.objects.filter(name=name).exists():
        raise InvalidInput([FieldError("name", "unique", f"见证方名称: {name} 已登记")])
    return Witness.objects.create(
        name=name, public_key="04" + public_key.strip().lower()[-128:], description=description
    )


def cosignature_add(note: str) -> list[Cosignature]:
    """Store the cosignatures of registered witnesses on one of our checkpoints (C2SP tlog-cosignature,
    SM2). The note must be the text of a stored checkpoint; lines of unknown keys are ignored, as the
    signed-note format says; a line of a registered witness that does not verify refuses the whole note."""
    from sanxiang.ledger.verifier import ProofError

    try:
        parsed = notes.parse(note)
        head = notes.parse_checkpoint(parsed.text)
    except ProofError as exc:
        raise InvalidInput(
            [FieldError("note", "signed_note", f"签名树头文本格式错误（C2SP signed-note）: {exc}")]
        ) from exc
    checkpoint = Checkpoint.objects.filter(size=head.size).first()
    if (
        checkpoint is None
        or head.origin != settings.SANXIANG_LEDGER_ORIGIN
        or parsed.text != note_text(checkpoint.size, checkpoint.root)
    ):
        raise InvalidInput([FieldError("note", "our_checkpoint", "见证签名所针对的签名树头不是本系统签发的")])
    witnesses = {
        w.name: w for w in Witness.objects.filter(name__in=[line.name for line in parsed.signatures])
    }
    stored = []
    with transaction.atomic():
        for line in parsed.signatures:
            witness = witnesses.get(line.name)
            if witness is None or line.key_hash != notes.key_id(
                witness.name, witness.public_key, notes.COSIGNATURE_ID
            ):
                continue
            try:
                timestamp = notes.verify_cosignature(parsed.text, line, witness.name, witness.public_key)
            except ProofError as exc:
                raise InvalidInput(
                    [FieldError("note", "cosignature", f"见证方 {witness.name} 的签名无效")]
                ) from exc
            found, _ = Cosignature.objects.get_or_create(
                checkpoint=checkpoint, witness=witness, defaults={"timestamp": timestamp, "line": str(line)}
            )
            stored.append(found)
    if not stored:
        raise InvalidInput([FieldError("note", "cosignature", "没有已登记见证方的签名")])
    return stored


def tile_directory() -> Path:
    return Path(settings.SANXIANG_LEDGER_TILE_DIR)


def tile_hashes(level: int, index: int, width: int) -> list[bytes]:
    """The ``width`` hashes of tile (level, index) from the database (leaves, or tree level 8·level)."""
    start, height = index * tiles.WIDTH, tiles.HEIGHT * level
    if height == 0:
        rows = Entry.objects.filter(seq__gte=start, seq__lt=start + width).order_by("seq")
        hashes = [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]
    else:
        flats = [Node.flat_index(height, i) for i in range(start, start + width)]
        found = dict(Node.objects.filter(flat__in=flats).values_list("flat", "hash"))
        hashes = [bytes(found[f]) for f in flats if f in found]
    if len(hashes) != width:
        raise LedgerCorrupt(f"tile {level}/{index}: the tree is missing hashes")
    return hashes


def publish_tiles(old_size: int, new_size: int) -> int:
    """Write the tiles that growing the tree from ``old_size`` to ``new_size`` adds (each once);
    returns how many were written. ``old_size=0`` fills in whatever is missing."""
    directory = tile_directory()
    written = 0
    for level, index, width in tiles.tiles_between(old_size, new_size):
        if (directory / tiles.tile_path(level, index, width)).exists():
            continue
        written += tiles.write_tile(directory, level, index, tile_hashes(level, index, width))
    return written


def rotation_statement(*, seq: int, previous: signing.SigningKey, new: signing.SigningKey, time: str) -> dict:
    return {
        "origin": settings.SANXIANG_LEDGER_ORIGIN,
        "seq": seq,
        "previous_key_id": previous.key_id,
        "previous_public_key": previous.public_hex,
        "key_id": new.key_id,
        "public_key": new.public_hex,
        "time": time,
    }


def rotate_key(new: signing.SigningKey, *, actor: Any = "system:key-rotation") -> Entry:
    """Hand checkpoint signing from the configured key to ``new``, as a logged event.

    The previous key first signs a checkpoint over everything before the change; then one entry
    (kind ``ledger.key_rotated``) records the statement {origin, seq, both keys, time}, signed by
    the previous key (it authorises the change) and by the new key (it accepts it), so a verifier
    who trusts either key trusts the other; then the new key replaces the key file (the old file is
    kept beside it, named ``…retired-<key id>``, for the operator to archive offline) and signs a
    checkpoint that covers the rotation."""
    previous = current_key()
    if previous.key_id == new.key_id:
        raise InvalidInput([FieldError("key", "different", "新密钥与当前签名密钥相同")])
    checkpoint_create()
    with transaction.atomic():
        _lock_log()
        size = log_size()
        in_force = key_in_force(size)
        if in_force is not None and in_force != previous.key_id:
            raise KeyNotInChain(f"the log hands signing to {in_force[:16]}…, not to the configured key")
        statement = rotation_statement(seq=size, previous=previous, new=new, time=iso_time(timezone.now()))
        message = canonical(statement, field_name="statement")
        entry = record(
            kind=KEY_ROTATION_KIND,
            subject=("ledger.signingkey", new.key_id),
            actor=actor,
            payload={
                "statement": statement,
                "previous_signature": previous.sign(message),
                "signature": new.sign(message),
            },
        )
        SigningKey.objects.get_or_create(key_id=new.key_id, defaults={"public_key": new.public_hex})
    _install_key_file(new, retired=previous)
    checkpoint_create()
    return entry


def _install_key_file(new: signing.SigningKey, *, retired: signing.SigningKey) -> None:
    signing.install_key_file(Path(settings.SANXIANG_LEDGER_KEY_FILE), new, retired=retired)
    _key_at.cache_clear()


def checkpoint_on_shutdown() -> Checkpoint | None:
    """Sign a checkpoint over every entry before the process goes away, so that none is left
    uncovered (the server, a worker, ``serve``). Never raises: a shutdown must finish."""
    try:
        checkpoint = checkpoint_create()
    except Exception:  # a failing database or key must not stop the process from exiting
        logger.exception("no checkpoint could be signed at shutdown")
        return None
    if checkpoint is not None:
        logger.info("checkpoint %s signed at shutdown", checkpoint.size)
    return checkpoint


_shutdown_hook_installed = False


def install_shutdown_checkpoint() -> None:
    """Sign a checkpoint when this process exits: at interpreter exit (atexit) and on SIGTERM,
    which otherwise kills the process without running atexit handlers. Call once from the server
    or worker process (its main thread)."""
    global _shutdown_hook_installed
    if _shutdown_hook_installed:
        return
    _shutdown_hook_installed = True
    atexit.register(checkpoint_on_shutdown)
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


_schedule_lock = threading.Lock()
_pending_until: dt.datetime | None = None


def schedule_checkpoint() -> None:
    """After entries commit, make sure a checkpoint covering them is signed within a minute.

    Each process enqueues at most one pending checkpoint task at a time; the task is idempotent, so a
    duplicate from another process costs nothing. ``sanxiang checkpoint --every 60`` is the same sweep
    as a loop, for deployments without a worker."""
    global _pending_until
    from django_tasks import default_task_backend

    from sanxiang.ledger.tasks import make_checkpoint

    now = timezone.now()
    with _schedule_lock:
        if _pending_until is not None and now < _pending_until:
            return
        latest = Checkpoint.objects.order_by("-size").values_list("created_at", flat=True).first()
        due = now if latest is None else max(latest + CHECKPOINT_INTERVAL, now)
        defer = default_task_backend.supports_defer
        if due > now and not defer:
            return  # the backend runs tasks at once; the sweep command covers this case
        run_after = max(due, now + dt.timedelta(seconds=1)) if defer else None
        (make_checkpoint.using(run_after=run_after) if run_after else make_checkpoint).enqueue()
        _pending_until = run_after or now


def checkpoint_at(size: int) -> Checkpoint:
    found = Checkpoint.objects.select_related("key").filter(size=size).first()
    if found is None:
        raise NotFound("checkpoint")
    return found


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.select_related("key").order_by("-size").first()


# ---------------------------------------------------------------- proofs


def inclusion_proof(seq: int, size: int) -> list[bytes]:
    """The audit path of entry ``seq`` in the tree of ``size`` entries (RFC 9162 §2.1.3.1)."""
    if not 0 <= seq < size:
        raise InvalidInput([FieldError("seq", "in_tree", f"记录 #{seq} 不在前 {size} 条记录中")])
    ranges = merkle.inclusion_ranges(seq, size)
    return merkle.hashes_for(sm3, ranges, fetch_nodes(merkle.keys_for(ranges)))


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    """Proof that the tree of ``size2`` entries extends the tree of ``size1`` (RFC 9162 §2.1.4.1)."""
    if not 0 <= size1 <= size2:
        raise InvalidInput([FieldError("first", "order", "一致性证明: 第一个树头的记录数不能大于第二个")])
    if size1 == 0:
        raise InvalidInput([FieldError("first", "nonempty", "一致性证明: 第一个树头不能是空树")])
    ranges = merkle.consistency_ranges(size1, size2)
    return merkle.hashes_for(sm3, ranges, fetch_nodes(merkle.keys_for(ranges)))
