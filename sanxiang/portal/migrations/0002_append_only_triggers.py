"""An agency's published 行政执法规范用语 are never changed or deleted (a change is the next version)."""

from django.db import migrations

from sanxiang.ledger.immutability import drop_sql, install_sql

TABLES = ("portal_phrasebookversion",)


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
