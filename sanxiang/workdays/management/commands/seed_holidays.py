"""``sanxiang seed-holidays``: load the years the installed chinesecalendar package covers.

Idempotent: a year whose data is unchanged records nothing; a year an administrator published by
hand is kept as entered.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sanxiang.workdays import seeding
from sanxiang.workdays.services import seed_from_chinesecalendar


def _years(values: list[int]) -> str:
    return ", ".join(map(str, values)) or "—"


class Command(BaseCommand):
    help = "从 chinesecalendar 数据包导入法定节假日与调休安排（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", dest="years", help="only this year (repeatable)"
        )

    def handle(self, *args, years=None, **options):
        report = seed_from_chinesecalendar(years=years)
        covered = sorted(seeding.chinesecalendar_years())
        self.stdout.write(f"chinesecalendar {seeding.package_version()} covers {covered[0]}–{covered[-1]}")
        self.stdout.write(f"created:   {_years(report.created)}")
        self.stdout.write(f"updated:   {_years(report.updated)}")
        self.stdout.write(f"unchanged: {_years(report.unchanged)}")
        if report.kept_manual:
            self.stdout.write(f"kept as entered by an administrator: {_years(report.kept_manual)}")
