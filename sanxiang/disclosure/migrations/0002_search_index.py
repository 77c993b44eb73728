"""Full-text search index over the public index: SQLite FTS5 (with triggers) or PostgreSQL GIN."""

from django.db import migrations


def forwards(apps, schema_editor):
    from sanxiang.disclosure import search

    search.install(schema_editor)


def backwards(apps, schema_editor):
    from sanxiang.disclosure import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
