from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindred.library.models.resources import Resource, is_staff
from kindred.library.text import render_markdown
from kindred.network.models import Community


class CampaignQuerySet(models.QuerySet):
    def live(self) -> CampaignQuerySet:
        return self.filter(status__in=[Campaign.Status.ACTIVE, Campaign.Status.ENDED])

    def visible_to(self, user) -> CampaignQuerySet:
        """Launched campaigns are public; drafts are for their makers, the organizers of
        their community, and network staff."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.live()
        return self.filter(
            Q(status__in=[Campaign.Status.ACTIVE, Campaign.Status.ENDED])
            | Q(created_by=user)
            | Q(
                community__memberships__user=user,
                community__memberships__role="organizer",
                community__memberships__status="active",
            )
        ).distinct()


class Campaign(models.Model):
    """An awareness campaign: a core message, resources to share and a share kit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Running")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    core_message = models.CharField(_("core message"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    community = models.ForeignKey(
        Community,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_campaigns",
        verbose_name=_("community running it"),
    )
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="campaigns", verbose_name=_("resources")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:campaign-detail", args=[self.slug])

    def can_edit(self, user) -> bool:
        """Its maker, organizers of its community and network staff run a campaign."""
        if is_staff(user):
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if user.pk == self.created_by_id:
            return True
        return bool(self.community_id and self.community.can_organize(user))

    @cached_property
    def description_html(self) -> str:
        return render_markdown(self.description)


class SuggestedPost(models.Model):
    """A ready-to-share post in the campaign's share kit, in one language."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="posts")
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    text = models.TextField(_("post"), max_length=600)
    image = models.ImageField(_("image"), upload_to="library/campaigns/%Y/%m/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("suggested post")

    def __str__(self) -> str:
        return self.text[:60]


class ReferralCode(models.Model):
    """A share-link code that credits a community or a member (or nobody in particular)."""

    code = models.CharField(max_length=16, unique=True)
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="referral_codes")
    community = models.ForeignKey(
        Community, models.CASCADE, null=True, blank=True, related_name="library_referral_codes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="library_referral_codes",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral code")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "community"],
                condition=Q(community__isnull=False),
                name="library_ref_one_per_community",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=Q(user__isnull=False),
                name="library_ref_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(community__isnull=True) | Q(user__isnull=True),
                name="library_ref_one_credit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def credit_label(self) -> str:
        if self.community_id:
            return self.community.name
        if self.user_id:
            return self.user.get_full_name()
        return str(_("Campaign link"))

    @property
    def share_url(self) -> str:
        return f"{settings.SITE_URL}{self.campaign.get_absolute_url()}?ref={self.code}"


class CampaignActivity(models.Model):
    """One visit, join or sign-up that a campaign's share link led to."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visits")
        JOIN = "join", _("Joins")
        SIGNUP = "signup", _("Sign-ups")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="activity")
    referral = models.ForeignKey(
        ReferralCode, models.SET_NULL, null=True, blank=True, related_name="activity"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What was signed up for (newsletter, an event), for the staff report.
    detail = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activity")
        indexes = [models.Index(fields=["campaign", "kind", "created"], name="library_act_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=Q(kind="join"),
                name="library_act_join_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} {self.created:%Y-%m-%d}"
