"""Storing recorded material: streamed, hashed (SM3 and SHA-256) while streaming, content-addressed.

Nothing is ever held whole in memory. Bytes are staged, checked against the hashes the client stated
(if any), and only then published under their SM3 address; a mismatch, an error or an interruption
discards the staged bytes, so no partial file is ever reachable and no ``Blob`` row exists for it.
Identical content is stored once. Audio and video get technical metadata from ffprobe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import queue
import re
import shutil
import subprocess
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.errors import FieldError, InvalidInput, NotFound, TransitionRefused
from sanxiang.ledger.models import Blob, SweptBlob, UploadSession
from sanxiang.ledger.storage import CHUNK, BlobStorage, get_storage

log = logging.getLogger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

HASH_MISMATCH = "hash_mismatch"
INGEST_CHUNK = CHUNK  # bytes read and hashed at a time while ingesting
MAX_SIZE = (1 << 63) - 1  # the largest size a 64-bit signed column holds
IDEMPOTENCY_KEY_MAX = 100  # UploadSession.idempotency_key; the same limit as sanxiang.api.common


class Hashers:
    """SM3, SHA-256 and byte count, fed as the bytes stream past.

    Each digest runs in a thread of its own (hashlib releases the GIL on updates over 2 KiB), fed in
    order through a short queue, so that reading the next chunk, SM3 of this one, SHA-256 and the
    write-behind of the store all overlap: on two cores the pipeline runs at about the speed of SM3
    alone. Small chunks (Django hands uploads over in 64 KiB pieces) are first gathered into
    ``INGEST_CHUNK``-sized ones. At most ``DEPTH`` chunks wait per digest, so memory stays bounded."""

    DEPTH = 2

    def __init__(self) -> None:
        self.sm3 = hashlib.new("sm3")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def feed(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        queues: list[queue.Queue[bytes | None]] = [queue.Queue(self.DEPTH), queue.Queue(self.DEPTH)]
        failures: list[BaseException] = []

        def run(digest: Any, pending: queue.Queue[bytes | None]) -> None:
            while (chunk := pending.get()) is not None:
                if not failures:
                    try:
                        digest.update(chunk)
                    except BaseException as exc:  # pragma: no cover - hashlib does not fail on bytes
                        failures.append(exc)

        threads = [
            threading.Thread(target=run, args=(d, q), name="sanxiang-hash", daemon=True)
            for d, q in zip((self.sm3, self.sha256), queues, strict=True)
        ]
        for thread in threads:
            thread.start()
        try:
            for chunk in _gathered(chunks):
                for pending in queues:
                    pending.put(chunk)
                self.size += len(chunk)
                yield chunk
        finally:
            for pending in queues:
                pending.put(None)
            for thread in threads:
                thread.join()
        if failures:  # pragma: no cover
            raise failures[0]


def _gathered(chunks: Iterable[bytes], size: int = INGEST_CHUNK) -> Iterator[bytes]:
    """``chunks`` regrouped so that each piece is at least ``size`` bytes (except the last)."""
    buffer: list[bytes] = []
    held = 0
    source = iter(chunks)
    while True:
        try:
            chunk = next(source, None)
        except Exception:
            if buffer:  # what arrived before the stream broke is still stored, so the client resumes after it
                yield b"".join(buffer)
            raise
        if chunk is None:
            break
        if not chunk:
            continue
        if not buffer and len(chunk) >= size:
            yield chunk
            continue
        buffer.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def chunks_of(stream: BinaryIO | Iterable[bytes], size: int = INGEST_CHUNK) -> Iterator[bytes]:
    if hasattr(stream, "read"):
        while chunk := stream.read(size):
            yield chunk
    else:
        for chunk in stream:
            if chunk:
                yield chunk


def _check_hex(errors: list[FieldError], name: str, value: str) -> str:
    value = (value or "").strip().lower()
    if value and not _HEX64.match(value):
        errors.append(FieldError(name, "hex64", f"{name}: 应为64位十六进制哈希值"))
    return value


def _expectations(expected_sm3: str, expected_sha256: str, expected_size: int | None) -> tuple[str, str]:
    errors: list[FieldError] = []
    sm3 = _check_hex(errors, "expected_sm3", expected_sm3)
    sha256 = _check_hex(errors, "expected_sha256", expected_sha256)
    if expected_size is not None and expected_size < 0:
        errors.append(FieldError("expected_size", "min", "expected_size: 不能为负数"))
    elif expected_size is not None and expected_size > MAX_SIZE:
        errors.append(FieldError("expected_size", "max", f"expected_size: 不能超过 {MAX_SIZE} 字节"))
    if errors:
        raise InvalidInput(errors)
    return sm3, sha256


def probe(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Duration, container, codecs and recording time of an audio or video file (ffprobe)."""
    binary = shutil.which("ffprobe")
    if binary is None:
        log.warning("ffprobe is not installed: no technical metadata for %s", path)
        return {"ffprobe": "unavailable"}
    try:
        out = subprocess.run(
            [binary, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout
        data = json.loads(out)
    except (subprocess.SubprocessError, ValueError) as exc:
        return {"ffprobe": "failed", "error": str(exc)[:200]}
    fmt = data.get("format", {})
    tags = fmt.get("tags", {})
    streams = []
    for s in data.get("streams", []):
        item = {k: s[k] for k in ("codec_type", "codec_name", "width", "height", "channels") if k in s}
        if "sample_rate" in s:
            item["sample_rate"] = int(s["sample_rate"])
        if "avg_frame_rate" in s and s.get("codec_type") == "video":
            item["frame_rate"] = s["avg_frame_rate"]
        streams.append(item)
        tags = tags or s.get("tags", {})
    metadata: dict[str, Any] = {"container": fmt.get("format_name", ""), "streams": streams}
    if "duration" in fmt:
        metadata["duration_seconds"] = round(float(fmt["duration"]), 3)
    recorded = tags.get("creation_time") or tags.get("date")
    if recorded:
        metadata["recorded_at"] = recorded
    return metadata


def _check(
    hashers: Hashers, *, expected_sm3: str, expected_sha256: str, expected_size: int | None
) -> list[FieldError]:
    sm3, sha256, size = hashers.sm3.hexdigest(), hashers.sha256.hexdigest(), hashers.size
    errors = []
    if expected_sm3 and expected_sm3 != sm3:
        errors.append(FieldError("expected_sm3", HASH_MISMATCH, f"SM3 不符: 收到的内容为 {sm3}"))
    if expected_sha256 and expected_sha256 != sha256:
        errors.append(FieldError("expected_sha256", HASH_MISMATCH, f"SHA-256 不符: 收到的内容为 {sha256}"))
    if expected_size is not None and expected_size != size:
        errors.append(FieldError("expected_size", "size_mismatch", f"大小不符: 收到 {size} 字节"))
    return errors


def _mismatch(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(errors, code=HASH_MISMATCH, title="内容与声明的哈希值不符，未保存")


def _metadata(storage: BlobStorage, media_type: str, path: str | os.PathLike[str] | None) -> dict[str, Any]:
    if media_type.startswith(("audio/", "video/")) and path is not None:
        return probe(path)
    return {}


def _row(sm3: str, sha256: str, size: int, media_type: str, metadata: dict[str, Any]) -> Blob:
    existing = Blob.objects.filter(sm3=sm3).first()
    if existing is not None:
        SweptBlob.objects.filter(blob=existing).delete()  # its bytes are back (published just before)
        return existing
    try:
        with transaction.atomic():
            return Blob.objects.create(
                sm3=sm3, sha256=sha256, size=size, media_type=media_type, metadata=metadata
            )
    except IntegrityError:  # the same content, stored concurrently
        return Blob.objects.get(sm3=sm3)


def _publish(storage: BlobStorage, upload_id: str, hashers: Hashers, *, media_type: str) -> Blob:
    """Move checked staged bytes to their address, then write the row (a crash in between leaves an
    unreachable file without a row, which ``blob_sweep`` removes)."""
    sm3 = hashers.sm3.hexdigest()
    existing = Blob.objects.filter(sm3=sm3, swept__isnull=True).first()
    storage.publish(upload_id, sm3)
    if existing is not None:
        return existing
    return _row(
        sm3,
        hashers.sha256.hexdigest(),
        hashers.size,
        media_type,
        _metadata(storage, media_type, storage.probe_source(sm3)),
    )


def _grant(actor: User | None, blob: Blob) -> None:
    """Remember that ``actor`` supplied these bytes, so that a record of theirs may name the blob."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if UploadSession.objects.filter(created_by=actor, blob=blob).exists():
        return
    UploadSession.objects.create(
        created_by=actor,
        status=UploadSession.Status.COMPLETE,
        blob=blob,
        offset=blob.size,
        expected_size=blob.size,
        expected_sm3=blob.sm3,
        media_type=blob.media_type[:100],
    )


def blob_ingest(
    *,
    stream: BinaryIO | Iterable[bytes],
    expected_sm3: str = "",
    expected_sha256: str = "",
    expected_size: int | None = None,
    media_type: str = "",
    actor: User | None = None,
) -> Blob:
    """Store one stream in a single pass; on any failure nothing is kept. ``actor`` (the uploader)
    may then name the blob in their records."""
    expected_sm3, expected_sha256 = _expectations(expected_sm3, expected_sha256, expected_size)
    storage = get_storage()
    upload_id = f"ingest-{uuid.uuid4().hex}"
    hashers = Hashers()
    try:
        storage.staging_append(upload_id, 0, hashers.feed(chunks_of(stream)))
        errors = _check(
            hashers, expected_sm3=expected_sm3, expected_sha256=expected_sha256, expected_size=expected_size
        )
        if errors:
            raise _mismatch(errors)
        blob = _publish(storage, upload_id, hashers, media_type=media_type)
        _grant(actor, blob)
        return blob
    finally:
        storage.staging_discard(upload_id)


@dataclass
class _Staged:
    upload_id: str
    hashers: Hashers
    media_type: str


@contextmanager
def ingest_for_record(*, actor: User, files: Iterable[Any]) -> Iterator[list[str]]:
    """Stage uploaded ``files`` (Django ``UploadedFile``s) for a record that is about to be written.

    Yields their SM3 hashes inside a transaction in which their ``Blob`` rows exist; the caller
    writes the record in the block. Only when the block succeeds are the bytes moved to their
    addresses (before the commit). A refused record (an exception out of the block) rolls back the
    rows and discards the staged bytes: nothing of a refused request is kept (issue 10, item 11)."""
    storage = get_storage()
    staged: list[_Staged] = []
    try:
        for f in files:
            hashers = Hashers()
            upload_id = f"ingest-{uuid.uuid4().hex}"
            staged.append(_Staged(upload_id, hashers, f.content_type or "application/octet-stream"))
            storage.staging_append(upload_id, 0, hashers.feed(chunks_of(f.chunks())))
        with transaction.atomic():
            rows = []
            for item in staged:
                sm3 = item.hashers.sm3.hexdigest()
                meta: dict[str, Any] = {}
                if not Blob.objects.filter(sm3=sm3).exists():  # a new blob (a swept one keeps its row)
                    meta = _metadata(storage, item.media_type, storage.staging_probe_source(item.upload_id))
                rows.append(
                    _row(sm3, item.hashers.sha256.hexdigest(), item.hashers.size, item.media_type, meta)
                )
            for blob in rows:
                _grant(actor, blob)
            yield list(dict.fromkeys(b.sm3 for b in rows))
            for item in staged:
                storage.publish(item.upload_id, item.hashers.sm3.hexdigest())
    finally:
        for item in staged:
            storage.staging_discard(item.upload_id)


def referable(actor: Any, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` ``actor`` may name in a record: a blob they uploaded, one they may already
    see (named by an entry in their scope), or one that nobody has uploaded or named yet (stored by
    the platform itself, e.g. a generated document). Anything else answers exactly like a blob that
    does not exist (issue 10, item 4)."""
    from sanxiang.ledger.models import EntryBlob
    from sanxiang.ledger.selectors import visible_blobs

    wanted = set(hashes)
    if not wanted:
        return set()
    # Lock the rows: the sweep takes the same lock before it removes a never-named blob's bytes.
    if transaction.get_connection().in_atomic_block:
        list(Blob.objects.select_for_update().filter(sm3__in=wanted).values_list("sm3", flat=True))
    seen = set(visible_blobs(actor).filter(sm3__in=wanted).values_list("sm3", flat=True))
    rest = wanted - seen
    if rest:
        claimed = set(UploadSession.objects.filter(blob_id__in=rest).values_list("blob_id", flat=True)) | set(
            EntryBlob.objects.filter(blob_id__in=rest).values_list("blob_id", flat=True)
        )
        seen |= set(
            Blob.objects.filter(sm3__in=rest - claimed, swept__isnull=True).values_list("sm3", flat=True)
        )
    return seen


# ---------------------------------------------------------------- resumable uploads

_hasher_cache: OrderedDict[str, Hashers] = OrderedDict()
_hasher_lock = threading.Lock()
_HASHER_CACHE_SIZE = 64


def _cached_hashers(upload_id: str, size: int) -> Hashers | None:
    """The hash state after the first ``size`` staged bytes, if this process still holds it."""
    with _hasher_lock:
        cached = _hasher_cache.pop(upload_id, None)
    return cached if cached is not None and cached.size == size else None


def _hashers_at(storage: BlobStorage, upload_id: str, size: int) -> Hashers:
    """The hash state after the first ``size`` staged bytes: from this process's cache, or re-read from
    the store (on S3 that completes the staged multipart upload, so only ``upload_complete`` does it)."""
    cached = _cached_hashers(upload_id, size)
    if cached is not None:
        return cached
    hashers = Hashers()
    for _ in hashers.feed(storage.staging_read(upload_id)):
        pass
    if hashers.size != size:
        raise TransitionRefused([FieldError("offset", "staged", "暂存内容已变化，请重新上传")])
    return hashers


def _remember(upload_id: str, hashers: Hashers) -> None:
    with _hasher_lock:
        _hasher_cache[upload_id] = hashers
        while len(_hasher_cache) > _HASHER_CACHE_SIZE:
            _hasher_cache.popitem(last=False)


def upload_begin(
    *,
    actor: User,
    expected_sm3: str = "",
    expected_sha256: str = "",
    expected_size: int | None = None,
    media_type: str = "",
    filename: str = "",
    idempotency_key: str = "",
) -> UploadSession:
    expected_sm3, expected_sha256 = _expectations(expected_sm3, expected_sha256, expected_size)
    idempotency_key = (idempotency_key or "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise InvalidInput(
            [FieldError("Idempotency-Key", "max_length", f"幂等键: 不超过{IDEMPOTENCY_KEY_MAX}字符")]
        )
    if idempotency_key:
        existing = UploadSession.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return UploadSession.objects.create(
                created_by=actor,
                idempotency_key=idempotency_key,
                expected_sm3=expected_sm3,
                expected_sha256=expected_sha256,
                expected_size=expected_size,
                media_type=media_type[:100],
                filename=filename[:255],
            )
    except IntegrityError:
        return UploadSession.objects.get(created_by=actor, idempotency_key=idempotency_key)


def upload_for(actor: User, upload_id: uuid.UUID | str) -> UploadSession:
    session = UploadSession.objects.filter(public_id=upload_id, created_by=actor).first()
    if session is None:
        raise NotFound("upload")
    return session


def _offset_refused(current: int) -> TransitionRefused:
    return TransitionRefused(
        [FieldError("offset", "offset_mismatch", f"续传位置不符: 已接收 {current} 字节，请从该位置继续")],
        code="offset_mismatch",
        title="续传位置不符",
    )


def _incomplete(staged: int, expected: int) -> TransitionRefused:
    """A ``/complete`` before all the stated bytes arrived: refused, the staged bytes are kept and the
    upload stays resumable (issue 10, item 13). Only a stated size tells an unfinished upload from a
    wrong one; without it a hash mismatch at ``/complete`` fails the upload."""
    return TransitionRefused(
        [
            FieldError(
                "offset",
                "upload_incomplete",
                f"上传尚未完成: 已接收 {staged} 字节，声明大小为 {expected} 字节；已接收的内容保留，请从该位置继续上传",
            )
        ],
        code="upload_incomplete",
        title="上传尚未完成",
    )


def upload_append(
    *, actor: User, upload_id: uuid.UUID | str, offset: int, data: BinaryIO | Iterable[bytes]
) -> UploadSession:
    """Append a chunk at ``offset``, which must be the number of bytes received so far (else 409 with
    that number, so the client resumes there). On failure the hash state is not remembered: it may
    include bytes that were not written, and the next request re-reads the staged bytes instead."""
    session = upload_for(actor, upload_id)
    if session.status != UploadSession.Status.OPEN:
        raise TransitionRefused([FieldError("upload", "open", "上传会话已结束")], code="upload_closed")
    storage = get_storage()
    key = str(session.public_id)
    staged = storage.staging_size(key)
    if offset != staged:
        raise _offset_refused(staged)
    # Hash as the bytes pass when this process holds the hash state so far; otherwise (the upload began
    # in another worker) just store them, and /complete hashes the stored bytes once.
    hashers = _cached_hashers(key, staged) or (Hashers() if staged == 0 else None)
    chunks = hashers.feed(chunks_of(data)) if hashers is not None else chunks_of(data)
    try:
        size = storage.staging_append(key, offset, chunks)
    except ValueError as exc:  # another request appended first
        raise _offset_refused(storage.staging_size(key)) from exc
    if session.expected_size is not None and size > session.expected_size:
        upload_fail(session, "more bytes than the stated size")
        raise InvalidInput([FieldError("expected_size", "size_mismatch", "超出声明的大小，上传已作废")])
    if hashers is not None:
        _remember(key, hashers)
    UploadSession.objects.filter(pk=session.pk).update(offset=size, updated_at=timezone.now())
    session.offset = size
    return session


def upload_offset(session: UploadSession) -> int:
    return get_storage().staging_size(str(session.public_id)) if session.status == "open" else session.offset


def upload_fail(session: UploadSession, reason: str) -> None:
    get_storage().staging_discard(str(session.public_id))
    UploadSession.objects.filter(pk=session.pk).update(
        status=UploadSession.Status.FAILED, failure=reason[:200], updated_at=timezone.now()
    )
    session.status = UploadSession.Status.FAILED


def upload_complete(*, actor: User, upload_id: uuid.UUID | str) -> Blob:
    """Check the whole upload against what was stated and publish it; idempotent once complete."""
    session = upload_for(actor, upload_id)
    if session.status == UploadSession.Status.COMPLETE:
        assert session.blob is not None  # COMPLETE is only ever set together with the blob (below)
        return session.blob
    if session.status == UploadSession.Status.FAILED:
        raise TransitionRefused(
            [FieldError("upload", "open", f"上传已作废: {session.failure}")], code="upload_closed"
        )
    storage = get_storage()
    key = str(session.public_id)
    staged = storage.staging_size(key)
    if session.expected_size is not None and staged < session.expected_size:
        raise _incomplete(staged, session.expected_size)
    if staged == 0:
        storage.staging_append(key, 0, ())  # an empty upload: stage the empty content explicitly
    hashers = _hashers_at(storage, key, staged)
    errors = _check(
        hashers,
        expected_sm3=session.expected_sm3,
        expected_sha256=session.expected_sha256,
        expected_size=session.expected_size,
    )
    if errors:
        upload_fail(session, "hash or size mismatch")
        raise _mismatch(errors)
    blob = _publish(storage, key, hashers, media_type=session.media_type)
    UploadSession.objects.filter(pk=session.pk).update(
        status=UploadSession.Status.COMPLETE, blob=blob, offset=blob.size, updated_at=timezone.now()
    )
    with _hasher_lock:
        _hasher_cache.pop(key, None)
    return blob


def upload_purge(*, older_than: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Abandon uploads idle for longer than ``older_than``: their staged bytes are deleted."""
    stale = UploadSession.objects.filter(
        status=UploadSession.Status.OPEN, updated_at__lt=timezone.now() - older_than
    )
    count = 0
    for session in stale:
        upload_fail(session, "abandoned")
        count += 1
    return count
