"""``sanxiang supervision-sweep``: recompute every alert, update the decision tallies and mail the day's
digests (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "计算全部执法监督预警、更新执法决定汇总（幂等）并发送当日预警汇总邮件"

    def add_arguments(self, parser):
        parser.add_argument("--no-mail", action="store_true", help="只计算预警，不发送邮件")

    def handle(self, *args, no_mail: bool = False, **options):
        from sanxiang.supervision.alerts import alert_sweep
        from sanxiang.supervision.services import digest_send
        from sanxiang.supervision.tallies import tally_sweep

        report = alert_sweep()
        self.stdout.write(
            f"预警：新增 {report.opened}，转红 {report.raised}，转黄 {report.lowered}，解除 {report.closed}，"
            f"未变 {report.unchanged}"
        )
        tallies = tally_sweep()
        self.stdout.write(
            f"执法决定汇总：至决定序号 {tallies.through}，更新 {tallies.days} 日、{tallies.rows} 行"
        )
        if not no_mail:
            sent = digest_send()
            self.stdout.write(f"预警汇总邮件：发送 {sent.sent}，今日已发 {sent.skipped}")
