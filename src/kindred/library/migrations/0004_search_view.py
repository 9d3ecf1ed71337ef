"""PostgreSQL: a view over the generated search column, so the ORM can reach it through the
unmanaged model ResourceSearchVector. SQLite needs nothing."""

from django.db import migrations

import django.contrib.postgres.search
import django.db.models.deletion

CREATE = (
    "CREATE VIEW library_resource_tsv AS "
    "SELECT id AS resource_id, search_vector AS vector FROM library_resource"
)
DROP = "DROP VIEW IF EXISTS library_resource_tsv"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_tags")]

    operations = [
        migrations.CreateModel(
            name="ResourceSearchVector",
            fields=[
                (
                    "resource",
                    django.db.models.OneToOneField(
                        db_column="resource_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="pg_search",
                        serialize=False,
                        to="library.resource",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "library_resource_tsv", "managed": False},
        ),
        migrations.AddField(
            model_name="resourcesearchentry",
            name="position",
            field=django.db.models.IntegerField(db_column="_rowid_"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
