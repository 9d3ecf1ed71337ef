import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"


def install(apps, schema_editor):
    Instrument = apps.get_model("observe", "Instrument")
    InstrumentVersion = apps.get_model("observe", "InstrumentVersion")
    for path in sorted(DATA.glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        instrument, _ = Instrument.objects.get_or_create(
            slug=definition["slug"], defaults={"name": definition["name"]["en"]}
        )
        InstrumentVersion.objects.get_or_create(
            instrument=instrument,
            version=definition["version"],
            defaults={
                "definition": definition,
                "status": "published",
                "source": "bundled",
                "published_at": timezone.now(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("observe", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
