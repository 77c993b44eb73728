"""``sanxiang blobs sweep``: remove leftovers of crashed or refused uploads and never-used blobs."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "存证文件维护: sweep 清理崩溃或被拒请求遗留的临时文件及从未被记录引用的文件（超过宽限期）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="remove leftovers older than the grace period (idempotent)")
        sweep.add_argument("--grace-hours", type=float, default=None, help="default: settings")

    def handle(self, *args, action: str, **options):
        if action == "sweep":
            from sanxiang.ledger.sweep import blob_sweep

            hours = options.get("grace_hours")
            report = blob_sweep(grace=dt.timedelta(hours=hours) if hours is not None else None)
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
