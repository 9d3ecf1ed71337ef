"""Full-text search for resources, in the form each database does best.

SQLite: an FTS5 table of stems (written by kindred.library.search from the service layer).
PostgreSQL: a generated, weighted tsvector column in the resource's own language, with a
GIN index; it stays current by itself.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_resource_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
    # bm25 with column weights: a match in the title counts most.
    "INSERT INTO library_resource_fts(library_resource_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS library_resource_fts"]

_CONFIG = "CASE WHEN language = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END"
POSTGRES_CREATE = [
    "ALTER TABLE library_resource ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector({_CONFIG}, coalesce(summary, '')), 'B') || "
    f"setweight(to_tsvector({_CONFIG}, coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX library_resource_search ON library_resource USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS library_resource_search",
    "ALTER TABLE library_resource DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
