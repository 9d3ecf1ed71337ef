"""SQLite: add a ``tags`` column of filter tokens to the FTS5 table, so that a search can
filter and count inside the index. The table is rebuilt from the resources (its content is
derived: stems and tokens). PostgreSQL is unchanged."""

from django.db import migrations

from kindred.library.text import index_terms, tag

CREATE = (
    "CREATE VIRTUAL TABLE library_resource_fts USING fts5("
    "title, summary, body, tags, tokenize = 'unicode61 remove_diacritics 2')"
)
RANK = (
    "INSERT INTO library_resource_fts(library_resource_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS library_resource_fts")
    schema_editor.execute(CREATE)
    schema_editor.execute(RANK)
    Resource = apps.get_model("library", "Resource")
    rows = []
    for resource in Resource.objects.prefetch_related("audience_rows", "topics").iterator(
        chunk_size=1000
    ):
        tags = [
            tag("st", resource.status),
            tag("lang", resource.language),
            tag("type", resource.type),
            *(tag("aud", row.audience) for row in resource.audience_rows.all()),
            *(tag("topic", topic.slug) for topic in resource.topics.all()),
        ]
        rows.append(
            (
                resource.pk,
                index_terms(resource.title, resource.language),
                index_terms(resource.summary, resource.language),
                index_terms(resource.body, resource.language),
                " ".join(tags),
            )
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO library_resource_fts(rowid, title, summary, body, tags) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS library_resource_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE library_resource_fts USING fts5("
        "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
