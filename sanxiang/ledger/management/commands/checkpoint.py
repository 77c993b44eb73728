"""``sanxiang checkpoint``: sign the current tree head if entries arrived since the last one.

Idempotent. ``--every 60`` repeats it forever (a sidecar for deployments without a task worker), and
also abandons uploads idle for a day. ``--out FILE`` also writes the latest checkpoint (body and
signature, as the API serves it) to a file, for a verifier to keep outside the database and pass to
``sanxiang verify --checkpoint FILE``. ``--tiles`` writes any tile missing from the tile directory."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from sanxiang.ledger import blobs, services


class Command(BaseCommand):
    help = "签发签名树头（如有新记录）；--every N 每 N 秒执行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
        parser.add_argument("--out", type=Path, help="also write the latest checkpoint to this file (JSON)")
        parser.add_argument(
            "--tiles", action="store_true", help="write every tile missing from the tile directory"
        )

    def handle(self, *args, every=0, out=None, tiles=False, **options):
        while True:
            checkpoint = services.checkpoint_create()
            if tiles and checkpoint is not None:
                self.stdout.write(f"{services.publish_tiles(0, checkpoint.size)} tiles written")
            if out is not None and checkpoint is not None:
                out.write_text(
                    json.dumps({"body": checkpoint.body, "signature": checkpoint.signature}) + "\n"
                )
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
