"""SQLite: declare the FTS5 table's ``_rowid_`` on the unmanaged model, so a rowid range can
be written with the ORM. (An earlier version of this migration made a PostgreSQL view for
search; it is dropped if present.)"""

from django.db import migrations, models


def drop_view(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP VIEW IF EXISTS library_resource_tsv")


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_tags")]

    operations = [
        migrations.AddField(
            model_name="resourcesearchentry",
            name="position",
            field=models.IntegerField(db_column="_rowid_"),
        ),
        migrations.RunPython(drop_view, migrations.RunPython.noop),
    ]
