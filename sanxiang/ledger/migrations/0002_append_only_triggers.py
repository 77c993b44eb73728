"""UPDATE, DELETE and TRUNCATE on the ledger tables are refused by the database itself."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = (
    "ledger_entry",
    "ledger_node",
    "ledger_blob",
    "ledger_entryblob",
    "ledger_signingkey",
    "ledger_checkpoint",
)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in immutability.drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
