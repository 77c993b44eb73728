"""The review record tables move to the one append-only implementation (sanxiang.ledger.immutability):
the same refusing function as every other app's records, and TRUNCATE refused on PostgreSQL too."""

from django.db import migrations

from sanxiang.ledger import immutability

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
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_reviewround_rule_region_reviewround_rule_version"),
        ("cases", "0005_shared_append_only_triggers"),
    ]

    operations = [migrations.RunPython(install, noop)]
