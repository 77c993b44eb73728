"""Templates, issued documents and signatures are never changed or deleted (sanxiang.ledger.immutability)."""

from django.db import migrations

from sanxiang.ledger import immutability

TABLES = (
    "documents_documenttemplate",
    "documents_issueddocument",
    "documents_partysignature",
)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in immutability.drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
