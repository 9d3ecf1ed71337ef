"""Observe: instruments, sites and their staff, families, consent, encounters, responses.

Access is written once here: ``Site.objects.visible_to(user)``,
``Family.objects.visible_to(user)`` (and the same for encounters, responses, alerts) give
staff of a site the families of that site only, like REDCap's data access groups. Network
staff get nothing unless they are also site staff.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.observe.engine.definition import Definition, parse_definition, pick

# Corrected age is used until this chronological age (common practice for preterm infants).
CORRECT_AGE_UNTIL_DAYS = 730
TERM_WEEKS = 40
DAYS_PER_MONTH = 30.4375


class Instrument(models.Model):
    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("instrument")

    def __str__(self) -> str:
        return self.name


_DEFINITIONS: dict[int, Definition] = {}


class InstrumentVersionQuerySet(models.QuerySet):
    def published(self) -> InstrumentVersionQuerySet:
        return self.filter(status=InstrumentVersion.Status.PUBLISHED)

    def latest_published(self) -> list[InstrumentVersion]:
        """The newest published version of each instrument."""
        newest: dict[int, InstrumentVersion] = {}
        for version in self.published().select_related("instrument").order_by("published_at"):
            newest[version.instrument_id] = version
        return sorted(newest.values(), key=lambda v: v.instrument.slug)


class InstrumentVersion(models.Model):
    """One version of an instrument. Once published its definition never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Source(models.TextChoices):
        BUNDLED = "bundled", _("Bundled with Kindred")
        FHIR = "fhir", _("Imported FHIR Questionnaire")
        REDCAP = "redcap", _("Imported REDCap dictionary")

    instrument = models.ForeignKey(
        Instrument, models.CASCADE, related_name="versions", verbose_name=_("instrument")
    )
    version = models.CharField(_("version"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.BUNDLED
    )
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument__slug", "-published_at"]
        verbose_name = _("instrument version")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="observe_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.slug} {self.version}"

    @property
    def spec(self) -> Definition:
        """The parsed definition (cached for published versions, which never change)."""
        if self.status != self.Status.DRAFT and self.pk in _DEFINITIONS:
            return _DEFINITIONS[self.pk]
        spec = parse_definition(self.definition)
        if self.status != self.Status.DRAFT:
            _DEFINITIONS[self.pk] = spec
        return spec

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def title(self, language: str = "en") -> str:
        return self.spec.title(language)


# --- sites and staff ------------------------------------------------------------------------


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user) -> SiteQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user=user)


class Site(models.Model):
    """A clinic or program of an organization, where families are seen."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Pediatric clinic")
        HOME_VISITING = "home_visiting", _("Home-visiting program")
        DOULA = "doula", _("Doula program")
        COMMUNITY = "community", _("Community program")

    organization = models.ForeignKey(
        "network.Organization",
        models.PROTECT,
        related_name="observe_sites",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # {instrument slug: [visit ages in months]}; empty means each instrument's own schedule.
    schedule = models.JSONField(_("screening schedule"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("observe:site", args=[self.slug])

    def membership_for(self, user) -> SiteMembership | None:
        if not getattr(user, "is_authenticated", False):
            return None
        cache = self.__dict__.setdefault("_membership_cache", {})
        if user.pk not in cache:
            cache[user.pk] = self.memberships.filter(user=user).first()
        return cache[user.pk]

    def remember_membership(self, user, membership: SiteMembership) -> None:
        self.__dict__.setdefault("_membership_cache", {})[user.pk] = membership

    def schedule_for(self, defn: Definition) -> list[float]:
        months = self.schedule.get(defn.slug)
        return list(months) if isinstance(months, list) else list(defn.schedule_months)


class SiteMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Site administrator")
        CLINICIAN = "clinician", _("Clinician or observer")
        NAVIGATOR = "navigator", _("Navigator")
        READ_ONLY = "read_only", _("Read-only")

    site = models.ForeignKey(Site, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="site_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site staff member")
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="observe_site_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def can_screen(self) -> bool:
        """Clinicians/observers and site admins enter, amend and score screens."""
        return self.role in {self.Role.ADMIN, self.Role.CLINICIAN}

    @property
    def can_edit_families(self) -> bool:
        return self.role != self.Role.READ_ONLY


class ContentPack(models.Model):
    """A site's licensed wording for one instrument version (checked against its structure)."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="content_packs")
    instrument_version = models.ForeignKey(
        InstrumentVersion, models.CASCADE, related_name="content_packs"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    texts = models.JSONField(default=dict)
    intro = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("content pack")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "instrument_version", "language"], name="observe_pack_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} ({self.language}) @ {self.site}"


# --- families -------------------------------------------------------------------------------


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user) -> FamilyQuerySet:
        """Families of the sites where ``user`` is staff; nobody else sees any."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(site__memberships__user=user)

    def with_research_consent(self) -> FamilyQuerySet:
        """Families whose latest research consent is a yes that has not been withdrawn:
        what a research extract may include (withdrawal stops future use)."""
        latest = Consent.objects.filter(family=OuterRef("pk"), kind=Consent.Kind.RESEARCH)
        latest = latest.order_by("-recorded_at", "-id")
        return self.annotate(
            research_ok=Subquery(latest.values("granted")[:1]),
            research_withdrawn=Subquery(latest.values("withdrawn_at")[:1]),
        ).filter(research_ok=True, research_withdrawn__isnull=True)


def new_family_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "F-" + "".join(secrets.choice(alphabet) for _ in range(7))


class Family(models.Model):
    """A caregiver and child seen together (a dyad)."""

    class Contact(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        IN_PERSON = "in_person", _("At visits only")

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GRANDPARENT = "grandparent", _("Grandparent")
        FOSTER = "foster", _("Foster parent")
        OTHER = "other", _("Other caregiver")

    site = models.ForeignKey(Site, models.PROTECT, related_name="families")
    code = models.CharField(_("family code"), max_length=12, unique=True, default=new_family_code)
    caregiver_name = models.CharField(_("caregiver's name"), max_length=150)
    caregiver_relationship = models.CharField(
        _("relationship to the child"),
        max_length=12,
        choices=Relationship.choices,
        default=Relationship.MOTHER,
    )
    child_name = models.CharField(_("child's name"), max_length=150)
    child_dob = models.DateField(_("child's date of birth"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    gestational_age_weeks = models.PositiveSmallIntegerField(
        _("gestational age at birth (weeks)"), null=True, blank=True
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    contact_preference = models.CharField(
        _("how to reach them"), max_length=10, choices=Contact.choices, default=Contact.PHONE
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["caregiver_name", "id"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        indexes = [models.Index(fields=["site", "child_dob"], name="observe_family_site_dob")]

    def __str__(self) -> str:
        # Never a name: this label goes into the audit log.
        return _("Family %(code)s") % {"code": self.code}

    def get_absolute_url(self) -> str:
        return reverse("observe:family", args=[self.pk])

    def age_days(self, on: dt.date | None = None) -> int:
        return ((on or timezone.localdate()) - self.child_dob).days

    def corrected_age_days(self, on: dt.date | None = None) -> int:
        """Age from the due date for babies born early, until two years of age."""
        age = self.age_days(on)
        if age >= CORRECT_AGE_UNTIL_DAYS:
            return age
        if self.due_date and self.due_date > self.child_dob:
            return max(age - (self.due_date - self.child_dob).days, 0)
        if self.gestational_age_weeks and self.gestational_age_weeks < 37:
            return max(age - (TERM_WEEKS - self.gestational_age_weeks) * 7, 0)
        return age

    @property
    def is_preterm(self) -> bool:
        if self.due_date and self.due_date > self.child_dob:
            return (self.due_date - self.child_dob).days > 21
        return bool(self.gestational_age_weeks and self.gestational_age_weeks < 37)

    def consent_status(self) -> dict[str, Consent | None]:
        """The latest consent record of each kind."""
        latest: dict[str, Consent | None] = dict.fromkeys(Consent.Kind.values)
        for consent in self.consents.order_by("recorded_at", "id"):
            latest[consent.kind] = consent
        return latest

    def allows(self, kind: str) -> bool:
        consent = self.consent_status().get(kind)
        return bool(consent and consent.is_active)


class Consent(models.Model):
    class Kind(models.TextChoices):
        CARE = "care", _("Care at this site")
        RESEARCH = "research", _("Research use of de-identified answers")
        SHARING = "sharing", _("Sharing with referral partners")

    family = models.ForeignKey(Family, models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent for"), max_length=10, choices=Kind.choices)
    granted = models.BooleanField(_("agreed"), default=True)
    version = models.CharField(_("form version"), max_length=30)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.version})"

    @property
    def is_active(self) -> bool:
        return self.granted and self.withdrawn_at is None


# --- encounters and responses ---------------------------------------------------------------


class EncounterQuerySet(models.QuerySet):
    def visible_to(self, user) -> EncounterQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(site__memberships__user=user)


class Encounter(models.Model):
    """One visit with a family, at which instruments are completed."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")
        ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")

    family = models.ForeignKey(Family, models.CASCADE, related_name="encounters")
    # Indexed through Meta.indexes (site first): a separate index only slows every insert.
    site = models.ForeignKey(Site, models.CASCADE, related_name="encounters", db_index=False)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("visit date"), default=timezone.localdate)
    child_age_days = models.IntegerField(_("child's age (days)"))
    corrected_age_days = models.IntegerField(_("corrected age (days)"))
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    follow_up_plan = models.TextField(_("follow-up plan"), max_length=2000, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    error_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EncounterQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("encounter")
        indexes = [
            models.Index(fields=["site", "date"], name="observe_enc_site_date"),
            models.Index(fields=["site", "follow_up_due"], name="observe_enc_followup"),
        ]

    def __str__(self) -> str:
        return _("Visit %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("observe:encounter", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def follow_up_overdue(self) -> bool:
        return bool(
            self.follow_up_due
            and not self.follow_up_done_at
            and self.follow_up_due < timezone.localdate()
        )


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResponseQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(site__memberships__user=user)

    def counted(self) -> ResponseQuerySet:
        """Submitted primary ratings: what dashboards and exports count."""
        return self.filter(
            status__in=[Response.Status.COMPLETED, Response.Status.AMENDED],
            is_second_rating=False,
        )


class Response(models.Model):
    """One instrument completed (or being completed) at an encounter."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        AMENDED = "amended", _("Amended")
        ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")

    encounter = models.ForeignKey(Encounter, models.CASCADE, related_name="responses")
    # site and family lead indexes in Meta.indexes; their own indexes would only slow inserts
    # (a response is the busiest write of a visit).
    site = models.ForeignKey(Site, models.CASCADE, related_name="+", db_index=False)
    family = models.ForeignKey(Family, models.CASCADE, related_name="responses", db_index=False)
    instrument_version = models.ForeignKey(
        InstrumentVersion, models.PROTECT, related_name="responses"
    )
    instrument_slug = models.CharField(max_length=50)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_second_rating = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    primary_score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    band_level = models.CharField(max_length=10, blank=True)
    flags = models.JSONField(default=list, blank=True)
    has_critical = models.BooleanField(default=False)
    child_age_days = models.IntegerField(default=0)
    error_reason = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("response")
        indexes = [
            models.Index(fields=["site", "instrument_slug", "status"], name="observe_resp_site"),
            models.Index(fields=["family", "submitted_at"], name="observe_resp_family"),
            models.Index(fields=["site", "submitted_at"], name="observe_resp_site_time"),
        ]

    def __str__(self) -> str:
        return _("Response %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("observe:response", args=[self.pk])

    @property
    def spec(self) -> Definition:
        return self.instrument_version.spec

    @property
    def is_submitted(self) -> bool:
        return self.status in {self.Status.COMPLETED, self.Status.AMENDED}

    @property
    def fhir_status(self) -> str:
        return self.status.replace("_", "-")

    def band_label(self, language: str = "en", *, family: bool = False) -> str:
        scale = self.spec.primary_scale
        if scale is None:
            return ""
        for band in scale.bands:
            if band.code == self.band:
                return pick(band.family_label if family else band.label, language)
        return ""


class ResponseRevision(models.Model):
    """What a response said before it was amended or marked in error (history kept)."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="revisions")
    answers = models.JSONField()
    scores = models.JSONField()
    status = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("response revision")

    def __str__(self) -> str:
        return f"{self.response} @ {self.created:%Y-%m-%d}"


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user) -> AlertQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(site__memberships__user=user)

    def unresolved(self) -> AlertQuerySet:
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    """A critical answer (e.g. thoughts of self-harm) that needs action at this visit."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="alert_set")
    encounter = models.ForeignKey(Encounter, models.CASCADE, related_name="alerts")
    site = models.ForeignKey(Site, models.CASCADE, related_name="alerts", db_index=False)
    code = models.CharField(max_length=40)
    item = models.CharField(max_length=100)
    message = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("what was done"), max_length=2000, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("alert")
        indexes = [models.Index(fields=["site", "resolved_at"], name="observe_alert_open")]

    def __str__(self) -> str:
        return _("Alert %(id)s") % {"id": self.pk}
