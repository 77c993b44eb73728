"""The case record tables move to the one append-only implementation (sanxiang.ledger.immutability):
the same refusing function as every other app's records, and TRUNCATE refused on PostgreSQL too."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = (
    "cases_caserecord",
    "cases_caseevent",
    "cases_caseofficer",
    "cases_caseparty",
    "cases_approvalstep",
    "cases_decision",
    "cases_decisionparty",
    "cases_decisionline",
    "cases_decisionchange",
)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS cases_refuse_change()")


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_late_upload_label")]

    operations = [migrations.RunPython(install, noop)]
