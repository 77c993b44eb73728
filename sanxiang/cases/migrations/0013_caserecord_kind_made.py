from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_record_origins")]

    operations = [
        migrations.AddIndex(
            model_name="caserecord",
            index=models.Index(fields=["kind", "made_at"], name="cases_record_kind_made"),
        ),
    ]
