"""``sanxiang backup DIR`` and ``sanxiang restore DIR`` (issue 17, item 4; docs/decisions, backup format).

A backup directory holds:

- ``database.jsonl`` — every row of every installed app (Django's serializer, one object per line,
  content types by natural key), read inside ONE transaction: on PostgreSQL ``REPEATABLE READ READ
  ONLY``, on SQLite a read transaction, so the dump is a consistent snapshot even while the server
  keeps writing. Django's serializer rather than ``pg_dump`` or SQLite's backup API because the same
  file restores into either database (a district moves from the embedded SQLite to PostgreSQL by
  backup and restore) and needs no client binaries;
- ``blobs/ab/cd/<sm3>`` — the bytes of every blob of that snapshot, when they live in the local
  directory, each copied with its SM3, SHA-256 and size checked (``ledger.transfer``). Blobs in object
  storage are *referenced*: the manifest names their bucket and keys and the backup checks each is
  there (``--copy-blobs`` copies them too); the object store's own versioning and replication keep
  them;
- ``manifest.json`` — format, time, source database, applied migrations, row counts per model, the
  SHA-256 of ``database.jsonl``, the latest signed checkpoint and every blob with its hashes and where
  it is.

``restore`` migrates the target database, refuses one that already holds ledger entries, checks the
dump's SHA-256, inserts every row (rows that the target's own migrations created are left as they
are), resets the sequences, puts the blobs back into the configured store (verifying each), and
finally checks that the latest checkpoint is the one the manifest names. The ledger's private
signing key is not in the backup: it is kept (and restored) with the other secrets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sanxiang.ledger.models import Blob, Checkpoint, Entry
from sanxiang.ledger.storage import LocalBlobStorage, get_storage
from sanxiang.ledger.transfer import BlobMismatch, copy_blob, verify_in

FORMAT = "sanxiang-backup/1"
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}
BATCH = 500


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django cuts them to milliseconds, and a
    ledger entry's ``recorded_at`` must equal the time in its hashed body)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class BackupReport:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)
    blobs_copied: int = 0
    blobs_referenced: int = 0
    checkpoint: dict[str, Any] | None = None

    def summary(self) -> str:
        cp = self.checkpoint
        head = f"checkpoint {cp['size']} {cp['root'][:16]}…" if cp else "no checkpoint yet"
        return (
            f"{sum(self.rows.values())} rows of {len(self.rows)} models, {self.blobs_copied} blobs copied, "
            f"{self.blobs_referenced} referenced in object storage, {head}"
        )


def _models() -> list[type[models.Model]]:
    chosen = []
    for model in serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    ):
        label = model._meta.label_lower
        if label in EXCLUDED or model._meta.proxy or not model._meta.managed:
            continue
        chosen.append(model)
    return chosen


def _checkpoint_fields(checkpoint: Checkpoint | None) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {
        "size": checkpoint.size,
        "root": checkpoint.root,
        "signature": checkpoint.signature,
        "key_id": checkpoint.key_id,
    }


def _snapshot_begin(outermost: bool) -> None:
    """Make this (just opened) transaction one consistent read of the whole database."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def backup_write(directory: Path, *, copy_object_blobs: bool = False) -> BackupReport:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: a backup goes into a new directory")
    directory.mkdir(parents=True, exist_ok=True)
    report = BackupReport(directory)
    dump = directory / "database.jsonl"
    digest = hashlib.sha256()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot_begin(outermost)
        with dump.open("w", encoding="utf-8") as out:
            for model in _models():
                count = 0
                pk = model._meta.pk.name
                queryset = model._default_manager.using(connection.alias).order_by(pk)
                last = None
                while True:  # keyset pages: every page costs the same however far in
                    page = queryset if last is None else queryset.filter(**{f"{pk}__gt": last})
                    rows = list(page[:BATCH])
                    if not rows:
                        break
                    last = rows[-1].pk
                    text = serializers.serialize(
                        "jsonl", rows, use_natural_foreign_keys=True, cls=_ExactEncoder
                    )
                    out.write(text)
                    digest.update(text.encode("utf-8"))
                    count += len(rows)
                report.rows[model._meta.label_lower] = count
        report.checkpoint = _checkpoint_fields(Checkpoint.objects.order_by("-size").first())
        entries = Entry.objects.count()
        blob_rows = list(Blob.objects.filter(swept__isnull=True).order_by("sm3"))
        migrations = sorted(MigrationRecorder.Migration.objects.values_list("app", "name"))

    store = settings.SANXIANG_BLOB_STORE
    source = get_storage()
    target = LocalBlobStorage(directory / "blobs")
    manifest_blobs = []
    for blob in blob_rows:
        item: dict[str, Any] = {"sm3": blob.sm3, "sha256": blob.sha256, "size": blob.size}
        if store == "local" or copy_object_blobs:
            try:
                copy_blob(source, target, blob, where="the backup")
            except FileNotFoundError as exc:
                raise BackupError(f"blob {blob.sm3}: its bytes are missing from the {store} store") from exc
            item["stored"] = "copied"
            report.blobs_copied += 1
        else:
            if not source.exists(blob.sm3):
                raise BackupError(f"blob {blob.sm3}: not in the object store")
            item["stored"] = "referenced"
            item["key"] = source.key(blob.sm3)  # type: ignore[attr-defined]
            report.blobs_referenced += 1
        manifest_blobs.append(item)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": [list(m) for m in migrations],
        "rows": report.rows,
        "entries": entries,
        "database_sha256": digest.hexdigest(),
        "checkpoint": report.checkpoint,
        "blob_store": {
            "kind": store,
            **(
                {"bucket": settings.SANXIANG_S3["bucket"], "prefix": settings.SANXIANG_S3["prefix"]}
                if store == "s3"
                else {}
            ),
        },
        "blobs": manifest_blobs,
    }
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return report


def _objects(dump: Path) -> Iterator[Any]:
    with dump.open(encoding="utf-8") as lines:
        batch: list[str] = []
        for line in lines:
            if line.strip():
                batch.append(line)
            if len(batch) >= BATCH:
                yield from serializers.deserialize("jsonl", "".join(batch), handle_forward_references=True)
                batch = []
        if batch:
            yield from serializers.deserialize("jsonl", "".join(batch), handle_forward_references=True)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class RestoreReport:
    rows: int = 0
    kept: int = 0
    blobs: int = 0
    checkpoint: dict[str, Any] | None = None

    def summary(self) -> str:
        cp = self.checkpoint
        head = f"checkpoint {cp['size']} {cp['root'][:16]}… matches the backup" if cp else "no checkpoint"
        return f"{self.rows} rows restored ({self.kept} already there), {self.blobs} blobs in place, {head}"


def backup_restore(directory: Path, *, migrate: bool = True) -> RestoreReport:
    directory = Path(directory)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{directory}: no readable manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory}: format {manifest.get('format')!r}, expected {FORMAT}")
    dump = directory / "database.jsonl"
    if _file_sha256(dump) != manifest["database_sha256"]:
        raise BackupError("database.jsonl does not match the SHA-256 in the manifest: the backup is damaged")
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if Entry.objects.exists():
        raise BackupError("the target database already holds ledger entries: restore into an empty one")
    report = RestoreReport()
    touched: set[type[models.Model]] = set()
    with transaction.atomic(), connection.constraint_checks_disabled():
        for obj in _objects(dump):
            model = type(obj.object)
            if model._default_manager.filter(pk=obj.object.pk).exists():
                report.kept += 1  # created by the target's own migrations
                continue
            obj.save(force_insert=True)
            touched.add(model)
            report.rows += 1
        connection.check_constraints()
        statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    target = get_storage()
    source = LocalBlobStorage(directory / "blobs")
    for item in manifest["blobs"]:
        blob = Blob.objects.get(sm3=item["sm3"])
        try:
            if item["stored"] == "copied":
                copy_blob(source, target, blob, where="the restored store")
            else:
                verify_in(target, blob, "the object store")
        except FileNotFoundError as exc:
            raise BackupError(f"blob {blob.sm3}: not in the backup nor in the store") from exc
        except BlobMismatch as exc:
            raise BackupError(str(exc)) from exc
        report.blobs += 1

    latest = _checkpoint_fields(Checkpoint.objects.order_by("-size").first())
    if latest != manifest["checkpoint"]:
        raise BackupError(
            f"the latest checkpoint after restore is {latest}, the backup names {manifest['checkpoint']}"
        )
    report.checkpoint = latest
    return report
