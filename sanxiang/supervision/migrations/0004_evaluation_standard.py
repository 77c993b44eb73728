"""The 案卷评查 tables are append-only (standards, assignments, results); the shipped standard is loaded."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = (
    "supervision_evaluationstandard",
    "supervision_standarditem",
    "supervision_campaigncase",
    "supervision_evaluation",
)


def install(apps, schema_editor):
    from sanxiang.supervision.standards import install as install_standard

    install_standard(apps)
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_evaluation")]

    operations = [migrations.RunPython(install, noop)]
