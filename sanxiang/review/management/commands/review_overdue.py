from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "记录超过审核期限的法制审核（审核办法 第十一条），供负责人和监督人员查看。"

    def handle(self, *args, **options):
        from sanxiang.review.services import overdue_sweep

        self.stdout.write(f"超期提醒 {overdue_sweep()} 条")
