"""On PostgreSQL, a trigram index lets ``icontains`` on organization names use an index.

Nothing happens on SQLite, nor when the pg_trgm extension cannot be created.
"""

from django.db import migrations, transaction


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no right to create it: name searches still work, only slower
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS network_org_name_trgm ON network_organization "
        "USING gin (UPPER(name) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS network_org_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("network", "0002_languages")]

    operations = [migrations.RunPython(add_index, drop_index)]
