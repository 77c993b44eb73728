"""Removing what crashes and refused requests leave behind (issue 10, item 12). Idempotent.

What the sweep removes, each only when older than the grace period:

- Django's upload temp files (``tmp….upload…`` in ``FILE_UPLOAD_TEMP_DIR``) of requests that died;
- staged bytes: ``ingest-*`` files of single-pass ingests that died, and staged resumable uploads
  whose session is finished, failed, abandoned (idle, see ``upload_purge``) or missing;
- the bytes of blobs that no ledger entry has ever named (uploaded and never used). The ``Blob`` row
  stays (the ledger tables are append-only) and a ``SweptBlob`` row marks it gone: it is no longer
  visible or nameable until the same content is stored again. A blob that an entry names is never
  touched, whatever the clock says;
- published bytes without a row (a crash between publishing the bytes and writing the row).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanxiang.ledger.blobs import upload_purge
from sanxiang.ledger.models import Blob, EntryBlob, SweptBlob, UploadSession
from sanxiang.ledger.storage import BlobStorage, get_storage

log = logging.getLogger(__name__)

# django.core.files.uploadedfile.TemporaryUploadedFile: NamedTemporaryFile(suffix=".upload" + ext)
_DJANGO_TEMP = re.compile(r"^tmp[A-Za-z0-9_]+\.upload(\.[^/]*)?$")


@dataclass
class SweepReport:
    upload_temp_files: list[str] = field(default_factory=list)
    staging: list[str] = field(default_factory=list)
    unreferenced_blobs: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)
    abandoned_uploads: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "upload_temp_files": len(self.upload_temp_files),
            "staging": len(self.staging),
            "unreferenced_blobs": len(self.unreferenced_blobs),
            "orphan_files": len(self.orphan_files),
            "abandoned_uploads": self.abandoned_uploads,
        }


def grace_period() -> dt.timedelta:
    return dt.timedelta(hours=settings.SANXIANG_BLOB_SWEEP_GRACE_HOURS)


def _upload_temp_dir() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())


def _sweep_upload_temp(limit: float, report: SweepReport) -> None:
    directory = _upload_temp_dir()
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        if not _DJANGO_TEMP.match(path.name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                report.upload_temp_files.append(path.name)
        except FileNotFoundError:
            continue


def _sweep_staging(storage: BlobStorage, limit: float, report: SweepReport) -> None:
    open_ids = {
        str(u)
        for u in UploadSession.objects.filter(status=UploadSession.Status.OPEN).values_list(
            "public_id", flat=True
        )
    }
    for upload_id, mtime in list(storage.staging_entries()):
        if mtime >= limit or upload_id in open_ids:
            continue
        storage.staging_discard(upload_id)
        report.staging.append(upload_id)


def _sweep_unreferenced(storage: BlobStorage, before: dt.datetime, report: SweepReport) -> None:
    candidates = (
        Blob.objects.filter(created_at__lt=before, swept__isnull=True)
        .exclude(sm3__in=EntryBlob.objects.values("blob_id"))
        .values_list("sm3", flat=True)
    )
    for sm3 in list(candidates.iterator()):
        with transaction.atomic():
            # The row lock orders this against a record naming the blob (``referable`` locks it too).
            Blob.objects.select_for_update().filter(sm3=sm3).first()
            if (
                EntryBlob.objects.filter(blob_id=sm3).exists()
                or SweptBlob.objects.filter(blob_id=sm3).exists()
            ):
                continue
            SweptBlob.objects.create(blob_id=sm3, swept_at=timezone.now())
        storage.delete(sm3)
        report.unreferenced_blobs.append(sm3)


def _sweep_orphan_files(storage: BlobStorage, limit: float, report: SweepReport) -> None:
    batch: list[str] = []

    def flush() -> None:
        known = set(Blob.objects.filter(sm3__in=batch, swept__isnull=True).values_list("sm3", flat=True))
        for sm3 in batch:
            if sm3 not in known:
                storage.delete(sm3)
                report.orphan_files.append(sm3)
        batch.clear()

    for address, mtime in storage.addresses():
        if mtime < limit:
            batch.append(address)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()


def blob_sweep(*, grace: dt.timedelta | None = None) -> SweepReport:
    """Remove everything listed in the module docstring that is older than ``grace``."""
    grace = grace_period() if grace is None else grace
    report = SweepReport()
    storage = get_storage()
    limit = time.time() - grace.total_seconds()
    report.abandoned_uploads = upload_purge(older_than=grace)
    _sweep_upload_temp(limit, report)
    _sweep_staging(storage, limit, report)
    _sweep_unreferenced(storage, timezone.now() - grace, report)
    _sweep_orphan_files(storage, limit, report)
    if any(report.as_dict().values()):
        log.info("blob sweep: %s", report.as_dict())
    return report
