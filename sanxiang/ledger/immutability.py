"""The one implementation of the append-only triggers, for every app's record tables.

UPDATE, DELETE (and on PostgreSQL TRUNCATE, which bypasses row triggers) raise an error in the
database itself, whatever the client. An app declares the tables it never changes as
``APPEND_ONLY_TABLES`` in its ``models`` module and installs the triggers from a migration::

    from sanxiang.ledger import immutability

    def install(apps, schema_editor):
        for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
            schema_editor.execute(statement)

:func:`protected_tables` collects every installed app's declaration — the single list from which
``sanxiang verify`` reports a missing or altered trigger (:func:`missing`). Tests drop the triggers
inside a rolled-back transaction to tamper on purpose and show that ``verify`` notices.

This module imports no model and no other app: every app, low or high, may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

MESSAGE = "append-only: {op} on {table} refused"
PG_FUNCTION_NAME = "ledger_refuse_change"

_PG_FUNCTION_BODY = """
DECLARE
    has_rows boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- Truncating an empty table destroys nothing; allowing it keeps test-database flushes working.
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || quote_ident(TG_TABLE_NAME) || ')' INTO has_rows;
        IF NOT has_rows THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
"""

_PG_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION_NAME}() RETURNS trigger AS $${_PG_FUNCTION_BODY}$$ "
    "LANGUAGE plpgsql"
)

# pg_trigger.tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32
_PG_ROW_TGTYPE = 1 | 2 | 8 | 16
_PG_TRUNCATE_TGTYPE = 2 | 32

_SQLITE_OPS = ("UPDATE", "DELETE")


def protected_tables() -> list[str]:
    """Every table that an installed app declares append-only (``models.APPEND_ONLY_TABLES``)."""
    from django.apps import apps

    tables: list[str] = []
    for config in apps.get_app_configs():
        declared: Sequence[str] = getattr(config.models_module, "APPEND_ONLY_TABLES", ())
        tables += [t for t in declared if t not in tables]
    return tables


def _tables(tables: Iterable[str] | None) -> list[str]:
    return list(protected_tables() if tables is None else tables)


def _sqlite_trigger(table: str, op: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op=op, table=table)}'); END"
    )


def install_sql(vendor: str, tables: Iterable[str] | None = None) -> list[str]:
    """The statements that protect ``tables`` (default: every protected table); idempotent."""
    tables = _tables(tables)
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION_NAME}()",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION_NAME}()",
            ]
        return statements
    if vendor == "sqlite":
        statements = []
        for table in tables:
            for op in _SQLITE_OPS:
                statements += [f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}", _sqlite_trigger(table, op)]
        return statements
    raise NotImplementedError(f"append-only triggers for database vendor {vendor!r}")


def drop_sql(vendor: str, tables: Iterable[str] | None = None) -> list[str]:
    tables = _tables(tables)
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
            for table in tables
            for name in ("append_only", "no_truncate")
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}" for table in tables for op in _SQLITE_OPS]
    raise NotImplementedError(f"append-only triggers for database vendor {vendor!r}")


def install(connection: Any, tables: Iterable[str] | None = None) -> None:
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor, tables):
            cursor.execute(statement)


def drop(connection: Any, tables: Iterable[str] | None = None) -> None:
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, tables):
            cursor.execute(statement)


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().lower()


def missing(connection: Any, tables: Iterable[str] | None = None) -> list[str]:
    """What is wrong with the protection of ``tables`` (default: every protected table), one line
    per missing, disabled or altered trigger; empty when every table is protected as installed."""
    tables = _tables(tables)
    problems: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgenabled, t.tgtype, t.tgqual IS NULL, "
                "cardinality(t.tgattr::int2[]) = 0, p.proname, p.prosrc "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND pg_table_is_visible(c.oid)",
                [tables],
            )
            found = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}
            for table in tables:
                for name, tgtype in (("append_only", _PG_ROW_TGTYPE), ("no_truncate", _PG_TRUNCATE_TGTYPE)):
                    trigger = f"{table}_{name}"
                    row = found.get((table, trigger))
                    if row is None:
                        problems.append(f"{table}: trigger {trigger} is missing")
                        continue
                    enabled, got_type, no_condition, all_columns, function, source = row
                    if enabled not in ("O", "A"):
                        problems.append(f"{table}: trigger {trigger} is disabled")
                    elif got_type != tgtype or not no_condition or not all_columns:
                        problems.append(f"{table}: trigger {trigger} has been altered")
                    elif function != PG_FUNCTION_NAME or _normal(source) != _normal(_PG_FUNCTION_BODY):
                        problems.append(f"{table}: trigger {trigger} no longer runs the refusing function")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            found_sql = {(row[1], row[0]): row[2] for row in cursor.fetchall()}
            for table in tables:
                for op in _SQLITE_OPS:
                    trigger = f"{table}_no_{op.lower()}"
                    sql = found_sql.get((table, trigger))
                    if sql is None:
                        problems.append(f"{table}: trigger {trigger} is missing")
                    elif _normal(sql) != _normal(_sqlite_trigger(table, op)):
                        problems.append(f"{table}: trigger {trigger} has been altered")
        else:
            problems.append(f"append-only triggers are not implemented for {connection.vendor}")
    return problems
