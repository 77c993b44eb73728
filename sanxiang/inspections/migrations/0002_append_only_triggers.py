"""Nothing recorded is ever changed or deleted: triggers refuse UPDATE and DELETE on every 双随机
table (a re-draw is a new draw pointing at the old one; see sanxiang.ledger.immutability)."""

from django.db import migrations

from sanxiang.ledger.immutability import drop_sql, install_sql

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
    for statement in install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("cases", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, drop)]
