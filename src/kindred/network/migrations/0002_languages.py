from django.db import migrations

# The languages most spoken at home in the US, plus ASL; staff can add more in the admin.
LANGUAGES = [
    ("en", "English", "Inglés"),
    ("es", "Spanish", "Español"),
    ("zh", "Chinese", "Chino"),
    ("vi", "Vietnamese", "Vietnamita"),
    ("tl", "Tagalog", "Tagalo"),
    ("ar", "Arabic", "Árabe"),
    ("fr", "French", "Francés"),
    ("ht", "Haitian Creole", "Criollo haitiano"),
    ("ko", "Korean", "Coreano"),
    ("ru", "Russian", "Ruso"),
    ("pt", "Portuguese", "Portugués"),
    ("so", "Somali", "Somalí"),
    ("hmn", "Hmong", "Hmong"),
    ("nv", "Navajo", "Navajo"),
    ("ase", "American Sign Language", "Lengua de señas americana"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("network", "Language")
    for order, (code, name_en, name_es) in enumerate(LANGUAGES):
        Language.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_es": name_es, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
