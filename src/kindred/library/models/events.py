from __future__ import annotations

import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.library.models.resources import is_staff
from kindred.library.text import render_markdown
from kindred.network.models import (
    Community,
    CommunityMembership,
    Organization,
    OrganizationMembership,
)
from kindred.places.models import County, State, ZipCode

# The time zones of US states and territories, for the event form.
TIME_ZONES = [
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Arizona (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico)")),
    ("Pacific/Guam", _("Chamorro (Guam)")),
    ("Pacific/Pago_Pago", _("Samoa (Pago Pago)")),
]


class EventQuerySet(models.QuerySet):
    def public(self) -> EventQuerySet:
        return self.filter(status__in=[Event.Status.SCHEDULED, Event.Status.CANCELLED])

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")

    def visible_to(self, user) -> EventQuerySet:
        """Scheduled (and cancelled) events are public; proposals are for the person who
        proposed them, the hosts' organizers and network staff."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.public()
        organizes = CommunityMembership.objects.filter(
            user=user,
            role=CommunityMembership.Role.ORGANIZER,
            status=CommunityMembership.Status.ACTIVE,
        ).values("community")
        administers = OrganizationMembership.objects.filter(
            user=user, role=OrganizationMembership.Role.ADMIN
        ).values("organization")
        return self.filter(
            Q(status__in=[Event.Status.SCHEDULED, Event.Status.CANCELLED])
            | Q(proposed_by=user)
            | Q(host_community__in=organizes)
            | Q(host_organization__in=administers)
        )


class Event(models.Model):
    """A gathering, online or in person, hosted by a community or an organization."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for approval")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Not approved")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, help_text=_("Markdown."))
    host_community = models.ForeignKey(
        Community,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="library_events",
        verbose_name=_("hosting community"),
    )
    host_organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="library_events",
        verbose_name=_("hosting organization"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    zip_code = models.ForeignKey(
        ZipCode, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ZIP")
    )
    county = models.ForeignKey(County, models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.ForeignKey(
        State, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=TIME_ZONES, default="America/New_York"
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="library_events", verbose_name=_("topics")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # Incremented on every change a calendar should pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    review_note = models.TextField(_("note to the host"), max_length=2000, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        indexes = [models.Index(fields=["status", "starts_at"], name="library_event_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_community__isnull=False, host_organization__isnull=True)
                | Q(host_community__isnull=True, host_organization__isnull=False),
                name="library_event_one_host",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="library_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:event-detail", args=[self.slug])

    @property
    def host(self) -> Community | Organization:
        return self.host_community or self.host_organization

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.tz)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.tz)

    @property
    def is_online(self) -> bool:
        return self.mode in {self.Mode.ONLINE, self.Mode.HYBRID}

    @property
    def is_in_person(self) -> bool:
        return self.mode in {self.Mode.IN_PERSON, self.Mode.HYBRID}

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_open_for_rsvp(self) -> bool:
        return self.status == self.Status.SCHEDULED and not self.is_past

    @property
    def place_label(self) -> str:
        parts = [self.venue_name, self.address]
        if self.county_id:
            parts.append(f"{self.county.name}, {self.county.state.usps}")
        elif self.state_id:
            parts.append(self.state.name)
        return ", ".join(part for part in parts if part)

    @cached_property
    def description_html(self) -> str:
        return render_markdown(self.description)

    def can_manage(self, user) -> bool:
        """Organizers of the hosting community, admins of the hosting organization and
        network staff approve, edit and cancel the event."""
        if is_staff(user):
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.host_community_id:
            return self.host_community.can_organize(user)
        return self.host_organization.can_edit(user)

    def can_edit(self, user) -> bool:
        if self.can_manage(user):
            return True
        return (
            getattr(user, "is_authenticated", False)
            and user.pk == self.proposed_by_id
            and self.status == self.Status.PROPOSED
        )


class TrustedHost(models.Model):
    """A member whose events for this community or organization skip review (Mobilize's
    "trusted host")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="library_trusted_hosting"
    )
    community = models.ForeignKey(
        Community, models.CASCADE, null=True, blank=True, related_name="library_trusted_hosts"
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, null=True, blank=True, related_name="library_trusted_hosts"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trusted host")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="library_trusted_community_once",
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(organization__isnull=False),
                name="library_trusted_org_once",
            ),
            models.CheckConstraint(
                condition=Q(community__isnull=False, organization__isnull=True)
                | Q(community__isnull=True, organization__isnull=False),
                name="library_trusted_one_host",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} trusted by {self.community or self.organization}"


class RSVP(models.Model):
    """A member's or guest's place at an event, or their place on its waitlist."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Not going")

    event = models.ForeignKey(Event, models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="library_rsvps",
    )
    name = models.CharField(_("name"), max_length=150)
    # Lower-cased by the services, so (event, email) is one place per person.
    email = models.EmailField(_("email address"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The language this person's emails are written in.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="en")
    # When this person last asked for a place: the waitlist is served in this order.
    requested_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("RSVP")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="library_rsvp_once")]
        indexes = [
            models.Index(fields=["event", "status", "requested_at"], name="library_rsvp_queue")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.event_id} ({self.status})"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a member's personal calendar feed (resettable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="library_calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("library:member-feed", args=[self.token])
