"""Commitments: an organization, or a coalition across sectors, commits publicly to a change
in practice or policy, with milestones, progress updates and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.network.models import Organization
from kindred.places.models import State
from kindred.systems.models.access import is_staff, organization_ids


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        """Commitments are public; the rule lives here so that it can change once."""
        return self.all()

    def in_state(self, state: State) -> CommitmentQuerySet:
        return self.filter(states=state)

    def of_sector(self, sector) -> CommitmentQuerySet:
        """Made by an organization of ``sector``, as lead or as a coalition partner."""
        ids = Organization.objects.filter(sectors=sector).values("pk")
        return self.filter(Q(organization__in=ids) | Q(partners__in=ids)).distinct()


class Commitment(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Change in practice")
        POLICY = "policy", _("Change in policy")
        PAYMENT = "payment", _("Payment and financing")
        WORKFORCE = "workforce", _("Workforce")
        FAMILY_VOICE = "family_voice", _("Family voice and governance")
        DATA = "data", _("Data and measurement")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        KEPT = "kept", _("Kept")
        OFF_TRACK = "off_track", _("Needs attention")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("what we commit to"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    description = models.TextField(_("why and how"), max_length=5000, blank=True)
    kind = models.CharField(_("type"), max_length=15, choices=Kind.choices, db_index=True)
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        related_name="systems_commitments",
        verbose_name=_("lead organization"),
    )
    partners = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="systems_commitments_as_partner",
        verbose_name=_("coalition partners"),
    )
    states = models.ManyToManyField(
        State, blank=True, related_name="systems_commitments", verbose_name=_("states")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    made_on = models.DateField(_("made on"), default=timezone.localdate)
    target_date = models.DateField(_("to be kept by"), null=True, blank=True)
    kept_on = models.DateField(_("kept on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = _("commitment")
        indexes = [models.Index(fields=["status", "kind"], name="systems_commitment_filter")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("systems:commitment", args=[self.slug])

    def can_edit(self, user) -> bool:
        """Admins of the lead organization or of a partner, and network staff."""
        if is_staff(user):
            return True
        mine = set(organization_ids(user, admin=True))
        if not mine:
            return False
        if self.organization_id in mine:
            return True
        return self.partners.filter(pk__in=mine).exists()

    @property
    def is_coalition(self) -> bool:
        return self.partners.exists()

    def progress(self) -> tuple[int, int]:
        """(milestones done, milestones in all); uses prefetched milestones when there."""
        milestones = list(self.milestones.all())
        return sum(1 for m in milestones if m.done_on), len(milestones)

    @property
    def percent(self) -> int:
        if self.status == self.Status.KEPT:
            return 100
        done, total = self.progress()
        return round(100 * done / total) if total else 0


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "due_on", "id"]
        verbose_name = _("milestone")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return not self.done_on and self.due_on < timezone.localdate()


def evidence_path(instance: ProgressUpdate, filename: str) -> str:
    return f"systems/evidence/{instance.commitment_id}/{filename}"


class ProgressUpdate(models.Model):
    """A report of progress, optionally reaching a milestone, with a link or a file as
    evidence."""

    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="updates")
    milestone = models.ForeignKey(
        Milestone,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("milestone reached"),
    )
    body = models.TextField(_("what changed"), max_length=4000)
    evidence_url = models.URLField(_("link to evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    status_after = models.CharField(max_length=12, choices=Commitment.Status.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("progress update")

    def __str__(self) -> str:
        return f"{self.commitment} · {self.created:%Y-%m-%d}"
