"""Workforce learning: competencies, paths made of modules (pages, a video, a quiz),
enrolments with pre/post confidence, and certificates anyone can verify."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.network.models import Organization
from kindred.systems.models.access import is_staff, organization_ids

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


def _pick(english: str, spanish: str) -> str:
    """The Spanish text in Spanish when there is one, else the English."""
    return spanish if _spanish() and spanish else english


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Competency(models.Model):
    """One relational-health competency of the framework; network staff edit the list."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    domain_en = models.CharField(_("area (English)"), max_length=120)
    domain_es = models.CharField(_("area (Spanish)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    description_es = models.TextField(_("description (Spanish)"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_en, self.name_es)

    @property
    def domain(self) -> str:
        return _pick(self.domain_en, self.domain_es)

    @property
    def description(self) -> str:
        return _pick(self.description_en, self.description_es)


class LearningPathQuerySet(models.QuerySet):
    def visible_to(self, user) -> LearningPathQuerySet:
        return self.all() if is_staff(user) else self.filter(is_published=True)


class LearningPath(models.Model):
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=2000)
    summary_es = models.TextField(_("summary (Spanish)"), max_length=2000, blank=True)
    audience_en = models.CharField(_("for whom (English)"), max_length=200, blank=True)
    audience_es = models.CharField(_("for whom (Spanish)"), max_length=200, blank=True)
    ce_hours = models.DecimalField(
        _("continuing-education hours"), max_digits=4, decimal_places=1, default=0
    )
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="paths", verbose_name=_("competencies")
    )
    organization = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_published = models.BooleanField(_("published"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("learning path")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("systems:path", args=[self.slug])

    @property
    def title(self) -> str:
        return _pick(self.title_en, self.title_es)

    @property
    def summary(self) -> str:
        return _pick(self.summary_en, self.summary_es)

    @property
    def audience(self) -> str:
        return _pick(self.audience_en, self.audience_es)


class Module(models.Model):
    path = models.ForeignKey(LearningPath, models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    video_title = models.CharField(_("video title"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="modules")

    class Meta:
        ordering = ["path", "order", "id"]
        verbose_name = _("module")
        constraints = [
            models.UniqueConstraint(fields=["path", "order"], name="systems_module_order_once")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("systems:module", args=[self.path.slug, self.order])

    @property
    def title(self) -> str:
        return _pick(self.title_en, self.title_es)


class ModulePage(models.Model):
    module = models.ForeignKey(Module, models.CASCADE, related_name="pages")
    order = models.PositiveSmallIntegerField(default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"))
    body_es = models.TextField(_("text (Spanish, Markdown)"), blank=True)

    class Meta:
        ordering = ["module", "order", "id"]
        verbose_name = _("module page")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_en, self.title_es)

    @property
    def body(self) -> str:
        return _pick(self.body_en, self.body_es)


class QuizQuestion(models.Model):
    """A multiple-choice question; ``choices_en``/``choices_es`` are lists of the same length."""

    module = models.ForeignKey(Module, models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    prompt_en = models.CharField(_("question (English)"), max_length=500)
    prompt_es = models.CharField(_("question (Spanish)"), max_length=500, blank=True)
    choices_en = models.JSONField(_("choices (English)"), default=list)
    choices_es = models.JSONField(_("choices (Spanish)"), default=list, blank=True)
    correct = models.PositiveSmallIntegerField(_("correct choice (from 0)"))
    explanation_en = models.TextField(_("why (English)"), blank=True)
    explanation_es = models.TextField(_("why (Spanish)"), blank=True)

    class Meta:
        ordering = ["module", "order", "id"]
        verbose_name = _("quiz question")

    def __str__(self) -> str:
        return self.prompt_en

    @property
    def prompt(self) -> str:
        return _pick(self.prompt_en, self.prompt_es)

    @property
    def choices(self) -> list[str]:
        if _spanish() and len(self.choices_es) == len(self.choices_en):
            return list(self.choices_es)
        return list(self.choices_en)

    @property
    def explanation(self) -> str:
        return _pick(self.explanation_en, self.explanation_es)


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        """A learner sees their own; an organization's admins see their staff's."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        orgs = organization_ids(user, admin=True)
        return self.filter(
            models.Q(user=user) | models.Q(user__organization_memberships__organization__in=orgs)
        ).distinct()


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="systems_enrolments"
    )
    path = models.ForeignKey(LearningPath, models.CASCADE, related_name="enrolments")
    # {competency slug: 1-5} before the first module and after the last one.
    pre_confidence = models.JSONField(default=dict, blank=True)
    post_confidence = models.JSONField(default=dict, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="systems_enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.path}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @staticmethod
    def mean(ratings: dict) -> float | None:
        values = [v for v in ratings.values() if isinstance(v, int)]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def confidence_change(self) -> float | None:
        before, after = self.mean(self.pre_confidence), self.mean(self.post_confidence)
        return None if before is None or after is None else round(after - before, 1)


class ModuleProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="modules_progress")
    module = models.ForeignKey(Module, models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="systems_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.module}"


class Certificate(models.Model):
    """Issued once a learner passes every module and answers the closing self-assessment.
    What it says is copied at issue time, so later edits to the path do not change it."""

    code = models.CharField(max_length=14, unique=True, default=new_certificate_code)
    enrolment = models.OneToOneField(Enrolment, models.CASCADE, related_name="certificate")
    holder_name = models.CharField(_("awarded to"), max_length=200)
    path_title = models.CharField(_("learning path"), max_length=200)
    ce_hours = models.DecimalField(_("continuing-education hours"), max_digits=4, decimal_places=1)
    competencies = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("systems:certificate", args=[self.code])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
