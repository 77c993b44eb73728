"""``sanxiang serve``: the staff site, the portal and the API on one port, with a task worker beside it.

- Embedded default: Django's threaded server (no reloader) and one ``sanxiang worker`` child, so one
  command gives a working platform: checkpoints, webhooks and deadline sweeps run without a second
  terminal.
- ``SANXIANG_PRODUCTION=true``: the static files are collected (WhiteNoise serves the compressed,
  content-hashed copies), then gunicorn runs ``sanxiang.wsgi`` with several worker processes, and the
  task worker runs beside it. Put a TLS-terminating reverse proxy in front (docs/deploy.md).

``--no-worker`` leaves the task worker to a separate ``sanxiang worker`` (e.g. on another machine).
The command stops both children when it is stopped (SIGTERM/SIGINT) or when either exits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def web_workers() -> int:
    """gunicorn's usual 2 × cores + 1, overridable with SANXIANG_WEB_WORKERS."""
    from sanxiang.env import env_int

    return max(2, env_int("SANXIANG_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1))


def gunicorn_argv(host: str, port: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "sanxiang.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
        # The reverse proxy on the same host sets X-Forwarded-Proto; trust only the loopback address.
        "--forwarded-allow-ips",
        os.environ.get("SANXIANG_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = "Serve the staff site (/staff/), the public portal (/) and the API (/api/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="do not start a background task worker")
        parser.add_argument(
            "--workers", type=int, default=None, help="gunicorn worker processes (production)"
        )

    def handle(self, *args, host: str, port: str, no_worker: bool, workers: int | None, **options) -> None:
        children: list[subprocess.Popen] = []
        if not no_worker:
            children.append(
                subprocess.Popen([sys.executable, "-m", "sanxiang", "worker", "--queue-name", "*"])
            )
        address = f"http://{host}:{port}/"
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
            count = workers or web_workers()
            self.stdout.write(
                f"生产模式：gunicorn {count} 个进程，监听 {host}:{port}（请经反向代理以 HTTPS 对外提供）"
            )
            self.stdout.write(f"公示平台 {address}   工作台 {address}staff/   API {address}api/docs")
            self.stdout.flush()
            children.append(subprocess.Popen(gunicorn_argv(host, port, count)))
            self._supervise(children)
            return
        try:
            from sanxiang.disclosure.search import tokenizer

            tokenizer()  # load jieba's dictionary now, not during the first public search
            self.stdout.write(f"公示平台 {address}   工作台 {address}staff/   API {address}api/docs")
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            self._stop(children)

    def _supervise(self, children: list[subprocess.Popen]) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            self._stop(children)
        failed = [
            child.returncode for child in children if child.returncode not in (0, -signal.SIGTERM, None)
        ]
        if failed and not stopping:
            sys.exit(1)

    @staticmethod
    def _stop(children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        # The web workers and the task worker are gone: sign a checkpoint over every entry they
        # appended, so that none is left uncovered (sanxiang.ledger.services.checkpoint_on_shutdown).
        from sanxiang.ledger.services import checkpoint_on_shutdown

        checkpoint_on_shutdown()
