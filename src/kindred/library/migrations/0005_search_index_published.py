"""PostgreSQL: index the search column of published resources only (a partial GIN index),
so counting the matches of a search does not need to check each row's status."""

from django.db import migrations

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS library_resource_search_pub ON library_resource "
    "USING GIN (search_vector) WHERE status = 'published'",
    "DROP INDEX IF EXISTS library_resource_search",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS library_resource_search ON library_resource "
    "USING GIN (search_vector)",
    "DROP INDEX IF EXISTS library_resource_search_pub",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_view")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
