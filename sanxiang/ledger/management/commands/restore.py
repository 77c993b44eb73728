"""``sanxiang restore DIR``: rebuild a server from a backup; the last checkpoint must match."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "恢复: 由备份重建数据库和存证文件，逐一核对哈希值，并核对最新签名树头与备份一致。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        from sanxiang.ledger.backup import BackupError, backup_restore

        try:
            report = backup_restore(directory)
        except BackupError as exc:
            raise CommandError(f"RESTORE FAILED — {exc}") from exc
        self.stdout.write(f"restored from {directory}: {report.summary()}; run `sanxiang verify` next")
