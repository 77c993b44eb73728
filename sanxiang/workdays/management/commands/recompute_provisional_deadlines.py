"""``sanxiang recompute-provisional-deadlines``: the deadline sweep.

Without ``--year``: every stored deadline still flagged provisional. With ``--year``: every stored
deadline whose period touches that year. Idempotent; each change is recorded as a
DeadlineRecomputation (old due, new due, versions, when).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sanxiang.workdays.services import recompute_deadlines


class Command(BaseCommand):
    help = "按当前工作日历重算已保存的暂定期限（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", dest="years", help="deadlines touching this year"
        )
        parser.add_argument("--reason", default="", help="recorded with every change")

    def handle(self, *args, years=None, reason="", **options):
        report = recompute_deadlines(years=years, reason=reason or "recompute_provisional_deadlines")
        self.stdout.write(
            f"examined {report.examined} stored deadlines: {report.changed} changed, {report.moved} due dates moved"
        )
