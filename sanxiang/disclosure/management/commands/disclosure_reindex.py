"""``sanxiang disclosure_reindex``: rebuild the public index from the publication records."""

from django.core.management.base import BaseCommand

from sanxiang.disclosure.selectors import public_index_rebuild


class Command(BaseCommand):
    help = "由公示记录重建公开索引（检索、详情页、导出所读的派生表）。"

    def handle(self, *args, **options):
        count = public_index_rebuild()
        self.stdout.write(f"公开索引: {count} 件")
