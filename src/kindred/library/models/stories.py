from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.library.models.resources import is_staff
from kindred.library.text import render_markdown
from kindred.places.models import County, State


class StoryQuerySet(models.QuerySet):
    def published(self) -> StoryQuerySet:
        return self.filter(status=Story.Status.PUBLISHED)

    def visible_to(self, user) -> StoryQuerySet:
        """Published stories for everyone; storytellers see their own; staff moderate all."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.published()
        return self.filter(Q(status=Story.Status.PUBLISHED) | Q(submitted_by=user))


class Story(models.Model):
    """A family's or practitioner's story, shown only as its teller consented."""

    class Attribution(models.TextChoices):
        FULL_NAME = "full_name", _("Publish with my full name")
        FIRST_NAME = "first_name", _("Publish with my first name only")
        ANONYMOUS = "anonymous", _("Publish without my name")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Not published")
        WITHDRAWN = "withdrawn", _("Withdrawn by the storyteller")

    class Teller(models.TextChoices):
        PARENT = "parent", _("Parent or caregiver")
        GRANDPARENT = "grandparent", _("Grandparent or relative")
        CLINICIAN = "clinician", _("Clinician")
        DOULA = "doula", _("Doula")
        CHW = "chw", _("Community health worker")
        EDUCATOR = "educator", _("Early educator")
        COMMUNITY = "community", _("Community leader")
        RESEARCHER = "researcher", _("Researcher")
        POLICYMAKER = "policymaker", _("Policymaker")
        OTHER = "other", _("Someone else who cares")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("your story"), max_length=10000)
    photo = models.ImageField(_("photo"), upload_to="library/stories/%Y/%m/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=300, blank=True)
    teller_name = models.CharField(_("your name"), max_length=150)
    teller_email = models.EmailField(_("your email"), blank=True)
    teller_role = models.CharField(_("you are a"), max_length=15, choices=Teller.choices)
    attribution = models.CharField(
        _("how to credit you"), max_length=12, choices=Attribution.choices
    )
    consent_at = models.DateTimeField(_("consent given"))
    consent_photo = models.BooleanField(_("consent to publish the photo"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_stories",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="library_stories", verbose_name=_("themes")
    )
    state = models.ForeignKey(
        State, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    county = models.ForeignKey(
        County, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(_("note to the storyteller"), max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="library_story_recent"),
            models.Index(fields=["status", "state", "-published_at"], name="library_story_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:story-detail", args=[self.pk])

    def can_withdraw(self, user) -> bool:
        return (
            getattr(user, "is_authenticated", False)
            and user.pk == self.submitted_by_id
            and self.status in {self.Status.SUBMITTED, self.Status.PUBLISHED}
        )

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def show_photo(self) -> bool:
        return bool(self.photo) and self.consent_photo

    @property
    def credit(self) -> str:
        """The name shown with the story, as its teller chose."""
        if self.attribution == self.Attribution.FULL_NAME:
            return self.teller_name
        if self.attribution == self.Attribution.FIRST_NAME:
            return (self.teller_name.split() or [""])[0]
        role = self.get_teller_role_display()
        if self.state_id:
            return _("%(role)s in %(place)s") % {"role": role, "place": self.state.name}
        return str(role)
