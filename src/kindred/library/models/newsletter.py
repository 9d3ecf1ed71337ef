from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.library.text import render_markdown


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.ACTIVE)


class Subscriber(models.Model):
    """Someone who asked for the newsletter; active only after confirming by email."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    # Stored lower-cased by the services, so the unique constraint means "one per address".
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="library_subscribers", verbose_name=_("topics")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_subscriptions",
    )
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscriber")
        indexes = [models.Index(fields=["status", "language"], name="library_sub_status")]

    def __str__(self) -> str:
        return self.email


class NewsletterIssue(models.Model):
    """One newsletter, written by staff and sent through the task queue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), help_text=_("Markdown."))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="library_issues",
        verbose_name=_("topics"),
        help_text=_("Leave empty to send to every subscriber in this language."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("newsletter issue")

    def __str__(self) -> str:
        return self.subject

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)


class NewsletterDelivery(models.Model):
    """That an issue went to a subscriber, so a retried send skips them."""

    issue = models.ForeignKey(NewsletterIssue, models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="library_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"
