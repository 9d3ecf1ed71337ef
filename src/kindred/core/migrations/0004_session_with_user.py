"""Sessions move to core_session, which also holds whose session it is
(kindred.core.sessions). Sessions still valid are copied, so nobody is signed out."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations, models
from django.utils import timezone


def copy_sessions(apps, schema_editor):
    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("core", "Session")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    alias = schema_editor.connection.alias
    users = set(User.objects.using(alias).values_list("pk", flat=True))
    decoder = SessionStore()  # the salt of Django's and Kindred's database sessions
    copies = []
    for old in Old.objects.using(alias).filter(expire_date__gt=timezone.now()).iterator():
        try:
            user_id = int(decoder.decode(old.session_data).get("_auth_user_id"))
        except (TypeError, ValueError):
            user_id = None
        copies.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
    New.objects.using(alias).bulk_create(copies, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_vocabularies"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "core_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_sessions, migrations.RunPython.noop),
    ]
