"""The 双随机 tables move to the one append-only implementation (sanxiang.ledger.immutability): the same
refusing function as every other app's records, and TRUNCATE refused on PostgreSQL too."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = (
    "inspections_spotcheckprofile",
    "inspections_creditclass",
    "inspections_otherobject",
    "inspections_recusal",
    "inspections_plan",
    "inspections_planagency",
    "inspections_batch",
    "inspections_planfiling",
    "inspections_draw",
    "inspections_drawoutcome",
    "inspections_target",
    "inspections_inspection",
    "inspections_resultentry",
    "inspections_resultreview",
)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_append_only_triggers"),
        ("cases", "0005_shared_append_only_triggers"),
    ]

    operations = [migrations.RunPython(install, noop)]
