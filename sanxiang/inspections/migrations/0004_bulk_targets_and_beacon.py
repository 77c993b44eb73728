"""A draw's targets reference the draw and the drawn object without database foreign keys: the deferred
per-row checks (each locking the referenced row) cost more than the draw itself
(docs/decisions/0021-draws-in-bulk-drand-and-workload.md). A draw's outcome keeps the drand round it was made with.
SQLite rebuilds both tables, so the append-only triggers are put back on them afterwards."""

import django.db.models.deletion
from django.db import migrations, models

from sanxiang.ledger import immutability


def reinstall(apps, schema_editor):
    for statement in immutability.install_sql(
        schema_editor.connection.vendor, ["inspections_target", "inspections_drawoutcome"]
    ):
        schema_editor.execute(statement)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_shared_append_only_triggers"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="target",
            name="draw",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="targets",
                to="inspections.draw",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="entity",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.marketentity",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="other_object",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inspections.otherobject",
            ),
        ),
        migrations.AddField(
            model_name="drawoutcome",
            name="beacon",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(reinstall, noop),
    ]
