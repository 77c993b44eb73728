"""Each agency's document-signing public key (its private key is a file, never a row); append-only."""

import django.db.models.deletion
from django.db import migrations, models

from sanxiang.ledger import immutability

TABLES = ("documents_agencykey",)


def install(apps, schema_editor):
    for statement in immutability.install_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in immutability.drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_casefile"),
        ("registry", "0003_recording_devices"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgencyKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key_id", models.CharField(max_length=64, unique=True, verbose_name="密钥编号")),
                ("public_key", models.CharField(max_length=130, verbose_name="SM2 公钥")),
                ("created_at", models.DateTimeField(verbose_name="生成时间")),
                ("ledger_seq", models.BigIntegerField(verbose_name="记录序号")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.agency",
                        verbose_name="执法主体",
                    ),
                ),
            ],
            options={
                "verbose_name": "文书签名公钥",
                "verbose_name_plural": "文书签名公钥",
                "ordering": ["agency", "created_at", "pk"],
            },
        ),
        migrations.RunPython(install, drop),
    ]
