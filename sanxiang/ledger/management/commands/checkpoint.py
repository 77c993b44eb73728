"""``sanxiang checkpoint``: sign the current tree head if entries arrived since the last one.

Idempotent. ``--every 60`` repeats it forever (a sidecar for deployments without a task worker), and
also abandons uploads idle for a day."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from sanxiang.ledger import blobs, services


class Command(BaseCommand):
    help = "签发签名树头（如有新记录）；--every N 每 N 秒执行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every=0, **options):
        while True:
            checkpoint = services.checkpoint_create()
            if checkpoint is None:
                self.stdout.write("log is empty: nothing to sign")
            else:
                self.stdout.write(
                    f"checkpoint {checkpoint.size} {checkpoint.root} {checkpoint.created_at.isoformat()}"
                )
            if not every:
                return
            blobs.upload_purge()
            time.sleep(every)
