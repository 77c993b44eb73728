"""``sanxiang verify``: recompute the log, its blobs and checkpoints; exit 1 at the first discrepancy."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sanxiang.ledger.audit import verify_log


class Command(BaseCommand):
    help = "重新计算全部记录、存证文件和签名树头，发现第一处不一致即报告其记录序号并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--skip-blobs", action="store_true", help="do not re-hash blob files")

    def handle(self, *args, skip_blobs=False, **options):
        report = verify_log(check_blobs=not skip_blobs)
        rate = report.entries / report.seconds if report.seconds else 0
        summary = (
            f"{report.entries} entries, {report.checkpoints} checkpoints, {report.blobs_hashed} blobs "
            f"({report.blob_bytes} bytes) in {report.seconds:.2f}s ({rate:.0f} entries/s)"
        )
        if not report.ok:
            raise CommandError(
                f"VERIFY FAILED — {report.problem}\nchecked before it: {summary}", returncode=1
            )
        self.stdout.write(f"verified: {summary}")
