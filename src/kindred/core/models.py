import uuid

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One row per read or change that matters for privacy or provenance.

    Rows are never updated. ``actor`` is kept nullable so that deleting an account leaves
    the trail intact but de-identified (``actor_label`` then says "deleted user").
    """

    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    verb = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("kind of record"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_label}"


class TaskProgressQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskProgressQuerySet":
        """A person sees the progress of tasks they started; visitors only ownerless ones."""
        if user is not None and user.is_authenticated:
            return self.filter(owner=user)
        return self.filter(owner__isnull=True)


class TaskProgress(models.Model):
    """What a long background task has done so far, for the person who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Working")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Could not finish")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    label = models.CharField(_("task"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    message = models.TextField(_("message"), blank=True)
    result_url = models.CharField(_("link to the result"), max_length=500, blank=True)
    # The language of the person who started the task; its messages are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created = models.DateTimeField(_("started"), auto_now_add=True)
    updated = models.DateTimeField(_("last update"), auto_now=True)

    objects = TaskProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("core:progress", args=[self.id])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def version(self) -> str:
        """Changes whenever the row does; lets the polling page skip unchanged updates."""
        return str(int(self.updated.timestamp() * 1_000_000)) if self.updated else "0"


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Term(models.Model):
    """A bilingual entry in a controlled vocabulary, editable in the admin."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return self.name_es if _spanish() else self.name_en

    @property
    def description(self) -> str:
        return self.description_es if _spanish() else self.description_en


class Role(Term):
    class Meta(Term.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class Sector(Term):
    class Meta(Term.Meta):
        verbose_name = _("sector or system")
        verbose_name_plural = _("sectors and systems")


class Topic(Term):
    class Meta(Term.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Session(AbstractBaseSession):
    """Django's database session, plus whose it is (``SESSION_ENGINE`` is
    ``kindred.core.sessions``).

    Knowing the person lets a signed-in request read its session and its person in one
    statement, and deleting an account ends its sessions with it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "core_session"

    @classmethod
    def get_session_store_class(cls):
        from kindred.core.sessions import SessionStore

        return SessionStore
