"""``sanxiang assist-index``: rebuild the similar-case index from every final decision."""

from django.core.management.base import BaseCommand

from sanxiang.assist import index


class Command(BaseCommand):
    help = "重建相似案例索引"

    def handle(self, *args, **options):
        self.stdout.write(f"已索引 {index.rebuild_all()} 件决定")
