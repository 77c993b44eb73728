"""``sanxiang demo``: load the demo jurisdiction (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from sanxiang.demo import DEMO_PASSWORD, steps
from sanxiang.demo.registry import DEMO_LOGINS, build_registry


class Command(BaseCommand):
    help = "Load the deterministic demo jurisdiction (松原市宁江区) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=1200, help="market entities to generate")

    def handle(self, *args, entities, **options):
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
        self.stdout.write(
            "公示平台 http://127.0.0.1:8000/   工作台 http://127.0.0.1:8000/staff/   API 文档 /api/docs"
        )
