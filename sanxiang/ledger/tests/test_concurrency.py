"""Many writers at once — threads and separate processes — make one log without gaps or duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path, url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SANXIANG_VAR_DIR": str(tmp_path),
        "SANXIANG_BLOB_DIR": str(tmp_path / "blobs"),
    }


@pytest.fixture
def database_url(ledger_live_db, tmp_path):
    """The database the child processes write to: the live test database on PostgreSQL; a migrated
    SQLite file otherwise (the SQLite test database lives in this process's memory)."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(tmp_path, url), check=True
    )
    return url


def _writer(tmp_path, url, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "sanxiang.ledger.tests.writer", *args],
        cwd=ROOT,
        env=_env(tmp_path, url),
        stderr=subprocess.PIPE,
        text=True,
    )


def _check(tmp_path, url):
    out = subprocess.run(
        [sys.executable, "-m", "sanxiang.ledger.tests.writer", "check"],
        cwd=ROOT,
        env=_env(tmp_path, url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_threads_and_processes_append_without_gaps_or_duplicates(database_url, tmp_path):
    processes = [_writer(tmp_path, database_url, "write", f"p{n}", "3", "15") for n in range(3)]
    for p in processes:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    result = _check(tmp_path, database_url)
    assert result["seqs"] == list(range(3 * 3 * 15))
    assert result["ok"], result["problem"]
