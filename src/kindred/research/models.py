"""Research: the agenda (questions and Delphi rounds), studies, data requests and their
de-identified datasets, and published findings.

Access is written once here and in ``access.py``: questions, rounds, studies and published
findings are public pages; data requests and datasets are visible only to the study's lead
and team and to data stewards (``DataRequest.objects.visible_to(user)``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


def is_curator(user) -> bool:
    """Curators shape the agenda: network staff and people named agenda curators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_research_roles", {})
    if "curator" not in cache:
        cache["curator"] = user.agenda_curations.exists()
    return cache["curator"]


def is_steward(user) -> bool:
    """Data stewards approve data requests and build extracts (they must use MFA)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_research_roles", {})
    if "steward" not in cache:
        cache["steward"] = user.is_superuser or user.data_stewardships.exists()
    return cache["steward"]


class StakeholderGroup(models.TextChoices):
    PARENTS = "parents", _("Parents and caregivers")
    PRACTITIONERS = "practitioners", _("Practitioners")
    RESEARCHERS = "researchers", _("Researchers")
    OTHERS = "others", _("Others")


class Curator(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="agenda_curations"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda curator")
        constraints = [models.UniqueConstraint(fields=["user"], name="research_curator_once")]

    def __str__(self) -> str:
        return str(self.user)


class Steward(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="data_stewardships"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data steward")
        constraints = [models.UniqueConstraint(fields=["user"], name="research_steward_once")]

    def __str__(self) -> str:
        return str(self.user)


# --- the agenda -------------------------------------------------------------------------------


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Declined questions are seen by curators and by whoever proposed them."""
        if is_curator(user):
            return self.all()
        hidden = Q(status=Question.Status.DECLINED)
        if getattr(user, "is_authenticated", False):
            return self.exclude(hidden & ~Q(proposed_by=user))
        return self.exclude(hidden)

    def accepted(self) -> QuestionQuerySet:
        return self.filter(status=Question.Status.ACCEPTED)


class Question(models.Model):
    class Theme(models.TextChoices):
        IMPACT = "impact", _("Impact on development and well-being")
        PROMOTION = "promotion", _("How to promote it")
        BARRIERS = "barriers", _("What gets in the way")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged into another question")
        DECLINED = "declined", _("Not taken forward")

    title = models.CharField(_("question"), max_length=300)
    why = models.TextField(_("why it matters"), max_length=3000)
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    populations = models.CharField(_("populations"), max_length=300, blank=True)
    care_settings = models.CharField(_("settings"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_research_questions"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("research question")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:question", args=[self.pk])

    def can_edit(self, user) -> bool:
        """Curators edit any question; the proposer edits theirs until it is decided."""
        if is_curator(user):
            return True
        return bool(
            getattr(user, "is_authenticated", False)
            and self.proposed_by_id == user.pk
            and self.status == self.Status.PROPOSED
        )


class QuestionComment(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return self.body[:60]


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Draft rounds are for curators; open and closed rounds are public."""
        if is_curator(user):
            return self.all()
        return self.exclude(status=Round.Status.DRAFT)


class Round(models.Model):
    """A Delphi round: a panel rates questions 1–9; the next round shows the last results."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for rating")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    number = models.PositiveSmallIntegerField(_("round number"), default=1)
    previous = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("previous round"),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    open_enrolment = models.BooleanField(_("members may join the panel themselves"), default=False)
    # The consensus rule: at least agree_percent rate high_from–9 and at most
    # disagree_percent rate 1–low_to, with each stakeholder group weighted equally.
    high_from = models.PositiveSmallIntegerField(
        _("high ratings start at"),
        default=7,
        validators=[MinValueValidator(5), MaxValueValidator(9)],
    )
    low_to = models.PositiveSmallIntegerField(
        _("low ratings end at"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    agree_percent = models.PositiveSmallIntegerField(
        _("consensus: at least this percentage rate high"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    disagree_percent = models.PositiveSmallIntegerField(
        _("consensus: at most this percentage rate low"),
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    questions = models.ManyToManyField(
        Question, through="RoundQuestion", related_name="rounds", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("prioritisation round")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def panelist_for(self, user) -> Panelist | None:
        if not getattr(user, "is_authenticated", False):
            return None
        return self.panelists.filter(user=user).first()

    def can_see_results(self, user) -> bool:
        return self.status == self.Status.CLOSED or is_curator(user)


class RoundQuestion(models.Model):
    round = models.ForeignKey(Round, models.CASCADE, related_name="round_questions")
    question = models.ForeignKey(Question, models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="research_round_q_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.question_id}"


class Panelist(models.Model):
    round = models.ForeignKey(Round, models.CASCADE, related_name="panelists")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="research_panels"
    )
    group = models.CharField(
        _("stakeholder group"), max_length=14, choices=StakeholderGroup.choices
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("panelist")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="research_panelist_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_group_display()})"


class Rating(models.Model):
    round = models.ForeignKey(Round, models.CASCADE, related_name="ratings")
    question = models.ForeignKey(Question, models.CASCADE, related_name="ratings")
    panelist = models.ForeignKey(Panelist, models.CASCADE, related_name="ratings")
    # Copied from the panelist so that results are one grouped scan of this table.
    group = models.CharField(max_length=14, choices=StakeholderGroup.choices)
    score = models.PositiveSmallIntegerField(
        _("importance"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating")
        constraints = [
            models.UniqueConstraint(fields=["panelist", "question"], name="research_rate_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=9), name="research_rating_1_9"
            ),
        ]
        indexes = [
            models.Index(
                fields=["round", "question", "group", "score"], name="research_rating_results"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


# --- studies ----------------------------------------------------------------------------------


class Study(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECRUITING = "recruiting", _("Recruiting")
        ACTIVE = "active", _("Under way")
        ANALYSIS = "analysis", _("Analysing results")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    class Ethics(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("Not yet submitted")
        PENDING = "pending", _("Under review")
        APPROVED = "approved", _("Approved")
        EXEMPT = "exempt", _("Exempt")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=4000)
    questions = models.ManyToManyField(
        Question, blank=True, related_name="studies", verbose_name=_("questions addressed")
    )
    # SET_NULL: deleting an account never deletes a study's public record.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_studies",
        verbose_name=_("lead"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="research_studies",
        verbose_name=_("team"),
    )
    sites = models.ManyToManyField(
        "observe.Site", blank=True, related_name="studies", verbose_name=_("sites")
    )
    instruments = models.ManyToManyField(
        "observe.Instrument", blank=True, related_name="studies", verbose_name=_("instruments")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    registration_id = models.CharField(_("registration ID"), max_length=100, blank=True)
    protocol_url = models.URLField(_("protocol link"), blank=True)
    ethics_status = models.CharField(
        _("ethics approval"), max_length=14, choices=Ethics.choices, default=Ethics.NOT_SUBMITTED
    )
    ethics_board = models.CharField(_("ethics board"), max_length=200, blank=True)
    ethics_reference = models.CharField(_("ethics reference"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:study", args=[self.slug])

    def is_team(self, user) -> bool:
        """The lead and the team may request data and see the study's datasets."""
        if not getattr(user, "is_authenticated", False):
            return False
        if self.lead_id is not None and self.lead_id == user.pk:
            return True
        cache = self.__dict__.setdefault("_team_cache", {})
        if user.pk not in cache:
            cache[user.pk] = self.team.filter(pk=user.pk).exists()
        return cache[user.pk]

    def can_edit(self, user) -> bool:
        is_lead = self.lead_id is not None and self.lead_id == getattr(user, "pk", None)
        return bool(getattr(user, "is_authenticated", False) and is_lead) or is_curator(user)


# --- data requests and datasets ---------------------------------------------------------------


class DataRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> DataRequestQuerySet:
        """Stewards see every request; researchers see their studies' requests only."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_steward(user):
            return self.all()
        return self.filter(Q(study__lead=user) | Q(study__team=user)).distinct()


class DataRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the data steward")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    study = models.ForeignKey(Study, models.CASCADE, related_name="data_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    purpose = models.TextField(_("what the data will be used for"), max_length=4000)
    instruments = models.ManyToManyField(
        "observe.Instrument", related_name="+", verbose_name=_("instruments")
    )
    sites = models.ManyToManyField("observe.Site", related_name="+", verbose_name=_("sites"))
    date_from = models.DateField(_("visits from"), null=True, blank=True)
    date_to = models.DateField(_("visits until"), null=True, blank=True)
    variables = models.JSONField(_("variables"), default=list, blank=True)
    quasi_identifiers = models.JSONField(_("quasi-identifiers"), default=list, blank=True)
    k = models.PositiveSmallIntegerField(
        _("k (smallest group size)"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=2000, blank=True)
    dua_reference = models.CharField(_("data use agreement reference"), max_length=100, blank=True)
    dua_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    dua_expires_on = models.DateField(_("agreement ends on"), null=True, blank=True)
    dua_terms = models.TextField(_("agreement terms"), max_length=4000, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("data request")

    def __str__(self) -> str:
        return _("Data request %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("research:request", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def latest_dataset(self) -> Dataset | None:
        return self.datasets.order_by("-created", "-id").first()


class Dataset(models.Model):
    """One build of a request's de-identified extract (a request may be rebuilt)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be built")

    request = models.ForeignKey(DataRequest, models.CASCADE, related_name="datasets")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.ForeignKey(
        "core.TaskProgress", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    folder = models.CharField(max_length=500, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("downloads end"), null=True, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    family_count = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    psychometrics = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("dataset")

    def __str__(self) -> str:
        return _("Dataset %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("research:dataset", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_at and self.expires_at <= timezone.now())


# --- findings ---------------------------------------------------------------------------------


class FindingQuerySet(models.QuerySet):
    def published(self) -> FindingQuerySet:
        return self.filter(status=Finding.Status.PUBLISHED)

    def visible_to(self, user) -> FindingQuerySet:
        if is_curator(user):
            return self.all()
        if getattr(user, "is_authenticated", False):
            return self.filter(
                Q(status=Finding.Status.PUBLISHED)
                | Q(study__lead=user)
                | Q(study__team=user)
                | Q(author=user)
            ).distinct()
        return self.published()


class Finding(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_en = models.CharField(_("title (English)"), max_length=250)
    title_es = models.CharField(_("title (Spanish)"), max_length=250, blank=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    study = models.ForeignKey(
        Study, models.PROTECT, related_name="findings", verbose_name=_("study")
    )
    questions = models.ManyToManyField(
        Question, blank=True, related_name="findings", verbose_name=_("agenda questions answered")
    )
    summary_en = models.TextField(_("summary for families (English)"), max_length=4000)
    summary_es = models.TextField(_("summary for families (Spanish)"), max_length=4000, blank=True)
    details = models.TextField(_("details for researchers and practitioners"), blank=True)
    chart_title_en = models.CharField(_("chart title (English)"), max_length=200, blank=True)
    chart_title_es = models.CharField(_("chart title (Spanish)"), max_length=200, blank=True)
    # [{"label_en": ..., "label_es": ..., "value": 42.0}, ...] drawn as a bar chart.
    chart = models.JSONField(_("chart data"), default=list, blank=True)
    chart_unit = models.CharField(_("chart unit"), max_length=20, blank=True, default="%")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created", "-id"]
        verbose_name = _("finding")

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("research:finding", args=[self.slug])

    @property
    def title(self) -> str:
        return self.title_es if _spanish() and self.title_es else self.title_en

    @property
    def summary(self) -> str:
        return self.summary_es if _spanish() and self.summary_es else self.summary_en

    @property
    def chart_title(self) -> str:
        return self.chart_title_es if _spanish() and self.chart_title_es else self.chart_title_en

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def can_edit(self, user) -> bool:
        if is_curator(user):
            return True
        return self.study.is_team(user)
