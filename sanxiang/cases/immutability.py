"""Database triggers that refuse UPDATE and DELETE on the case record tables (SQLite and PostgreSQL).

Nothing recorded is ever changed or deleted (DESIGN.md, Conventions): a correction is a new record.
"""

from __future__ import annotations

from sanxiang.cases.models import APPEND_ONLY_TABLES

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'case records are append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def install_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION cases_refuse_change()"
            for t in tables
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {t}_no_{op.lower()} BEFORE {op} ON {t} "
            f"BEGIN SELECT RAISE(ABORT, 'case records are append-only: {op} on {t} refused'); END"
            for t in tables
            for op in ("UPDATE", "DELETE")
        ]
    return []  # other databases: the service layer is the only writer


def drop_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in tables]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in tables for op in ("update", "delete")]
    return []
