"""PostgreSQL: add the filter tokens (``search_tags``) to the generated search column, so a
search filters by audience, topic, language and type inside the GIN index. (Its own
migration: PostgreSQL will not alter a table with row changes pending in the same
transaction.)"""

from django.db import migrations

_CONFIG = "CASE WHEN language = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END"
POSTGRES = [
    # Left by an early version of migration 0004 on some databases; it uses the column.
    "DROP VIEW IF EXISTS library_resource_tsv",
    "DROP INDEX IF EXISTS library_resource_search_pub",
    "ALTER TABLE library_resource DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE library_resource ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector({_CONFIG}, coalesce(summary, '')), 'B') || "
    f"setweight(to_tsvector({_CONFIG}, coalesce(body, '')), 'C') || "
    "to_tsvector('simple'::regconfig, coalesce(search_tags, ''))) STORED",
    "CREATE INDEX library_resource_search_pub ON library_resource "
    "USING GIN (search_vector) WHERE status = 'published'",
]



def postgres_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0006_search_tags_column")]

    operations = [migrations.RunPython(postgres_column, migrations.RunPython.noop)]
