"""``sanxiang demo``: load the demo jurisdiction (idempotent) and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from sanxiang.demo import DEMO_PASSWORD, steps
from sanxiang.demo.registry import DEMO_LOGINS, build_registry


class Command(BaseCommand):
    help = "Load the deterministic demo jurisdiction (松原市宁江区) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=1200, help="market entities to generate")

    def handle(self, *args, entities, **options):
        if settings.PRODUCTION:
            # The demo's accounts and their password are published: never in a production database.
            raise CommandError(
                "演示数据不得载入生产环境（SANXIANG_PRODUCTION=true）：演示账号及其密码是公开的"
            )
        # Each app may contribute demo data in its own `demo` module, registered with register_step.
        autodiscover_modules("demo")
        today = timezone.localdate()
        build_registry(today=today, entities=entities, out=self.stdout.write)
        for name, step in steps():
            self.stdout.write(f"演示数据: {name}")
            step(today=today, out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）:")
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {label}")
        self.stdout.write("启动服务：sanxiang serve（或 make demo），地址在启动时显示")
