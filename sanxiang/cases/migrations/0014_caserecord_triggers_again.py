"""The append-only triggers of ``cases_caserecord`` again: on SQLite, 0012_record_origins added a column
with a default by rebuilding the table (Django's ``_remake_table``), and a rebuilt table has lost its
triggers. ``sanxiang verify`` reports a table without them (sanxiang.ledger.immutability.missing);
this puts them back (idempotent, and a no-op change on PostgreSQL, where ALTER TABLE keeps them)."""

from django.db import migrations

from sanxiang.ledger import immutability


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, ["cases_caserecord"]):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_caserecord_kind_made")]

    operations = [migrations.RunPython(install, noop)]
