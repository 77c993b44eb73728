"""``sanxiang blobs sweep``: remove leftovers of crashed or refused uploads and never-used blobs.
``sanxiang blobs migrate --to s3``: copy every blob to another store, verifying every hash."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "存证文件维护: sweep 清理崩溃或被拒请求遗留的临时文件及从未被记录引用的文件（超过宽限期）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="remove leftovers older than the grace period (idempotent)")
        sweep.add_argument("--grace-hours", type=float, default=None, help="default: settings")
        migrate = sub.add_parser("migrate", help="copy every blob to another store, verifying each hash")
        migrate.add_argument("--to", required=True, choices=["local", "s3"])
        migrate.add_argument("--from", dest="source", choices=["local", "s3"], default=None)

    def handle(self, *args, action: str, **options):
        if action == "sweep":
            from sanxiang.ledger.sweep import blob_sweep

            hours = options.get("grace_hours")
            report = blob_sweep(grace=dt.timedelta(hours=hours) if hours is not None else None)
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif action == "migrate":
            self._migrate(options["source"] or settings.SANXIANG_BLOB_STORE, options["to"])

    def _migrate(self, source_name: str, target_name: str) -> None:
        from sanxiang.ledger.storage import storage_named
        from sanxiang.ledger.transfer import BlobMismatch, copy_all, live_blobs

        if source_name == target_name:
            raise CommandError("--from and --to name the same store")
        source, target = storage_named(source_name), storage_named(target_name)
        try:
            report = copy_all(source, target, live_blobs(), where=target_name)
        except BlobMismatch as exc:
            raise CommandError(f"MIGRATION STOPPED — {exc}") from exc
        self.stdout.write(f"{source_name} → {target_name}: {report.summary()}")
        if report.missing:
            raise CommandError(
                f"{len(report.missing)} blobs are in neither store: {', '.join(report.missing[:10])}"
            )
        self.stdout.write(f"every blob is in {target_name}; set SANXIANG_BLOB_STORE={target_name} to use it")
