"""Nothing recorded is ever changed or deleted: triggers refuse UPDATE and DELETE on the review's
record tables (the one implementation, sanxiang.ledger.immutability)."""

from django.db import migrations

from sanxiang.ledger.immutability import drop_sql, install_sql

TABLES = (
    "review_assignment",
    "review_materialrequest",
    "review_materialsupplement",
    "review_checklistmark",
    "review_opinion",
    "review_extension",
    "review_extensionruling",
    "review_disagreement",
    "review_disagreementruling",
    "review_collectivediscussion",
)


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("cases", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, drop)]
