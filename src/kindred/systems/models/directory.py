"""The service directory, shaped after Open Referral HSDS 3.1 (``service``, ``location``,
``service_at_location``, ``schedule``); ``kindred.systems.hsds`` writes the HSDS JSON."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.network.models import Language, Organization
from kindred.places.models import County, State, ZipCode
from kindred.systems.models.access import is_staff, organization_ids

# Namespace for ids we derive (an organization's HSDS id, taxonomy terms, phones...).
HSDS_NAMESPACE = uuid.UUID("6f1d4b8e-3c1a-4f6e-9b0a-2d7c5e8a9f10")


class Need(models.Model):
    """What a service helps with (our HSDS taxonomy); seeded by a data migration."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("need")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en

    @property
    def hsds_id(self) -> str:
        return str(uuid.uuid5(HSDS_NAMESPACE, f"need:{self.slug}"))


class OrganizationHsdsId(models.Model):
    """The stable HSDS (UUID) identifier of a network organization that lists services."""

    organization = models.OneToOneField(
        Organization, models.CASCADE, primary_key=True, related_name="hsds"
    )
    hsds_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("HSDS identifier")

    def __str__(self) -> str:
        return str(self.hsds_id)


class ServiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServiceQuerySet:
        """Listed services are public; inactive ones only to their organization and staff."""
        active = models.Q(status=Service.Status.ACTIVE)
        if is_staff(user):
            return self.all()
        mine = organization_ids(user)
        return (
            self.filter(active | models.Q(organization__in=mine)) if mine else self.filter(active)
        )

    def active(self) -> ServiceQuerySet:
        return self.filter(status=Service.Status.ACTIVE)

    def search(
        self,
        *,
        need: Need | None = None,
        county: County | None = None,
        state: State | None = None,
        age_months: int | None = None,
        language: str | None = None,
        text: str = "",
    ) -> ServiceQuerySet:
        """Filters combine with AND. A service with no age limits serves every age.

        The related filters (need, place, language) are intersected inside their through
        tables' indexes, nested as ``service_id IN (...)``, and only the few ids left are
        looked up in the service table: with 20,000 services this is several times faster
        than probing each service with EXISTS (the first plan SQLite chose)."""
        qs = self
        parts = []
        if county is not None:
            parts.append(Service.counties.through.objects.filter(county_id=county.pk))
        elif state is not None:
            parts.append(Service.counties.through.objects.filter(county__state_id=state.pk))
        if language:
            parts.append(Service.languages.through.objects.filter(language_id=language))
        if need is not None:
            parts.append(Service.needs.through.objects.filter(need_id=need.pk))
        ids = None
        for part in parts:
            ids = (part if ids is None else part.filter(service_id__in=ids)).values("service_id")
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        if age_months is not None:
            qs = qs.filter(
                models.Q(min_age_months__isnull=True) | models.Q(min_age_months__lte=age_months),
                models.Q(max_age_months__isnull=True) | models.Q(max_age_months__gte=age_months),
            )
        for word in text.lower().split()[:6]:
            qs = qs.filter(search_text__contains=word)
        return qs


class Service(models.Model):
    class Status(models.TextChoices):
        # The HSDS status values, as HSDS spells them.
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("No longer offered")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    class Capacity(models.TextChoices):
        ACCEPTING = "accepting", _("Accepting new families")
        WAITLIST = "waitlist", _("Waitlist")
        FULL = "full", _("Full for now")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        SLIDING = "sliding", _("Sliding scale")
        INSURANCE = "insurance", _("Covered by Medicaid or insurance")
        FEE = "fee", _("Fee")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        related_name="systems_services",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    needs = models.ManyToManyField(Need, related_name="services", verbose_name=_("helps with"))
    eligibility_description = models.TextField(_("who is eligible"), max_length=2000, blank=True)
    min_age_months = models.PositiveSmallIntegerField(
        _("youngest age served (months)"), null=True, blank=True
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("oldest age served (months)"), null=True, blank=True
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="systems_services", verbose_name=_("languages")
    )
    interpretation_services = models.CharField(_("interpretation"), max_length=300, blank=True)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    fees_description = models.CharField(_("about the cost"), max_length=500, blank=True)
    counties = models.ManyToManyField(
        County, blank=True, related_name="systems_services", verbose_name=_("service area")
    )
    application_process = models.TextField(_("how to refer"), max_length=2000, blank=True)
    accepts_referrals = models.BooleanField(_("accepts referrals through Kindred"), default=True)
    capacity = models.CharField(
        _("capacity"), max_length=10, choices=Capacity.choices, default=Capacity.ACCEPTING
    )
    capacity_updated = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True, db_index=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        # Not (status, name): nearly every service is active, and SQLite would then scan that
        # index rather than look up the few ids a search's IN (...) filters give.
        indexes = [models.Index(fields=["name", "id"], name="systems_service_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age_months__isnull=True)
                | models.Q(max_age_months__isnull=True)
                | models.Q(min_age_months__lte=models.F("max_age_months")),
                name="systems_service_ages_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("systems:service", args=[self.pk])

    def can_edit(self, user) -> bool:
        return is_staff(user) or self.organization_id in organization_ids(user, admin=True)

    @property
    def ages_label(self) -> str:
        from kindred.systems.text import age_range

        return age_range(self.min_age_months, self.max_age_months)


class ServiceLocation(models.Model):
    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("A place to visit")
        VIRTUAL = "virtual", _("Online or by phone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    location_type = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.PHYSICAL
    )
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    zip_code = models.ForeignKey(
        ZipCode, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ZIP")
    )
    county = models.ForeignKey(County, models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.ForeignKey(State, models.SET_NULL, null=True, blank=True, related_name="+")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    transportation = models.CharField(_("getting there"), max_length=300, blank=True)
    services = models.ManyToManyField(
        Service, through="ServiceAtLocation", related_name="locations"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(ServiceLocation, models.CASCADE, related_name="at_locations")
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["service", "location"]
        verbose_name = _("service at a location")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="systems_sal_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Schedule(models.Model):
    """When a service is open, as an iCalendar RRULE subset (HSDS ``schedule``)."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("Every week")
        MONTHLY = "MONTHLY", _("Every month")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=7, choices=Freq.choices, default=Freq.WEEKLY)
    byday = models.CharField(_("days"), max_length=40, blank=True, help_text="MO,TU,WE")
    opens_at = models.TimeField(_("opens"), null=True, blank=True)
    closes_at = models.TimeField(_("closes"), null=True, blank=True)
    description = models.CharField(_("when"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "id"]
        verbose_name = _("schedule")

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday}"
