"""``sanxiang serve``: the staff site, the portal and the API on one port, with a task worker.

In the embedded default one command must give a working platform, so ``serve`` also starts
``sanxiang worker`` (django-tasks, database backend) as a child process: checkpoints, webhooks and
deadline sweeps run without a second terminal. Production runs workers separately (``--no-worker``).
"""

import atexit
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the staff site (/staff/), the public portal (/) and the API (/api/)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="do not start a background task worker")

    def handle(self, *args, host, port, no_worker, **options):
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "sanxiang", "worker", "--queue-name", "*"])
            atexit.register(worker.terminate)
        from sanxiang.disclosure.search import tokenizer

        tokenizer()  # load jieba's dictionary now, not during the first public search
        self.stdout.write(
            f"公示平台 http://{host}:{port}/   工作台 http://{host}:{port}/staff/   API http://{host}:{port}/api/docs"
        )
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
