"""``sanxiang disclosure_sweep [--every SECONDS]``: the periodic disclosure sweep."""

import time

from django.core.management.base import BaseCommand

from sanxiang.disclosure.services import disclosure_sweep


class Command(BaseCommand):
    help = "撤下公开期满的决定（公示办法 第二十八条）、到期未撤下的决定，并重发到期的推送。"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every, **options):
        while True:
            report = disclosure_sweep()
            self.stdout.write(
                f"撤下（期满）{len(report.withdrawn_retention)} 件；撤下（变更撤销）{len(report.withdrawn_orders)} 件；"
                f"待重发推送 {report.deliveries_due} 件"
            )
            if not every:
                return
            time.sleep(every)
