"""Full-text search index over the public index: SQLite FTS5 (kept in step by triggers) or a PostgreSQL
stored tsvector column under a GIN index. The SQL is frozen here (sanxiang/disclosure/search.py explains it)."""

from django.db import migrations

SQL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE disclosure_fts USING fts5(search_text, content='disclosure_publicdecision', content_rowid='id', tokenize='unicode61')",
        "CREATE TRIGGER disclosure_fts_ai AFTER INSERT ON disclosure_publicdecision BEGIN INSERT INTO disclosure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        "CREATE TRIGGER disclosure_fts_ad AFTER DELETE ON disclosure_publicdecision BEGIN INSERT INTO disclosure_fts(disclosure_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        "CREATE TRIGGER disclosure_fts_au AFTER UPDATE ON disclosure_publicdecision BEGIN INSERT INTO disclosure_fts(disclosure_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO disclosure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    ],
    "postgresql": [
        "ALTER TABLE disclosure_publicdecision ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
        "CREATE INDEX disclosure_pub_search_gin ON disclosure_publicdecision USING GIN (search_vector)",
    ],
}
REVERSE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS disclosure_fts_au",
        "DROP TRIGGER IF EXISTS disclosure_fts_ad",
        "DROP TRIGGER IF EXISTS disclosure_fts_ai",
        "DROP TABLE IF EXISTS disclosure_fts",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS disclosure_pub_search_gin",
        "ALTER TABLE disclosure_publicdecision DROP COLUMN IF EXISTS search_vector",
    ],
}


def forwards(apps, schema_editor):
    for sql in SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in REVERSE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
