"""Database triggers that make the ledger tables append-only (SQLite and PostgreSQL).

UPDATE, DELETE (and on PostgreSQL TRUNCATE, which bypasses row triggers) raise an error in the
database itself, whatever the client. Used by the migration that creates them and by tests, which
drop them inside a rolled-back transaction to tamper on purpose and show that ``verify`` notices.
"""

from __future__ import annotations

from collections.abc import Iterable

APPEND_ONLY_TABLES = (
    "ledger_entry",
    "ledger_node",
    "ledger_blob",
    "ledger_entryblob",
    "ledger_signingkey",
    "ledger_checkpoint",
)

MESSAGE = "ledger is append-only: {op} on {table} refused"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
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
        MESSAGE = 'ledger is append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def install_sql(vendor: str, tables: Iterable[str] = APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in tables:
            statements += [
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
            ]
        return statements
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op=op, table=table)}'); END"
            for table in tables
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"append-only triggers for database vendor {vendor!r}")


def drop_sql(vendor: str, tables: Iterable[str] = APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
            for table in tables
            for name in ("append_only", "no_truncate")
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op} " for table in tables for op in ("update", "delete")]
    raise NotImplementedError(f"append-only triggers for database vendor {vendor!r}")


def install(connection, tables: Iterable[str] = APPEND_ONLY_TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor, tables):
            cursor.execute(statement)


def drop(connection, tables: Iterable[str] = APPEND_ONLY_TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, tables):
            cursor.execute(statement)
