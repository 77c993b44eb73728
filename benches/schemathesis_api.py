"""Schemathesis over the whole API, as anonymous, officer and admin (and more personas), on SQLite and PostgreSQL.

Two phases, so that the run is reproducible and its cost goes into requests, not generation:

1. **Generate** (once, seeded: ``--st-seed``): every operation of ``/api/openapi.json`` gets cases from
   schemathesis' positive and negative generation (hypothesis, generate phase only) until at least
   ``--cases`` (default 5,000) cases exist. The cases are kept in a pickle file; the same seed gives the
   same cases (kept under ``var/bench-schemathesis/`` and reused by the next run with the same seed,
   count and API code).
2. **Replay** per database (a temporary SQLite file; a PostgreSQL database ``bench_schemathesis``
   created and dropped here; both in parallel), migrated and loaded with the demo jurisdiction
   (``load_demo --entities 20``): every case is sent in-process (WSGI) once per persona — anonymous
   and the demo accounts officer and admin by default (``--st-personas`` adds reviewer, head,
   disclosure, supervisor), each with its own bearer token — and every response is checked with schemathesis' checks (not_a_server_error,
   status_code_conformance, content_type_conformance, response_headers_conformance,
   response_schema_conformance, negative_data_rejection).

    .venv/bin/python -m benches.schemathesis_api [--cases 5000] [--st-databases sqlite,postgres]
        [--st-personas anonymous,officer,...] [--st-seed 20261201]
    .venv/bin/python -m benches.run schemathesis_api --save

Prints one JSON document: requests and statuses per database and persona, ``server_errors`` (must be
0) and failures by check, each with the first failing requests (a curl command to reproduce it).
Environment: ``SANXIANG_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres);
``SANXIANG_BENCH_PROGRESS_DIR`` (progress JSON per database, updated as the replay goes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_schemathesis"
PERSONAS = (
    "anonymous",
    "officer",
    "admin",
)  # issue 10: "anonymous, officer, admin; at least 5,000 cases each"
OTHER_PERSONAS = ("reviewer", "head", "disclosure", "supervisor")  # --st-personas to add them
SEED = 20261201
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)
KEPT_PER_CHECK = 12  # failing requests kept per check (the counts are complete)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("schemathesis_api")
    group.add_argument("--cases", type=int, default=None, help="requests per persona (default 5000)")
    group.add_argument("--st-databases", default="sqlite,postgres", help="databases to fuzz")
    group.add_argument(
        "--st-personas",
        default=",".join(PERSONAS),
        help="personas to replay as (also: " + ",".join(OTHER_PERSONAS) + ")",
    )
    group.add_argument("--st-seed", type=int, default=SEED, help="hypothesis seed of the generation")


def _postgres_url() -> tuple[str, str]:
    admin = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    return admin, urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.CRITICAL)  # the 500s are counted here, not printed


def _schema():
    import schemathesis

    from sanxiang.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


# -- phase 1: generation -------------------------------------------------------------------------


def _draw(operation, mode, examples: int, seed: int) -> list[dict]:
    """Up to ``examples`` cases of one operation in one generation mode, deterministic for a seed."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import Unsatisfiable
    from schemathesis.core import NotSet

    drawn: list[dict] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def collect(case) -> None:
        drawn.append(
            {
                "label": f"{operation.method.upper()} {operation.path}",
                "path_parameters": case.path_parameters,
                "headers": dict(case.headers or {}),
                "cookies": case.cookies,
                "query": case.query,
                "has_body": not isinstance(case.body, NotSet),
                "body": None if isinstance(case.body, NotSet) else case.body,
                "media_type": case.media_type,
                "multipart_content_types": case.multipart_content_types,
                "meta": case._meta,
            }
        )

    with contextlib.suppress(Unsatisfiable):  # nothing to negate (no parameters, or all valid)
        collect()
    return drawn


def generate(cases: int, seed: int, out: Path) -> dict:
    """Phase 1 in this process: at least ``cases`` cases over every operation, pickled to ``out``."""
    from schemathesis.generation import GenerationMode

    _setup_django()
    operations = [result.ok() for result in _schema().get_all_operations()]
    started = time.perf_counter()
    drawn: list[dict] = []
    exhausted: set[tuple[str, str]] = set()
    rounds = 0
    while len(drawn) < cases and rounds < 6:
        live = 2 * len(operations) - len(exhausted)
        if live <= 0:
            break
        per = max(3, (cases - len(drawn)) // live + 1)
        for index, operation in enumerate(operations):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                key = (operation.label, str(mode))
                if key in exhausted:
                    continue
                got = _draw(operation, mode, per, seed + 1000 * rounds + index)
                if len(got) < per:  # hypothesis found no more distinct inputs: don't ask again
                    exhausted.add(key)
                drawn.extend(got)
        rounds += 1
    with out.open("wb") as fh:
        pickle.dump(drawn, fh)
    return {
        "operations": len(operations),
        "cases": len(drawn),
        "rounds": rounds,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 1),
        "by_mode": dict(Counter(str(c["meta"].generation.mode) for c in drawn if c["meta"])),
    }


# -- phase 2: replay -----------------------------------------------------------------------------


def _checks():
    import schemathesis.checks as checks_module
    from schemathesis.specs.openapi import checks as openapi_checks

    found = []
    for name in CHECK_NAMES:
        check = getattr(openapi_checks, name, None) or getattr(checks_module, name)
        found.append((name, check))
    return found


def replay(cases_file: Path, personas: list[str]) -> dict:
    """Phase 2 in this process (DATABASE_URL and SANXIANG_VAR_DIR point at a fresh database)."""
    from django.core.management import call_command
    from schemathesis.checks import FailureGroup
    from schemathesis.core import NOT_SET

    setup_started = time.perf_counter()
    _setup_django()
    from sanxiang.accounts.models import ApiToken, User

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--entities", "20", stdout=open(os.devnull, "w"))  # noqa: SIM115
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for persona in personas:
        if persona != "anonymous":
            _token, raw = ApiToken.issue(user=User.objects.get(username=persona), name="schemathesis")
            headers[persona] = {"Authorization": f"Bearer {raw}"}
    operations = {op.label: op for op in (r.ok() for r in _schema().get_all_operations())}
    with cases_file.open("rb") as fh:
        drawn = pickle.load(fh)  # noqa: S301 (our own file, written by generate())
    checks = _checks()
    check_functions = [check for _name, check in checks]
    report: dict[str, Any] = {"operations": len(operations), "cases": len(drawn), "personas": {}}
    state = {
        p: {"statuses": Counter(), "checks": Counter(), "examples": {}, "started": time.perf_counter()}
        for p in personas
    }
    report["setup_seconds"] = round(time.perf_counter() - setup_started, 1)
    for n, item in enumerate(drawn, 1):
        operation = operations[item["label"]]
        for persona in personas:
            case = operation.Case(
                path_parameters=item["path_parameters"],
                headers={**item["headers"], **headers[persona]},
                cookies=item["cookies"],
                query=item["query"],
                body=item["body"] if item["has_body"] else NOT_SET,
                media_type=item["media_type"],
                multipart_content_types=item["multipart_content_types"],
                _meta=item["meta"],
            )
            s = state[persona]
            try:
                response = case.call()
            except Exception as exc:  # a transport error is a finding too
                s["checks"]["transport_error"] += 1
                s["examples"].setdefault("transport_error", []).append(
                    {"operation": item["label"], "error": repr(exc)[:300]}
                )
                continue
            s["statuses"][response.status_code] += 1
            try:
                case.validate_response(response, checks=check_functions)
            except FailureGroup as group:
                for failure in group.exceptions:
                    name = _check_of(failure)
                    s["checks"][name] += 1
                    kept = s["examples"].setdefault(name, [])
                    if len(kept) < KEPT_PER_CHECK:
                        kept.append(
                            {
                                "operation": item["label"],
                                "status": response.status_code,
                                "title": getattr(failure, "title", ""),
                                "message": str(getattr(failure, "message", failure))[:400],
                                "request": case.as_curl_command(),
                                "body": response.text[:300],
                            }
                        )
            except AssertionError as exc:
                s["checks"]["assertion"] += 1
                s["examples"].setdefault("assertion", []).append(
                    {"operation": item["label"], "error": repr(exc)[:300]}
                )
        if n % 50 == 0 or n == len(drawn):
            _progress(report, state, done=n == len(drawn))
    return report


def _check_of(failure: Exception) -> str:
    """The name of the check a failure comes from (schemathesis' Failure classes name their check)."""
    title = getattr(failure, "title", "") or ""
    cls = type(failure).__name__
    table = {
        "ServerError": "not_a_server_error",
        "UndefinedStatusCode": "status_code_conformance",
        "UndefinedContentType": "content_type_conformance",
        "MalformedMediaType": "content_type_conformance",
        "MissingContentType": "content_type_conformance",
        "MissingHeaders": "response_headers_conformance",
        "JsonSchemaError": "response_headers_conformance",
        "MalformedJson": "response_schema_conformance",
        "AcceptedNegativeData": "negative_data_rejection",
    }
    if cls == "JsonSchemaError" and "header" not in title.lower():
        return "response_schema_conformance"
    return table.get(cls, cls or title)


def _progress(report: dict, state: dict, done: bool = False) -> None:
    for persona, s in state.items():
        statuses = s["statuses"]
        report["personas"][persona] = {
            "requests": sum(statuses.values()),
            "server_errors": sum(n for status, n in statuses.items() if status >= 500),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "failures_by_check": dict(sorted(s["checks"].items())),
            "seconds": round(time.perf_counter() - s["started"], 1),
            "complete": done,
            "failures": s["examples"],
        }
    path = os.environ.get("SANXIANG_BENCH_PROGRESS")
    if path:
        Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))


# -- driver --------------------------------------------------------------------------------------


def child() -> None:
    step = os.environ["SANXIANG_BENCH_STEP"]
    cases_file = Path(os.environ["SANXIANG_BENCH_CASES_FILE"])
    if step == "generate":
        result = generate(
            int(os.environ["SANXIANG_BENCH_CASES"]), int(os.environ["SANXIANG_BENCH_SEED"]), cases_file
        )
    else:
        result = replay(cases_file, os.environ["SANXIANG_BENCH_PERSONAS"].split(","))
    print(json.dumps(result, ensure_ascii=False, default=str))


def _child_env(var: str, url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url or f"sqlite:///{var}/bench.sqlite3",
        "SANXIANG_VAR_DIR": var,
        "SANXIANG_DB_CONN_MAX_AGE": "600",  # one connection for the whole replay (in-process, one thread)
        "SANXIANG_BAD_TOKEN_LIMIT": "1000000",
        **extra,
    }


def _cases_file(cases: int, seed: int) -> Path:
    """Where generated cases are kept for reuse: same seed, count and API document, same cases."""
    import hashlib

    schema_hash = hashlib.sha256()
    sources = [*(ROOT / "sanxiang").rglob("api.py"), *(ROOT / "sanxiang" / "api").rglob("*.py")]
    for path in sorted(p for p in sources if "tests" not in p.parts):
        schema_hash.update(path.read_bytes())
    folder = ROOT / "var" / "bench-schemathesis"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"cases-{seed}-{cases}-{schema_hash.hexdigest()[:12]}.pickle"


def _start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import benches.schemathesis_api as m; m.child()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate()
    if proc.returncode != 0:
        return {"error": err[-3000:]}
    return json.loads(out.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> dict:
    cases = getattr(args, "cases", None) or 5000
    databases = (getattr(args, "st_databases", None) or "sqlite,postgres").split(",")
    personas = (getattr(args, "st_personas", None) or ",".join(PERSONAS)).split(",")
    seed = getattr(args, "st_seed", None) or SEED
    progress_dir = os.environ.get("SANXIANG_BENCH_PROGRESS_DIR")
    out: dict[str, Any] = {"cases_per_persona": cases, "personas": personas, "seed": seed}
    with tempfile.TemporaryDirectory(prefix="bench-st-") as tmp:
        cases_file = _cases_file(cases, seed)
        if cases_file.exists() and cases_file.with_suffix(".json").exists():
            out["generation"] = {**json.loads(cases_file.with_suffix(".json").read_text()), "reused": True}
        else:
            gen_var = Path(tmp) / "generate"
            gen_var.mkdir()
            env = _child_env(
                str(gen_var),
                "",
                SANXIANG_BENCH_STEP="generate",
                SANXIANG_BENCH_CASES=str(cases),
                SANXIANG_BENCH_SEED=str(seed),
                SANXIANG_BENCH_CASES_FILE=str(cases_file),
            )
            out["generation"] = _finish(_start(env))
            if "error" in out["generation"]:
                return out
            cases_file.with_suffix(".json").write_text(json.dumps(out["generation"]))
        postgres = None
        if "postgres" in databases:
            import psycopg

            admin, url = _postgres_url()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {DB_NAME}")
            postgres = url
        running = {}
        try:
            for db in databases:
                var = Path(tmp) / db
                var.mkdir()
                progress = f"{progress_dir or var}/schemathesis-{db}.json"
                env = _child_env(
                    str(var),
                    postgres if db == "postgres" else "",
                    SANXIANG_BENCH_STEP="replay",
                    SANXIANG_BENCH_PERSONAS=",".join(personas),
                    SANXIANG_BENCH_CASES_FILE=str(cases_file),
                    SANXIANG_BENCH_PROGRESS=progress,
                )
                running[db] = _start(env)
            for db, proc in running.items():
                out[db] = _finish(proc)
        finally:
            if postgres:
                import psycopg

                admin, _url = _postgres_url()
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    rows = [p for db in databases for p in (out.get(db, {}).get("personas") or {}).values()]
    out["server_errors"] = sum(p.get("server_errors", 0) for p in rows)
    by_check: Counter[str] = Counter()
    for p in rows:
        by_check.update(p.get("failures_by_check", {}))
    out["failures_by_check"] = dict(sorted(by_check.items()))
    out["min_requests_per_persona"] = min((p.get("requests", 0) for p in rows), default=0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
