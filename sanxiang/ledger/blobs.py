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
import re
import shutil
import subprocess
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.errors import FieldError, InvalidInput, NotFound, TransitionRefused
from sanxiang.ledger.models import Blob, UploadSession
from sanxiang.ledger.storage import CHUNK, BlobStorage, get_storage

log = logging.getLogger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

HASH_MISMATCH = "hash_mismatch"


class Hashers:
    """SM3, SHA-256 and byte count, fed as the bytes stream past.

    SHA-256 runs in a helper thread beside SM3 (hashlib releases the GIL on large updates), so the two
    digests together cost about as much wall time as SM3 alone on a machine with two cores."""

    def __init__(self) -> None:
        self.sm3 = hashlib.new("sm3")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def feed(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            sha = _hash_pool().submit(self.sha256.update, chunk)
            self.sm3.update(chunk)
            sha.result()
            self.size += len(chunk)
            yield chunk


_pools: dict[int, ThreadPoolExecutor] = {}


def _hash_pool() -> ThreadPoolExecutor:
    """One helper pool per process (a pool inherited through fork has no threads)."""
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sanxiang-hash")
    return _pools[pid]


def chunks_of(stream: BinaryIO | Iterable[bytes], size: int = CHUNK) -> Iterator[bytes]:
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


def _publish(
    storage: BlobStorage,
    upload_id: str,
    hashers: Hashers,
    *,
    expected_sm3: str,
    expected_sha256: str,
    expected_size: int | None,
    media_type: str,
) -> Blob:
    sm3, sha256, size = hashers.sm3.hexdigest(), hashers.sha256.hexdigest(), hashers.size
    errors = []
    if expected_sm3 and expected_sm3 != sm3:
        errors.append(FieldError("expected_sm3", HASH_MISMATCH, f"SM3 不符: 收到的内容为 {sm3}"))
    if expected_sha256 and expected_sha256 != sha256:
        errors.append(FieldError("expected_sha256", HASH_MISMATCH, f"SHA-256 不符: 收到的内容为 {sha256}"))
    if expected_size is not None and expected_size != size:
        errors.append(FieldError("expected_size", "size_mismatch", f"大小不符: 收到 {size} 字节"))
    if errors:
        raise InvalidInput(errors, code=HASH_MISMATCH, title="内容与声明的哈希值不符，未保存")
    existing = Blob.objects.filter(sm3=sm3).first()
    storage.publish(upload_id, sm3)
    if existing is not None:
        return existing
    metadata: dict[str, Any] = {}
    if media_type.startswith(("audio/", "video/")):
        path = storage.local_path(sm3)
        if path is not None:
            metadata = probe(path)
    try:
        with transaction.atomic():
            return Blob.objects.create(
                sm3=sm3, sha256=sha256, size=size, media_type=media_type, metadata=metadata
            )
    except IntegrityError:  # the same content, stored concurrently
        return Blob.objects.get(sm3=sm3)


def blob_ingest(
    *,
    stream: BinaryIO | Iterable[bytes],
    expected_sm3: str = "",
    expected_sha256: str = "",
    expected_size: int | None = None,
    media_type: str = "",
) -> Blob:
    """Store one stream in a single pass; on any failure nothing is kept."""
    expected_sm3, expected_sha256 = _expectations(expected_sm3, expected_sha256, expected_size)
    storage = get_storage()
    upload_id = f"ingest-{uuid.uuid4().hex}"
    hashers = Hashers()
    try:
        storage.staging_append(upload_id, 0, hashers.feed(chunks_of(stream)))
        return _publish(
            storage,
            upload_id,
            hashers,
            expected_sm3=expected_sm3,
            expected_sha256=expected_sha256,
            expected_size=expected_size,
            media_type=media_type,
        )
    finally:
        storage.staging_discard(upload_id)


# ---------------------------------------------------------------- resumable uploads

_hasher_cache: OrderedDict[str, Hashers] = OrderedDict()
_hasher_lock = threading.Lock()
_HASHER_CACHE_SIZE = 64


def _hashers_at(storage: BlobStorage, upload_id: str, size: int) -> Hashers:
    """The hash state after the first ``size`` staged bytes: from this process's cache, or re-read."""
    with _hasher_lock:
        cached = _hasher_cache.pop(upload_id, None)
    if cached is not None and cached.size == size:
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
    if idempotency_key:
        existing = UploadSession.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return UploadSession.objects.create(
                created_by=actor,
                idempotency_key=idempotency_key[:100],
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
    hashers = _hashers_at(storage, key, staged)
    try:
        size = storage.staging_append(key, offset, hashers.feed(chunks_of(data)))
    except ValueError as exc:  # another request appended first
        raise _offset_refused(storage.staging_size(key)) from exc
    if session.expected_size is not None and size > session.expected_size:
        upload_fail(session, "more bytes than the stated size")
        raise InvalidInput([FieldError("expected_size", "size_mismatch", "超出声明的大小，上传已作废")])
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
    hashers = _hashers_at(storage, key, storage.staging_size(key))
    try:
        blob = _publish(
            storage,
            key,
            hashers,
            expected_sm3=session.expected_sm3,
            expected_sha256=session.expected_sha256,
            expected_size=session.expected_size,
            media_type=session.media_type,
        )
    except InvalidInput:
        upload_fail(session, "hash or size mismatch")
        raise
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
