"""UPDATE and DELETE on the case record tables are refused by the database itself."""

from django.db import migrations

from sanxiang.ledger.immutability import drop_sql, install_sql

TABLES = (
    "cases_caserecord",
    "cases_caseevent",
    "cases_caseofficer",
    "cases_caseparty",
    "cases_approvalstep",
)

# The tables as they were when this migration was written (later tables get their own migration).
TABLES = (
    "cases_caserecord",
    "cases_caseevent",
    "cases_caseofficer",
    "cases_caseparty",
    "cases_approvalstep",
)


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
