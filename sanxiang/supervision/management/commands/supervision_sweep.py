"""``sanxiang supervision-sweep``: recompute every alert and mail the day's digests (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "计算全部执法监督预警（幂等）并发送当日预警汇总邮件"

    def add_arguments(self, parser):
        parser.add_argument("--no-mail", action="store_true", help="只计算预警，不发送邮件")

    def handle(self, *args, no_mail: bool = False, **options):
        from sanxiang.supervision.alerts import alert_sweep
        from sanxiang.supervision.services import digest_send

        report = alert_sweep()
        self.stdout.write(
            f"预警：新增 {report.opened}，转红 {report.raised}，转黄 {report.lowered}，解除 {report.closed}，"
            f"未变 {report.unchanged}"
        )
        if not no_mail:
            sent = digest_send()
            self.stdout.write(f"预警汇总邮件：发送 {sent.sent}，今日已发 {sent.skipped}")
