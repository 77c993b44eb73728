"""Where blob bytes live: a small interface, a local-directory implementation.

Bytes are first *staged* under an upload id (appended chunk by chunk, possibly across requests and
processes), then *published* under their content address (the SM3 hex) in one atomic step once the
hashes are checked. Staged bytes are never reachable by address; a failed or abandoned upload is
discarded. An S3-compatible store implements the same five staging methods with a multipart upload
(``staging_append`` = UploadPart, ``publish`` = CompleteMultipartUpload to a staging key then a
server-side copy to ``blobs/<sm3>`` guarded by If-None-Match, ``staging_discard`` =
AbortMultipartUpload) and ``open`` with a ranged GET.
"""

from __future__ import annotations

import fcntl
import os
import queue
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

CHUNK = 1 << 20
SYNC_EVERY = 64 << 20
_ADDRESS = re.compile(r"^[0-9a-f]{64}$")
_UPLOAD_ID = re.compile(r"^[0-9a-zA-Z_-]{8,64}$")


class BlobStorage(ABC):
    @abstractmethod
    def staging_append(self, upload_id: str, offset: int, chunks: Iterable[bytes]) -> int:
        """Write ``chunks`` at ``offset`` (which must equal the staged size) and return the new size."""

    @abstractmethod
    def staging_size(self, upload_id: str) -> int: ...

    @abstractmethod
    def staging_read(self, upload_id: str) -> Iterator[bytes]: ...

    @abstractmethod
    def staging_discard(self, upload_id: str) -> None: ...

    @abstractmethod
    def publish(self, upload_id: str, address: str) -> None:
        """Make the staged bytes readable at ``address`` atomically (or drop them if already stored)."""

    @abstractmethod
    def exists(self, address: str) -> bool: ...

    @abstractmethod
    def open(self, address: str) -> BinaryIO: ...

    @abstractmethod
    def local_path(self, address: str) -> Path | None:
        """A filesystem path for tools that need one (ffprobe, verify's re-hash); None if remote."""

    def presigned_url(self, address: str, *, media_type: str = "", seconds: int | None = None) -> str | None:
        """A time-limited URL the client fetches the bytes from directly (with ranges), or None where
        the application serves them itself."""
        return None

    def probe_source(self, address: str) -> str | None:
        """Something ffprobe can read the published blob from (a path or a URL), or None."""
        path = self.local_path(address)
        return str(path) if path is not None else None

    def staging_probe_source(self, upload_id: str) -> str | None:
        """Something ffprobe can read the staged bytes from, or None where staged bytes are not readable."""
        return None

    @abstractmethod
    def delete(self, address: str) -> None:
        """Remove a published blob (only ever for one that no entry names: see ``blob_sweep``)."""

    @abstractmethod
    def addresses(self) -> Iterator[tuple[str, float]]:
        """Every published address with its modification time (seconds since the epoch)."""

    @abstractmethod
    def staging_entries(self) -> Iterator[tuple[str, float]]:
        """Every staged upload id with the time it was last written to."""

    def read(self, address: str) -> Iterator[bytes]:
        with self.open(address) as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


class LocalBlobStorage(BlobStorage):
    """``root/ab/cd/<sm3>`` for published blobs, ``root/.staging/<upload id>`` for staged ones."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.staging = self.root / ".staging"

    def _address_path(self, address: str) -> Path:
        if not _ADDRESS.match(address):
            raise ValueError(f"not a blob address: {address!r}")
        return self.root / address[:2] / address[2:4] / address

    def _staging_path(self, upload_id: str) -> Path:
        if not _UPLOAD_ID.match(upload_id):
            raise ValueError(f"not an upload id: {upload_id!r}")
        return self.staging / upload_id

    def staging_append(self, upload_id: str, offset: int, chunks: Iterable[bytes]) -> int:
        path = self._staging_path(upload_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # one appender at a time per upload
            handle.seek(0, os.SEEK_END)
            if handle.tell() != offset:
                raise ValueError(f"staged size is {handle.tell()}, not {offset}")
            _write_behind(handle, chunks)
            handle.flush()
            os.fsync(handle.fileno())
            return handle.tell()

    def staging_size(self, upload_id: str) -> int:
        try:
            return self._staging_path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    def staging_read(self, upload_id: str) -> Iterator[bytes]:
        path = self._staging_path(upload_id)
        if not path.exists():
            return
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def staging_discard(self, upload_id: str) -> None:
        self._staging_path(upload_id).unlink(missing_ok=True)

    def publish(self, upload_id: str, address: str) -> None:
        source, target = self._staging_path(upload_id), self._address_path(address)
        if target.exists():
            source.unlink(missing_ok=True)  # identical content is stored once
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(source, 0o444)
        os.replace(source, target)  # atomic on one filesystem: the address is complete or absent
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def exists(self, address: str) -> bool:
        return self._address_path(address).is_file()

    def open(self, address: str) -> BinaryIO:
        return open(self._address_path(address), "rb")

    def local_path(self, address: str) -> Path | None:
        return self._address_path(address)

    def staging_probe_source(self, upload_id: str) -> str | None:
        return str(self._staging_path(upload_id))

    def delete(self, address: str) -> None:
        self._address_path(address).unlink(missing_ok=True)

    def addresses(self) -> Iterator[tuple[str, float]]:
        if not self.root.exists():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for path in sorted(second.iterdir()):
                    if _ADDRESS.match(path.name):
                        try:
                            yield path.name, path.stat().st_mtime
                        except FileNotFoundError:
                            continue

    def staging_entries(self) -> Iterator[tuple[str, float]]:
        if not self.staging.exists():
            return
        for path in sorted(self.staging.iterdir()):
            try:
                yield path.name, path.stat().st_mtime
            except FileNotFoundError:
                continue


def _write_behind(handle: BinaryIO, chunks: Iterable[bytes], depth: int = 4) -> None:
    """Write ``chunks`` from a helper thread so that producing the next chunk (reading the request and
    hashing it) overlaps with writing this one; at most ``depth`` chunks wait in memory."""
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
    failure: list[BaseException] = []

    def writer() -> None:
        unsynced = 0
        while (chunk := pending.get()) is not None:
            if not failure:
                try:
                    handle.write(chunk)
                    unsynced += len(chunk)
                    if unsynced >= SYNC_EVERY:  # flush as we go, so the final fsync has little left
                        handle.flush()
                        os.fdatasync(handle.fileno())
                        unsynced = 0
                except BaseException as exc:
                    failure.append(exc)

    thread = threading.Thread(target=writer, name="sanxiang-blob-writer", daemon=True)
    thread.start()
    try:
        for chunk in chunks:
            if failure:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        raise failure[0]


def storage_named(name: str) -> BlobStorage:
    """The configured store called ``name``: ``local`` (SANXIANG_BLOB_DIR) or ``s3`` (SANXIANG_S3_*)."""
    if name == "local":
        return LocalBlobStorage(Path(settings.SANXIANG_BLOB_DIR))
    if name == "s3":
        from sanxiang.ledger.storage_s3 import S3BlobStorage, s3_client

        conf = settings.SANXIANG_S3
        client = s3_client(
            endpoint_url=str(conf["endpoint_url"]),
            region=str(conf["region"]),
            access_key=str(conf["access_key"]),
            secret_key=str(conf["secret_key"]),
        )
        return S3BlobStorage(
            client=client,
            bucket=str(conf["bucket"]),
            prefix=str(conf["prefix"]),
            presign_seconds=int(str(conf["presign_seconds"])),
        )
    raise ValueError(f"unknown blob store {name!r} (local or s3)")


def get_storage() -> BlobStorage:
    return storage_named(settings.SANXIANG_BLOB_STORE)
