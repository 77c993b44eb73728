"""Nothing recorded is ever changed or deleted: statute versions and articles, suggestions, answers and
consistency checks are append-only (the one implementation, sanxiang.ledger.immutability)."""

from django.db import migrations

from sanxiang.ledger.immutability import drop_sql, install_sql

TABLES = (
    "assist_statuteversion",
    "assist_article",
    "assist_suggestion",
    "assist_suggestionanswer",
    "assist_consistencycheck",
)


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assist", "0001_initial"), ("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
