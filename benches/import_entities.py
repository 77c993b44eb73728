"""Benchmark ``import_entities``: import N generated market entities (default 100,000).

For each database (SQLite, PostgreSQL) a fresh database is created (a temporary SQLite file; a
PostgreSQL database ``bench_import``, dropped afterwards), migrated, and measured in a subprocess
with ``DATABASE_URL`` pointing at it. In the same run, on the same connection:

- ``raw_insert_bare``: ``executemany`` of plain INSERTs of the same rows into a table with the same
  columns and no index but the rowid/identity — the best the database can do with INSERTs (on
  PostgreSQL with prepared statements and psycopg's pipelined executemany);
- ``raw_insert_indexed``: the same into an exact copy of the model's table (same unique constraint
  and indexes) — what the database must do for our table;
- ``raw_copy_bare`` (PostgreSQL only): ``COPY … FROM STDIN`` into the bare table, for scale;
- ``import_csv``: ``market_entities_import`` of the UTF-8 CSV into the empty directory: reading,
  validation, duplicate checks and batched upsert, all in one transaction;
- ``refresh_csv_unchanged``: the same file again (every row already present and unchanged) — the
  periodic refresh an operator runs;
- ``import_xlsx``: the same rows from XLSX (openpyxl read-only) into the emptied directory.

Rates are rows per second of wall-clock time, including the commit. ``measure()`` runs the
measurements on whatever database Django is connected to; the test suite runs it with 200 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 100_000
SEED = 20260101
REGIONS = ("220702", "220721", "220722", "220723", "220781")
POSTGRES_DATABASE = "bench_import"
COLUMNS = [
    "credit_code", "name", "kind", "legal_representative", "region_code",
    "address", "industry", "established_on", "status", "imported_at",
]  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("import_entities")
    group.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    group.add_argument("--no-xlsx", action="store_true", help="skip the XLSX import")
    group.add_argument(
        "--postgres-url",
        default=os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help=f"server on which a fresh database {POSTGRES_DATABASE} is created and dropped",
    )


# ---------------------------------------------------------------------------------------------
# Files


def input_files(workdir: Path, rows: int, *, xlsx: bool) -> dict[str, Any]:
    """Write (or reuse) the generated CSV and XLSX for ``rows`` entities; needs Django set up."""
    from sanxiang.registry.demo_entities import write_csv, write_xlsx

    info: dict[str, Any] = {}
    csv_path = workdir / f"entities-{rows}.csv"
    if not csv_path.exists():
        t0 = time.perf_counter()
        write_csv(csv_path, rows, seed=SEED, region_codes=REGIONS)
        info["csv_generate_seconds"] = round(time.perf_counter() - t0, 2)
    info["csv"], info["csv_bytes"] = str(csv_path), csv_path.stat().st_size
    if xlsx:
        xlsx_path = workdir / f"entities-{rows}.xlsx"
        if not xlsx_path.exists():
            t0 = time.perf_counter()
            write_xlsx(xlsx_path, rows, seed=SEED, region_codes=REGIONS)
            info["xlsx_generate_seconds"] = round(time.perf_counter() - t0, 2)
        info["xlsx"], info["xlsx_bytes"] = str(xlsx_path), xlsx_path.stat().st_size
    return info


# ---------------------------------------------------------------------------------------------
# Measurements on the current Django connection


def _rate(rows: int, seconds: float, **extra: Any) -> dict[str, Any]:
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds), **extra}


def _raw_rows(rows: int, vendor: str) -> list[tuple]:
    from django.utils import timezone

    from sanxiang.registry.demo_entities import generate_entities

    now = timezone.now()
    out = []
    for e in generate_entities(rows, seed=SEED, region_codes=REGIONS):
        values = [e[c] for c in COLUMNS[:-1]] + [now]
        if vendor == "sqlite":  # stored as Django stores them: ISO text
            values[7] = values[7].isoformat()
            values[9] = now.isoformat(sep=" ")
        out.append(tuple(values))
    return out


def _create_raw_tables(vendor: str, cursor, table: str) -> None:
    if vendor == "postgresql":
        cursor.execute(
            "CREATE TABLE bench_raw_bare (LIKE registry_marketentity INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cursor.execute("CREATE TABLE bench_raw_indexed (LIKE registry_marketentity INCLUDING ALL)")
        return
    # SQLite: the bare table has the same columns and types; the indexed one is the model's DDL.
    cursor.execute(
        "CREATE TABLE bench_raw_bare (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
        "credit_code varchar(18) NOT NULL, name varchar(200) NOT NULL, kind varchar(24) NOT NULL, "
        "legal_representative varchar(50) NOT NULL, region_code varchar(6) NOT NULL, "
        "address varchar(200) NOT NULL, industry varchar(100) NOT NULL, established_on date NULL, "
        "status varchar(16) NOT NULL, imported_at datetime NOT NULL)"
    )
    cursor.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table]
    )
    for kind, name, sql in cursor.fetchall():
        clone = sql.replace(f'"{table}"', '"bench_raw_indexed"', 1)
        if kind == "index":
            clone = clone.replace(f'"{name}"', f'"bench_raw_indexed_{name[-12:]}"', 1)
        cursor.execute(clone)


def _raw_insert(connection, table: str, rows: list[tuple]) -> float:
    from django.db import transaction

    vendor = connection.vendor
    placeholder = "?" if vendor == "sqlite" else "%s"
    # Table and column names are this module's constants, never input.
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join([placeholder] * len(COLUMNS))})"  # noqa: S608
    t0 = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        if vendor == "postgresql":
            import psycopg

            # Django's connection sets prepare_threshold=None (no server-side prepared statements),
            # which makes executemany about 2.5 times slower; the best the database can do prepares.
            threshold, raw.prepare_threshold = raw.prepare_threshold, 0
            try:
                with psycopg.Cursor(raw) as cur:  # server-side binding; executemany pipelines
                    cur.executemany(sql, rows)
            finally:
                raw.prepare_threshold = threshold
        else:
            cur = raw.cursor()
            cur.executemany(sql, rows)
            cur.close()
    return time.perf_counter() - t0


def _raw_copy(connection, table: str, rows: list[tuple]) -> float:
    import psycopg
    from django.db import transaction

    t0 = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        with (
            psycopg.Cursor(connection.connection) as cur,
            cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    return time.perf_counter() - t0


def database_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def measure(*, rows: int, workdir: Path, xlsx: bool = True) -> dict[str, Any]:
    """Run every measurement on the default database (migrated, directory empty)."""
    from django.db import connection

    from sanxiang.registry.importing import market_entities_import
    from sanxiang.registry.models import MarketEntity

    workdir = Path(workdir)
    files = input_files(workdir, rows, xlsx=xlsx)
    table = MarketEntity._meta.db_table
    vendor = connection.vendor
    result: dict[str, Any] = {"vendor": vendor, "version": database_version(connection)}

    def empty_directory() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's table name

    def run_import(path: str) -> dict[str, Any]:
        t0 = time.perf_counter()
        report = market_entities_import(actor=None, path=path)
        seconds = time.perf_counter() - t0
        if not report.committed:
            raise RuntimeError(f"import blocked: {[str(e) for e in report.errors[:5]]}")
        return _rate(
            report.rows_read,
            seconds,
            imported=report.imported,
            updated=report.updated,
            unchanged=report.unchanged,
        )

    raw_rows = _raw_rows(rows, vendor)
    with connection.cursor() as cursor:
        _create_raw_tables(vendor, cursor, table)
    try:
        result["raw_insert_bare"] = _rate(rows, _raw_insert(connection, "bench_raw_bare", raw_rows))
        result["raw_insert_indexed"] = _rate(rows, _raw_insert(connection, "bench_raw_indexed", raw_rows))
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE bench_raw_bare")
            result["raw_copy_bare"] = _rate(rows, _raw_copy(connection, "bench_raw_bare", raw_rows))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_raw_bare")
            cursor.execute("DROP TABLE bench_raw_indexed")
    del raw_rows

    empty_directory()
    result["import_csv"] = run_import(files["csv"])
    result["refresh_csv_unchanged"] = run_import(files["csv"])
    if xlsx:
        empty_directory()
        result["import_xlsx"] = run_import(files["xlsx"])
    raw_bare = result["raw_insert_bare"]["rows_per_second"]
    raw_indexed = result["raw_insert_indexed"]["rows_per_second"]
    for key in ("import_csv", "import_xlsx"):
        if key in result:
            result[f"ratio_{key}_to_raw_bare"] = round(result[key]["rows_per_second"] / raw_bare, 3)
            result[f"ratio_{key}_to_raw_indexed"] = round(result[key]["rows_per_second"] / raw_indexed, 3)
    result["files"] = {k: v for k, v in files.items() if k.endswith(("_bytes", "_seconds"))}
    return result


# ---------------------------------------------------------------------------------------------
# Orchestration: fresh databases, one subprocess each


def _setup_django(var_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    os.environ.setdefault("SANXIANG_VAR_DIR", str(var_dir))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _postgres_admin(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    conn = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=int(cfg["PORT"] or 5432),
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname=cfg["NAME"] or "postgres",
        autocommit=True,
    )
    bench_url = url.rsplit("/", 1)[0] + f"/{POSTGRES_DATABASE}"
    return conn, bench_url


def _worker(database_url: str, rows: int, workdir: Path, xlsx: bool) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "SANXIANG_VAR_DIR": str(workdir / "var")}
    env.pop("SANXIANG_PRODUCTION", None)
    cmd = [sys.executable, "-m", "benches.import_entities", "--rows", str(rows), "--workdir", str(workdir)]
    if not xlsx:
        cmd.append("--no-xlsx")
    proc = subprocess.run(
        cmd,
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker for {database_url} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows = getattr(args, "rows", None) or DEFAULT_ROWS
    xlsx = not getattr(args, "no_xlsx", False)
    databases = [d.strip() for d in getattr(args, "databases", "sqlite,postgres").split(",") if d.strip()]
    postgres_url = getattr(args, "postgres_url", "postgres://postgres@127.0.0.1:5432/postgres")
    workdir = Path(tempfile.mkdtemp(prefix="bench_import_"))
    result: dict[str, Any] = {"rows": rows, "seed": SEED, "regions": list(REGIONS)}
    try:
        _setup_django(workdir / "var")
        print(f"generating {rows} entities …", file=sys.stderr)
        files = input_files(workdir, rows, xlsx=xlsx)
        result["files"] = {k: v for k, v in files.items() if k.endswith(("_bytes", "_seconds"))}
        for database in databases:
            print(f"measuring on {database} …", file=sys.stderr)
            if database == "sqlite":
                url = f"sqlite:///{workdir / 'bench.sqlite3'}"
                result["sqlite"] = _worker(url, rows, workdir, xlsx)
            elif database == "postgres":
                admin, url = _postgres_admin(postgres_url)
                try:
                    admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
                    admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
                    result["postgres"] = _worker(url, rows, workdir, xlsx)
                finally:
                    admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
                    admin.close()
            else:
                raise ValueError(f"unknown database {database!r}: use sqlite, postgres")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _worker_main() -> None:
    """Subprocess entry: migrate the fresh database in DATABASE_URL, measure, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--no-xlsx", action="store_true")
    args = parser.parse_args()
    _setup_django(args.workdir / "var")
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = round(time.perf_counter() - t0, 2)
    result = measure(rows=args.rows, workdir=args.workdir, xlsx=not args.no_xlsx)
    result["migrate_seconds"] = migrate_seconds
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    _worker_main()
