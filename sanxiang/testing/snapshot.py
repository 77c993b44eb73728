"""A copy of a transactional test's whole database and files, to put back in a later test of the run.

A browser test's data must be committed for the live server to see it, and live_server empties the
database after every test; tests that only read an expensive build (the demo: about 3 CPU minutes)
would each build it again. :func:`take` keeps, in this process, the database as the builder left it
and a copy of the given folders (blobs, ledger tiles); :func:`restore` empties the database and puts
all of it back — every table's rows, the sequences' positions, the files — then the append-only
triggers. SQLite: every table's rows, put back in one transaction. PostgreSQL: each table's rows by
``COPY … (FORMAT binary)`` and each sequence's value. The copy is the same whether it was taken in a
test's transaction (a ``django_db`` test, rolled back at its end) or from committed rows (a browser
test's): put back in a test's transaction, the rollback undoes the restore too — so one build serves
both kinds of test.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanxiang.ledger import immutability as ledger_triggers


@dataclass
class _Snapshot:
    files: Path
    tables: dict[str, bytes] = field(default_factory=dict)
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # in a transaction, on SQLite
    sequences: dict[str, int | None] = field(default_factory=dict)


_SNAPSHOTS: dict[Hashable, _Snapshot] = {}


def test_folders(settings: Any) -> list[Path]:
    """The folders each test gets of its own (sanxiang/testing/fixtures.py, _test_settings): the blobs,
    the ledger's tiles and the agencies' document-signing keys."""
    names = ("SANXIANG_BLOB_DIR", "SANXIANG_LEDGER_TILE_DIR", "SANXIANG_DOCUMENT_KEY_DIR")
    return [Path(getattr(settings, name)) for name in names if getattr(settings, name, None)]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'django_migrations'"
        " ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def take(key: Hashable, connection: Any, folders: Sequence[Path]) -> None:
    """Keep the database and ``folders`` as they are now under ``key``."""
    files = Path(tempfile.mkdtemp(prefix="sanxiang-snapshot-"))
    for i, folder in enumerate(folders):
        if Path(folder).exists():
            shutil.copytree(folder, files / str(i))
    snap = _Snapshot(files=files)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in _sqlite_tables(cursor):
                cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - a name from sqlite_master
                snap.rows[table] = cursor.fetchall()
    elif connection.vendor == "postgresql":
        with raw.cursor() as cursor:
            for table in _pg_tables(cursor):
                with cursor.copy(f"COPY {_quote(table)} TO STDOUT (FORMAT binary)") as copy:
                    snap.tables[table] = b"".join(bytes(block) for block in copy)
            cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
            snap.sequences = {f"{_quote(s)}.{_quote(n)}": value for s, n, value in cursor.fetchall()}
    else:
        raise NotImplementedError(connection.vendor)
    _SNAPSHOTS[key] = snap


def restore(key: Hashable, connection: Any, folders: Sequence[Path]) -> bool:
    """Put back what :func:`take` kept under ``key``; False (nothing changed) if nothing was kept."""
    snap = _SNAPSHOTS.get(key)
    if snap is None:
        return False
    for i, folder in enumerate(folders):
        kept = snap.files / str(i)
        if Path(folder).exists():
            shutil.rmtree(folder)
        if kept.exists():
            shutil.copytree(kept, folder)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite" and connection.in_atomic_block:
        _sqlite_rows_back(connection, snap)
    elif connection.vendor == "sqlite":
        from django.db import transaction

        with transaction.atomic(using=connection.alias):  # foreign keys checked once, at the commit
            _sqlite_rows_back(connection, snap)
    else:
        ledger_triggers.drop(connection)
        with raw.cursor() as cursor:
            tables = _pg_tables(cursor)
            cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
            now = {f"{_quote(s)}.{_quote(n)}": value for s, n, value in cursor.fetchall()}
            # the rows go back table by table: no trigger, no foreign-key check until all are there
            cursor.execute("SET session_replication_role = replica")
            try:
                if connection.in_atomic_block:  # the test's earlier inserts have deferred checks pending
                    for table in tables:
                        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608 - a name from pg_tables
                else:
                    cursor.execute("TRUNCATE " + ", ".join(_quote(t) for t in tables))
                for table, data in snap.tables.items():
                    with cursor.copy(f"COPY {_quote(table)} FROM STDIN (FORMAT binary)") as copy:
                        copy.write(data)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            # Sequences only move forward (setval is not rolled back with a test's transaction, and the
            # rows that come back with the rollback have ids up to the current values).
            for sequence, value in snap.sequences.items():
                values = [v for v in (value, now.get(sequence)) if v is not None]
                if values:
                    cursor.execute("SELECT setval(%s::regclass, %s, true)", [sequence, max(values)])
        ledger_triggers.install(connection)
    _forget_caches()
    return True


def _sqlite_tables(cursor: Any) -> list[str]:
    """The ordinary tables; a full-text index's virtual table and its shadow tables are left out (the
    content table's triggers fill the index as its rows go back)."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    found = cursor.fetchall()
    virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return sorted(
        name
        for name, _ in found
        if name != "django_migrations" and not any(name == v or name.startswith(v + "_") for v in virtual)
    )


def _sqlite_rows_back(connection: Any, snap: _Snapshot) -> None:
    """In the test's transaction: empty every table (triggers dropped, so the rollback puts them back),
    then insert the kept rows; foreign keys are checked at commit (Django's are deferred), never here."""
    ledger_triggers.drop(connection)
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor)
        for table in tables:
            cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608 - a name from sqlite_master
        for table, rows in snap.rows.items():
            if rows:
                marks = ", ".join(["%s"] * len(rows[0]))
                insert = f"INSERT INTO {_quote(table)} VALUES ({marks})"  # noqa: S608 - a name from sqlite_master
                cursor.executemany(insert, rows)
    ledger_triggers.install(connection)


def _forget_caches() -> None:
    """The process caches read from the database (as the autouse _test_settings fixture drops them)."""
    from sanxiang.rules.selectors import invalidate as invalidate_rules
    from sanxiang.workdays.cache import invalidate

    invalidate()
    invalidate_rules()
