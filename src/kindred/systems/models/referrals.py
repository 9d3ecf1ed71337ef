"""Closed-loop referrals: from an organization (or one of its sites) to a service, with the
family's consent and only the information they agreed to share."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Sector
from kindred.network.models import Organization
from kindred.places.models import State
from kindred.systems.models.access import is_staff, organization_ids
from kindred.systems.models.directory import Service


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Both sides see a referral: members of the sending and of the receiving
        organization, and the person who sent it. Network staff have no special access:
        referrals carry family information."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        orgs = organization_ids(user)
        return self.filter(
            models.Q(created_by=user)
            | models.Q(from_organization__in=orgs)
            | models.Q(to_organization__in=orgs)
        )

    def open(self) -> ReferralQuerySet:
        return self.exclude(status__in=Referral.CLOSED)

    def overdue(self) -> ReferralQuerySet:
        return self.filter(due_at__lt=timezone.now())


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CONTACTED = "contacted", _("Family contacted")
        STARTED = "service_started", _("Service started")
        COMPLETED = "completed", _("Completed")
        UNREACHABLE = "could_not_reach", _("Could not reach")
        CANCELLED = "cancelled", _("Withdrawn by the sender")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine (within a week)")
        SOON = "soon", _("Soon (within 3 days)")
        URGENT = "urgent", _("Urgent (within a day)")

    class SubjectKind(models.TextChoices):
        FAMILY = "family", _("A family")
        MEMBER = "member", _("A network member")

    # Which moves are allowed from each status (the receiving side records outcomes; the
    # sender may withdraw). Anything else is refused with a message.
    MOVES = {
        "sent": {"accepted", "declined", "cancelled"},
        "accepted": {"contacted", "service_started", "completed", "could_not_reach", "cancelled"},
        "contacted": {"service_started", "completed", "could_not_reach"},
        "service_started": {"completed", "could_not_reach"},
        "could_not_reach": {"contacted"},
        "declined": set(),
        "completed": set(),
        "cancelled": set(),
    }
    CLOSED = ("declined", "completed", "cancelled", "could_not_reach")
    OUTCOMES = ("contacted", "service_started", "completed", "could_not_reach")
    # How long the receiving side has to answer, by urgency, and then to record an outcome.
    ANSWER_WITHIN = {
        "urgent": timedelta(days=1),
        "soon": timedelta(days=3),
        "routine": timedelta(days=7),
    }
    OUTCOME_WITHIN = timedelta(days=30)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="systems_referrals"
    )
    from_organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="referrals_sent", verbose_name=_("from")
    )
    from_site_label = models.CharField(_("site"), max_length=200, blank=True)
    service = models.ForeignKey(
        Service, models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    to_organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="referrals_received", verbose_name=_("to")
    )
    subject_kind = models.CharField(max_length=6, choices=SubjectKind.choices)
    subject_ref = models.CharField(max_length=64)
    # Only what the family agreed to share: first name or initials, language, child's age
    # in months, and a way to reach them when they chose to share one.
    shared_info = models.JSONField(default=dict)
    consent_to_share = models.BooleanField()
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Sector of each side when sent (first sector of each organization), for the silo
    # metrics; the state whose figures it counts in (the receiving organization's).
    from_sector = models.ForeignKey(Sector, models.SET_NULL, null=True, related_name="+")
    to_sector = models.ForeignKey(Sector, models.SET_NULL, null=True, related_name="+")
    state = models.ForeignKey(State, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("referral")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_to_share=True), name="systems_referral_consent"
            )
        ]
        indexes = [
            # With the id, these cover the inbox's id-only page query (see views.referrals).
            models.Index(
                fields=["to_organization", "-created", "id"], name="systems_ref_inbox_ids"
            ),
            models.Index(
                fields=["to_organization", "status", "-created"], name="systems_ref_inbox_status"
            ),
            models.Index(
                fields=["from_organization", "-created", "id"], name="systems_ref_outbox_ids"
            ),
            models.Index(fields=["to_organization", "due_at"], name="systems_ref_due"),
            models.Index(fields=["state", "status"], name="systems_ref_state"),
        ]

    def __str__(self) -> str:
        # Never a name: this label goes into the audit log.
        return _("Referral %(ref)s") % {"ref": str(self.pk)[:8]}

    def get_absolute_url(self) -> str:
        return reverse("systems:referral", args=[self.pk])

    @property
    def short_ref(self) -> str:
        return str(self.pk)[:8].upper()

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def crosses_sectors(self) -> bool:
        return bool(self.from_sector_id and self.to_sector_id) and (
            self.from_sector_id != self.to_sector_id
        )

    def is_receiver(self, user) -> bool:
        return self.to_organization_id in organization_ids(user)

    def is_sender(self, user) -> bool:
        return self.created_by_id == getattr(user, "pk", None) or (
            self.from_organization_id in organization_ids(user)
        )

    def allowed_moves(self, user) -> list[str]:
        """The statuses ``user`` may move this referral to now."""
        moves = self.MOVES.get(self.status, set())
        allowed = set()
        if self.is_receiver(user):
            allowed |= moves - {"cancelled"}
        if self.is_sender(user) and "cancelled" in moves:
            allowed.add("cancelled")
        return [value for value in self.Status.values if value in allowed]

    @property
    def shared_first_name(self) -> str:
        return str(self.shared_info.get("first_name", ""))


class ReferralEvent(models.Model):
    """One step in a referral's history; both sides see it."""

    referral = models.ForeignKey(Referral, models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=Referral.Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_organization = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("referral event")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"


def staff_can_see_metrics(user) -> bool:
    return is_staff(user)
