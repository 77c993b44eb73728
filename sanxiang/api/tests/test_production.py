"""Issue 10, findings 16 and 17: production refuses weak settings and the demo, and serves for real.

Each check runs the real command in a child process with the production environment, as an
operator would: ``import sanxiang.settings`` must fail on a weak setting, ``manage.py check --deploy``
must be clean, ``sanxiang demo`` must refuse, and ``sanxiang serve`` must run gunicorn with several
workers and the task worker beside it.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sanxiang.ledger.signing import generate_key
from sanxiang.ledger.testing import _ledger_triggers_restored, ledger_live_db  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = secrets.token_urlsafe(50)


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "sm2_key"
    path.write_text(f"{generate_key().private:064x}\n")
    return path


def production_env(tmp_path: Path, key_file: Path, **overrides: str) -> dict[str, str]:
    # An operator's shell has none of the test run's settings (nor DJANGO_ALLOW_ASYNC_UNSAFE, which the
    # browser fixtures set in this process and `check --deploy` rightly warns about).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "SANXIANG_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
            "SANXIANG_PRODUCTION": "true",
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sanxiang",
            "ALLOWED_HOSTS": "zhifa.example.gov.cn",
            "SANXIANG_LEDGER_KEY_FILE": str(key_file),
            "SANXIANG_VAR_DIR": str(tmp_path / "var"),
        }
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def settings_load(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", "import sanxiang.settings"], env)


def test_10_16_production_settings_load_when_strong(tmp_path, key_file):
    assert settings_load(production_env(tmp_path, key_file)).returncode == 0


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"SECRET_KEY": "short-secret"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"DATABASE_URL": "sqlite:///var/prod.sqlite3"}, "DATABASE_URL"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
)
def test_10_16_production_refuses_a_weak_setting(tmp_path, key_file, override, named):
    result = settings_load(production_env(tmp_path, key_file, **override))
    assert result.returncode != 0
    assert "ConfigError" in result.stderr and named in result.stderr


def test_10_16_production_refuses_a_missing_ledger_key_and_generates_none(tmp_path):
    missing = tmp_path / "ledger" / "sm2_key"
    result = settings_load(production_env(tmp_path, missing))
    assert result.returncode != 0 and "SANXIANG_LEDGER_KEY_FILE" in result.stderr
    assert not missing.exists()
    unset = production_env(tmp_path, missing)
    del unset["SANXIANG_LEDGER_KEY_FILE"]
    result = settings_load(unset)
    assert result.returncode != 0 and "SANXIANG_LEDGER_KEY_FILE" in result.stderr
    assert not (tmp_path / "var" / "ledger" / "sm2_key").exists()


def test_10_16_the_demo_refuses_to_load_into_production(tmp_path, key_file):
    result = run([sys.executable, "-m", "sanxiang", "demo"], production_env(tmp_path, key_file))
    assert result.returncode != 0
    assert "演示数据不得载入生产环境" in result.stderr


def test_10_17_check_deploy_is_clean_in_production(tmp_path, key_file):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, key_file),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _children(pid: int) -> list[str]:
    """Command lines of every descendant of ``pid`` (from /proc)."""
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                if ppid == parent:
                    found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
                    frontier.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="production refuses SQLite: this runs in the PostgreSQL pass of make test",
)
@pytest.mark.usefixtures("ledger_live_db")
def test_10_17_production_serve_runs_gunicorn_workers_and_the_task_worker(tmp_path, key_file):
    # The server, its workers and its task worker commit ledger entries (checkpoints, the one signed at
    # shutdown) to the test database: ledger_live_db empties it afterwards despite the append-only
    # triggers, so that no entry reaches the next tests (the ledger's own count them).
    db = django_settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    port = 18000 + os.getpid() % 1000
    env = production_env(tmp_path, key_file, DATABASE_URL=url, SANXIANG_WEB_WORKERS="3")
    server = subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/procedures/",
            headers={"Host": "zhifa.example.gov.cn", "X-Forwarded-Proto": "https"},
        )
        deadline, response = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = urllib.request.urlopen(request, timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        assert response is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert response.status == 200
        headers = response.headers
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "gunicorn" in headers.get("Server", "")
        # a static file is served by WhiteNoise from the collected, content-hashed copy
        static = urllib.request.Request(
            f"http://127.0.0.1:{port}/static/sanxiang/site.css",
            headers={"Host": "zhifa.example.gov.cn", "X-Forwarded-Proto": "https"},
        )
        assert urllib.request.urlopen(static, timeout=5).status == 200  # noqa: S310
        assert (tmp_path / "var" / "static" / "staticfiles.json").exists()
        children = _children(server.pid)
        assert sum("gunicorn" in c for c in children) >= 4  # the arbiter and its 3 workers
        assert any("worker" in c and "gunicorn" not in c for c in children)  # the task worker
        # plain HTTP (no X-Forwarded-Proto from the proxy) is redirected to HTTPS
        plain = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/procedures/", headers={"Host": "zhifa.example.gov.cn"}
        )

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(plain, timeout=5)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://zhifa.example.gov.cn/")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert _children(server.pid) == []
