"""``sanxiang backup DIR``: a consistent database dump plus the blobs (or their manifest)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "备份: 一致的数据库快照和存证文件清单（本地存储的文件一并复制，对象存储中的文件登记引用）。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--copy-blobs",
            action="store_true",
            help="copy blobs out of object storage too (default: reference)",
        )

    def handle(self, *args, directory: Path, copy_blobs: bool = False, **options):
        from sanxiang.ledger.backup import BackupError, backup_write
        from sanxiang.ledger.transfer import BlobMismatch

        try:
            report = backup_write(directory, copy_object_blobs=copy_blobs)
        except (BackupError, BlobMismatch) as exc:
            raise CommandError(f"BACKUP FAILED — {exc}") from exc
        self.stdout.write(f"backup in {directory}: {report.summary()}")
