"""Benchmark the ledger log: appends (single and batched) beside the raw INSERT rate of the same
database in the same run, inclusion/consistency proof latency, and full verification rate.

For each database a fresh one is made (a temporary SQLite file; PostgreSQL database
``h_ledger_bench``, dropped afterwards), migrated, and measured in a subprocess:

- ``raw_insert_rows_per_s``: ``executemany`` INSERT of rows shaped like ledger entries (bigint key,
  ~300-byte text body, 32-byte hash) into a bare table, one transaction — the database's own ceiling;
- ``append_single_per_s``: ``record()`` with one transaction (and commit) per entry;
- ``append_batched_per_s``: ``record_many()`` in batches of 1,000 (one lock, one tree update, one commit
  per batch; on PostgreSQL entries and nodes written with COPY);
- ``inclusion_proof_ms``: p50/p95 of ``inclusion_proof(seq, size)`` for random entries in the full log;
- ``consistency_proof_ms``: p50/p95 between random sizes;
- ``read_sm3_entries_per_s``: the baseline for verification, in the same run — stream the same rows
  (``SELECT seq, body, leaf_hash … ORDER BY seq``, server-side cursor) and hash each body with SM3 as a
  leaf, nothing else;
- ``verify_entries_per_s``: ``verify_log()`` over the whole log (blobs excluded: none are recorded;
  ``verify_processes`` processes, one per core for a log of 4 chunks or more), and ``verify_vs_read_sm3``
  the ratio of the two; ``*_per_cpu_s`` the same rates per CPU second used (all processes), which a
  busy shared machine disturbs less than the wall-clock rates;
- ``raw_copy_rows_per_s`` (PostgreSQL): the same rows by COPY, and ``batched_vs_raw_copy``;
- ``batched_vs_raw_insert``: ``append_batched_per_s`` ÷ ``raw_insert_rows_per_s`` (one append writes
  ``rows_per_append`` = 1,000 entries, plus their Merkle nodes).

``--rows`` (``SANXIANG_BENCH_ROWS``) sets the log size (default 200,000).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = 200_000
POSTGRES_SERVER = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
POSTGRES_DATABASE = "h_ledger_bench"


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))], 3)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (verify's workers): on a shared machine
    the wall-clock rates depend on what else runs, these less."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(rows: int) -> dict:
    """Run every measurement on the database Django is connected to (migrated, empty)."""
    from django.db import connection, transaction

    from sanxiang.ledger import audit, services

    payload = {"title": "某某商贸有限公司涉嫌无照经营案 现场检查", "officers": ["执法员1", "执法员2"], "n": 0}
    result: dict = {"vendor": connection.vendor, "rows": rows}

    # raw INSERT ceiling of this database, rows shaped like entries
    body = "x" * 300
    with connection.cursor() as cursor:
        blob_type = "bytea" if connection.vendor == "postgresql" else "blob"
        cursor.execute(f"CREATE TABLE bench_raw (seq bigint PRIMARY KEY, body text, leaf {blob_type})")
    raw_rows = min(rows, 200_000)
    data = [(i, body, os.urandom(32)) for i in range(raw_rows)]
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_raw (seq, body, leaf) VALUES (%s, %s, %s)", data)
    result["raw_insert_rows_per_s"] = round(raw_rows / (time.perf_counter() - t0))
    if connection.vendor == "postgresql":  # the same rows by COPY, as batched appends write them there
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_raw_copy (seq bigint PRIMARY KEY, body text, leaf bytea)")
        t0 = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY bench_raw_copy (seq, body, leaf) FROM STDIN") as copy,
        ):
            for row in data:
                copy.write_row(row)
        result["raw_copy_rows_per_s"] = round(raw_rows / (time.perf_counter() - t0))

    single = min(2_000, rows // 4)
    t0 = time.perf_counter()
    for i in range(single):
        services.record(kind="bench.single", subject=("bench.case", str(i)), actor=None, payload=payload)
    result["append_single_per_s"] = round(single / (time.perf_counter() - t0))

    batch = 1_000
    remaining = rows - single
    t0 = time.perf_counter()
    while remaining > 0:
        n = min(batch, remaining)
        services.record_many(
            [
                {
                    "kind": "bench.batched",
                    "subject": ("bench.case", str(i)),
                    "actor": None,
                    "payload": payload,
                }
                for i in range(n)
            ]
        )
        remaining -= n
    result["append_batched_per_s"] = round((rows - single) / (time.perf_counter() - t0))

    size = services.log_size()
    rng = random.Random(20260301)
    times = []
    for _ in range(min(2_000, rows)):
        seq = rng.randrange(size)
        t0 = time.perf_counter()
        services.inclusion_proof(seq, size)
        times.append((time.perf_counter() - t0) * 1000)
    result["inclusion_proof_ms"] = {"p50": _pct(times, 0.5), "p95": _pct(times, 0.95), "tree_size": size}
    times = []
    for _ in range(min(1_000, rows)):
        first = rng.randrange(1, size)
        t0 = time.perf_counter()
        services.consistency_proof(first, size)
        times.append((time.perf_counter() - t0) * 1000)
    result["consistency_proof_ms"] = {"p50": _pct(times, 0.5), "p95": _pct(times, 0.95)}

    services.checkpoint_create()
    from sanxiang.ledger.verifier import leaf_hash, sm3

    t0, c0 = time.perf_counter(), _cpu()
    hashed = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute("SELECT seq, body, leaf_hash FROM ledger_entry ORDER BY seq")
        while batch_rows := cursor.fetchmany(2000):
            for _seq, entry_body, _leaf in batch_rows:
                leaf_hash(sm3, entry_body.encode("utf-8"))
                hashed += 1
    result["read_sm3_entries_per_s"] = round(hashed / (time.perf_counter() - t0))
    result["read_sm3_entries_per_cpu_s"] = round(hashed / (_cpu() - c0))
    c0 = _cpu()
    report = audit.verify_log(check_blobs=False)
    assert report.ok, str(report.problem)
    result["verify_entries_per_s"] = round(report.entries / report.seconds)
    result["verify_entries_per_cpu_s"] = round(report.entries / (_cpu() - c0))
    result["verify_processes"] = report.processes
    result["verify_vs_read_sm3"] = round(result["verify_entries_per_s"] / result["read_sm3_entries_per_s"], 3)
    result["rows_per_append"] = batch
    result["batched_vs_raw_insert"] = round(
        result["append_batched_per_s"] / result["raw_insert_rows_per_s"], 3
    )
    if "raw_copy_rows_per_s" in result:
        result["batched_vs_raw_copy"] = round(
            result["append_batched_per_s"] / result["raw_copy_rows_per_s"], 3
        )
    return result


def _child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    print(json.dumps(measure(int(os.environ["SANXIANG_BENCH_ROWS"]))))


def _run_on(url: str, rows: int, var: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SANXIANG_VAR_DIR": str(var), "SANXIANG_BENCH_ROWS": str(rows),
           "SANXIANG_BLOB_DIR": str(var / "blobs")}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    proc = subprocess.run(
        [sys.executable, "-c", "import benches.ledger_append as m; m._child()"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode:
        return {"error": proc.stderr[-3000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_ROWS)
    out: dict = {"rows": rows}
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        out["sqlite"] = _run_on(f"sqlite:///{var / 'bench.sqlite3'}", rows, var)
        _postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
        _postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
        try:
            base = POSTGRES_SERVER.rsplit("/", 1)[0]
            out["postgresql"] = _run_on(f"{base}/{POSTGRES_DATABASE}", rows, var)
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
