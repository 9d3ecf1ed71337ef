from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Lookup, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.library.text import render_markdown


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


class Audience(models.TextChoices):
    PARENTS = "parents", _("Parents and caregivers")
    CLINICIANS = "clinicians", _("Clinicians")
    COMMUNITY_WORKERS = "community_workers", _("Community workers")
    POLICYMAKERS = "policymakers", _("Policymakers")
    RESEARCHERS = "researchers", _("Researchers")


class ResourceQuerySet(models.QuerySet):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=Resource.Status.PUBLISHED)

    def visible_to(self, user) -> ResourceQuerySet:
        """Published resources for everyone; drafts for their author, their reviewers and
        network staff."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.published()
        return self.filter(
            Q(status=Resource.Status.PUBLISHED)
            | Q(author=user)
            | Q(pk__in=ResourceReview.objects.filter(reviewer=user).values("resource"))
        )


class Resource(models.Model):
    """An article, toolkit, guide, video or brief in the public library."""

    class Type(models.TextChoices):
        ARTICLE = "article", _("Article")
        TOOLKIT = "toolkit", _("Toolkit")
        CONVERSATION_GUIDE = "conversation_guide", _("Conversation guide")
        FACT_SHEET = "fact_sheet", _("Fact sheet")
        VIDEO = "video", _("Video")
        RESEARCH_BRIEF = "research_brief", _("Research brief")
        POLICY_BRIEF = "policy_brief", _("Policy brief")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…)."),
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, db_index=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="library_resources", verbose_name=_("topics")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    # Resources that share a group are translations of one another.
    translation_group = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    reading_ease = models.FloatField(_("reading ease"), default=0)
    reading_grade = models.FloatField(_("reading grade"), default=0)
    external_url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("PDF file"), upload_to="library/resources/%Y/%m/", blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_date = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_resources",
        verbose_name=_("author"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Status, language, type, audiences and topics as index words ("kaudparents ..."), so
    # full-text search filters inside its index on both databases. Kept by the services
    # (kindred.library.search.index_resources).
    search_tags = models.TextField(blank=True, default="", editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("resource")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="library_res_recent"),
            models.Index(
                fields=["status", "language", "-published_at"], name="library_res_lang_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource-detail", args=[self.slug])

    def can_edit(self, user) -> bool:
        """Authors edit their own drafts; network staff edit anything."""
        if is_staff(user):
            return True
        return (
            getattr(user, "is_authenticated", False)
            and user.pk == self.author_id
            and self.status in {self.Status.DRAFT, self.Status.IN_REVIEW}
        )

    def can_review(self, user) -> bool:
        if is_staff(user):
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return self.reviews.filter(reviewer=user).exists()

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def audiences(self) -> list[str]:
        """Audience codes (prefetch ``audience_rows`` to avoid a query per resource)."""
        return sorted(row.audience for row in self.audience_rows.all())

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(code).label) for code in self.audiences]

    @property
    def reading_label(self) -> str:
        if not self.reading_ease and not self.reading_grade:
            return ""
        if self.reading_grade <= 7:
            return str(_("Easy to read"))
        if self.reading_grade <= 11:
            return str(_("Plain language"))
        return str(_("Technical"))

    def translations(self) -> ResourceQuerySet:
        return (
            Resource.objects.published()
            .filter(translation_group=self.translation_group)
            .exclude(pk=self.pk)
        )


class ResourceAudience(models.Model):
    """One audience a resource is written for (a row per audience, so filters use an index)."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="audience_rows")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = _("resource audience")
        constraints = [
            models.UniqueConstraint(fields=["resource", "audience"], name="library_res_aud_once")
        ]
        indexes = [models.Index(fields=["audience", "resource"], name="library_res_aud")]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.audience}"


class ResourceReview(models.Model):
    """A reviewer asked to check a resource before it is published, and their decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        CHANGES = "changes", _("Changes requested")

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="library_reviews"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("resource review")
        constraints = [
            models.UniqueConstraint(fields=["resource", "reviewer"], name="library_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.resource}: {self.decision}"


class FTSMatchField(models.TextField):
    """The hidden column of an SQLite FTS5 table that takes ``MATCH``."""


@FTSMatchField.register_lookup
class FTSMatch(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ResourceSearchEntry(models.Model):
    """A row of the SQLite FTS5 table ``library_resource_fts`` (created by migration 0002 on
    SQLite only; PostgreSQL uses a generated tsvector column instead). Columns hold stems,
    written by ``kindred.library.search``; ``document`` and ``rank`` are FTS5's hidden columns."""

    resource = models.OneToOneField(
        Resource,
        models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    title = models.TextField()
    summary = models.TextField()
    body = models.TextField()
    document = FTSMatchField(db_column="library_resource_fts")
    rank = models.FloatField(db_column="rank")
    # The rowid again, under SQLite's other name for it, so that a range on it reaches FTS5.
    position = models.IntegerField(db_column="_rowid_")

    class Meta:
        managed = False
        db_table = "library_resource_fts"

    def __str__(self) -> str:
        return str(self.pk)
