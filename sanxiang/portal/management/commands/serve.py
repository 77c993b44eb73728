"""``sanxiang serve``: the staff site, the portal and the API on one port."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the staff site (/staff/), the public portal (/) and the API (/api/)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        self.stdout.write(
            f"公示平台 http://{host}:{port}/   工作台 http://{host}:{port}/staff/   "
            f"API http://{host}:{port}/api/docs"
        )
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
