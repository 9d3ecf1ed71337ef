"""Filter tokens on the resource itself (``search_tags``), filled from its rows. Search
uses them to filter inside its index instead of joining tables (see 0007 for PostgreSQL)."""

from django.db import migrations, models

from kindred.library.text import resource_tags


def fill_tags(apps, schema_editor):
    Resource = apps.get_model("library", "Resource")
    changed = []
    for resource in Resource.objects.prefetch_related("audience_rows", "topics").iterator(
        chunk_size=1000
    ):
        resource.search_tags = resource_tags(
            status=resource.status,
            language=resource.language,
            type=resource.type,
            audiences=[row.audience for row in resource.audience_rows.all()],
            topics=[topic.slug for topic in resource.topics.all()],
        )
        changed.append(resource)
    Resource.objects.bulk_update(changed, ["search_tags"], batch_size=1000)



class Migration(migrations.Migration):
    dependencies = [("library", "0005_search_index_published")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_tags",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_tags, migrations.RunPython.noop),
    ]
