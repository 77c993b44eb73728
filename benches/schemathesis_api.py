"""Schemathesis over the whole API, as anonymous, officer and administrator, on SQLite and PostgreSQL.

For each database: a fresh database (a temporary SQLite file; a PostgreSQL database
``bench_schemathesis`` created and dropped here), migrated, with the demo jurisdiction loaded
(``load_demo --entities 20``) so that the personas have cases, reviews and duties to act on. Then for
each persona, every operation of ``/api/openapi.json`` is fuzzed in-process (WSGI) with
schemathesis' positive and negative generation until at least ``--cases`` (default 5,000) requests
were made for that persona. A response of 500 or more is a failure; the report counts requests by
status and lists the first failures with their request.

    .venv/bin/python -m benches.schemathesis_api [--cases 5000] [--databases sqlite,postgres]
    .venv/bin/python -m benches.run schemathesis_api --save

Prints one JSON document; ``server_errors`` must be 0 for every database and persona.
Environment: ``SANXIANG_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_schemathesis"
PERSONAS = ("anonymous", "officer", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("schemathesis_api")
    group.add_argument("--cases", type=int, default=None, help="requests per persona (default 5000)")
    group.add_argument("--st-databases", default="sqlite,postgres", help="databases to fuzz")


def _postgres_url() -> tuple[str, str]:
    admin = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    return admin, urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def _fuzz(cases: int) -> dict:
    """Runs inside the child process, with DATABASE_URL and SANXIANG_VAR_DIR set to a fresh database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    import logging

    import schemathesis
    from django.core.management import call_command
    from schemathesis.generation import GenerationMode

    from sanxiang.accounts.models import ApiToken, User
    from sanxiang.wsgi import application

    logging.disable(logging.CRITICAL)  # the 500s are counted here, not printed
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--entities", "20", stdout=open(os.devnull, "w"))  # noqa: SIM115
    headers = {"anonymous": {}}
    for persona in ("officer", "admin"):
        _token, raw = ApiToken.issue(user=User.objects.get(username=persona), name="schemathesis")
        headers[persona] = {"Authorization": f"Bearer {raw}"}

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    report: dict = {"operations": len(operations), "personas": {}}
    for persona in PERSONAS:
        statuses: Counter[int] = Counter()
        failures: list[dict] = []
        started = time.perf_counter()
        rounds = 0
        while sum(statuses.values()) < cases and rounds < 20:
            rounds += 1
            per_operation = max(5, (cases - sum(statuses.values())) // (2 * len(operations)) + 1)
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    _fuzz_operation(operation, mode, headers[persona], per_operation, statuses, failures)
                _progress(report, persona, statuses, failures, started)
        _progress(report, persona, statuses, failures, started, done=True)
    return report


def _progress(
    report: dict, persona: str, statuses: Counter, failures: list, started: float, done=False
) -> None:
    """Keep the report current (and on disk, SANXIANG_BENCH_PROGRESS) so a long run can be followed."""
    report["personas"][persona] = {
        "requests": sum(statuses.values()),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(time.perf_counter() - started, 1),
        "complete": done,
        "failures": failures,
    }
    path = os.environ.get("SANXIANG_BENCH_PROGRESS")
    if path:
        Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1))


def _fuzz_operation(operation, mode, headers: dict, examples: int, statuses: Counter, failures: list) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable

    name = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers or None))
    def call(case) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        if response.status_code >= 500 and len(failures) < 25:
            failures.append(
                {
                    "operation": name,
                    "status": response.status_code,
                    "request": case.as_curl_command(headers=headers),
                    "body": response.text[:300],
                }
            )

    try:
        call()
    except Unsatisfiable:
        pass  # nothing to negate (no parameters, or only ones whose every value is valid)
    except Exception as exc:  # a generation error is reported, not fatal
        failures.append({"operation": name, "mode": str(mode), "error": repr(exc)[:300]})


def child() -> None:
    cases = int(os.environ["SANXIANG_BENCH_CASES"])
    print(json.dumps(_fuzz(cases), ensure_ascii=False))


def _run_on(url: str, cases: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-st-") as var:
        env = {
            **os.environ,
            "DATABASE_URL": url or f"sqlite:///{var}/bench.sqlite3",
            "SANXIANG_VAR_DIR": var,
            "SANXIANG_BENCH_CASES": str(cases),
            "SANXIANG_DB_CONN_MAX_AGE": "0",
            "SANXIANG_BAD_TOKEN_LIMIT": "100000",
            "SANXIANG_BENCH_PROGRESS": os.environ.get("SANXIANG_BENCH_PROGRESS_DIR", var)
            + f"/schemathesis-{'postgres' if url else 'sqlite'}.json",
        }
        proc = subprocess.run(
            [sys.executable, "-c", "import benches.schemathesis_api as m; m.child()"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            return {"error": proc.stderr[-3000:]}
        return json.loads(proc.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> dict:
    cases = getattr(args, "cases", None) or 5000
    databases = (getattr(args, "st_databases", None) or "sqlite,postgres").split(",")
    out: dict = {"cases_per_persona": cases}
    if "sqlite" in databases:
        out["sqlite"] = _run_on("", cases)
    if "postgres" in databases:
        import psycopg

        admin, url = _postgres_url()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
        try:
            out["postgres"] = _run_on(url, cases)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    out["server_errors"] = sum(
        p.get("server_errors", 0)
        for db in ("sqlite", "postgres")
        for p in (out.get(db, {}).get("personas") or {}).values()
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
