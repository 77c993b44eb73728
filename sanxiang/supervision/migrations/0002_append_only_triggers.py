"""The 情况说明 revisions are append-only (sanxiang.ledger.immutability)."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = ("supervision_annualreportrevision",)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(install, noop)]
