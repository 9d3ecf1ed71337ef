"""Load every state, county and ZIP code from places/data/ (see the README there)."""

from django.db import migrations

from kindred.places.loading import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("places", "State"),
        apps.get_model("places", "County"),
        apps.get_model("places", "ZipCode"),
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0002_indexes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
