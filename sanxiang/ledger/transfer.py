"""Copying blobs between stores with every hash checked: ``sanxiang blobs migrate`` and backups.

A blob is copied by streaming it from the source through the SM3 and SHA-256 hashers into the
target's staging area; only when both hashes and the size equal the ``Blob`` row is it published
under its address in the target. Then the target's copy is read back and hashed again, so that what
the target holds is verified, not what was sent. A blob already in the target is verified the same
way and not copied again, so a migration that stopped half way is simply run again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sanxiang.ledger.blobs import Hashers
from sanxiang.ledger.models import Blob
from sanxiang.ledger.storage import BlobStorage


class BlobMismatch(Exception):
    """A blob whose bytes do not hash to its recorded SM3 / SHA-256 / size."""

    def __init__(self, sm3: str, where: str, got: tuple[str, str, int]):
        self.sm3 = sm3
        super().__init__(
            f"blob {sm3}: the copy in {where} has SM3 {got[0]}, SHA-256 {got[1]}, {got[2]} bytes — "
            "not the recorded content"
        )


@dataclass
class TransferReport:
    copied: int = 0
    verified: int = 0
    already_there: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.copied} copied, {self.already_there} already there, {self.verified} verified, "
            f"{self.bytes} bytes, {len(self.missing)} missing in the source"
        )


def hash_chunks(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    hashers = Hashers()
    for _ in hashers.feed(chunks):
        pass
    return hashers.sm3.hexdigest(), hashers.sha256.hexdigest(), hashers.size


def verify_in(store: BlobStorage, blob: Blob, where: str) -> None:
    got = hash_chunks(store.read(blob.sm3))
    if got != (blob.sm3, blob.sha256, blob.size):
        raise BlobMismatch(blob.sm3, where, got)


def copy_blob(source: BlobStorage, target: BlobStorage, blob: Blob, *, where: str = "the target") -> bool:
    """Make ``target`` hold ``blob`` (verified); True if it had to be copied."""
    if target.exists(blob.sm3):
        verify_in(target, blob, where)
        return False
    upload_id = f"ingest-{uuid.uuid4().hex}"
    hashers = Hashers()
    try:
        target.staging_append(upload_id, 0, hashers.feed(source.read(blob.sm3)))
        got = (hashers.sm3.hexdigest(), hashers.sha256.hexdigest(), hashers.size)
        if got != (blob.sm3, blob.sha256, blob.size):
            raise BlobMismatch(blob.sm3, "the source", got)
        target.publish(upload_id, blob.sm3)
    finally:
        target.staging_discard(upload_id)
    verify_in(target, blob, where)
    return True


def copy_all(
    source: BlobStorage,
    target: BlobStorage,
    blobs: Iterable[Blob],
    *,
    where: str = "the target",
    progress: Callable[[TransferReport], None] | None = None,
) -> TransferReport:
    report = TransferReport()
    for blob in blobs:
        if not source.exists(blob.sm3) and not target.exists(blob.sm3):
            report.missing.append(blob.sm3)
            continue
        if copy_blob(source, target, blob, where=where):
            report.copied += 1
        else:
            report.already_there += 1
        report.verified += 1
        report.bytes += blob.size
        if progress is not None:
            progress(report)
    return report


def live_blobs() -> Iterator[Blob]:
    """Every blob whose bytes the platform keeps (not removed by the sweep), in address order."""
    return Blob.objects.filter(swept__isnull=True).order_by("sm3").iterator(chunk_size=500)
