"""Background tasks of the library (django-tasks). Each takes ids, looks the rows up again
and is safe to run twice: reminders and newsletter deliveries are marked as sent."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kindred.core import progress
from kindred.library import emails


def _user_language(user, default: str = "en") -> str:
    return getattr(user, "language", "") or default


@task()
def send_subscription_confirmation(subscriber_id: int) -> None:
    from kindred.library.models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber and subscriber.status == Subscriber.Status.PENDING:
        emails.subscription_confirmation(subscriber)


@task()
def send_unsubscribe_link(subscriber_id: int) -> None:
    from kindred.library.models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber and subscriber.status == Subscriber.Status.ACTIVE:
        emails.unsubscribe_link(subscriber)


@task()
def send_rsvp_confirmation(rsvp_id: int) -> None:
    from kindred.library.models import RSVP

    rsvp = RSVP.objects.select_related("event").filter(pk=rsvp_id).first()
    if rsvp and rsvp.status != RSVP.Status.CANCELLED:
        emails.rsvp_confirmation(rsvp, rsvp.language)


@task()
def send_waitlist_promotion(rsvp_id: int) -> None:
    from kindred.library.models import RSVP

    rsvp = RSVP.objects.select_related("event").filter(pk=rsvp_id).first()
    if rsvp and rsvp.status == RSVP.Status.GOING:
        emails.waitlist_promotion(rsvp, rsvp.language)


@task()
def send_event_reminder(rsvp_id: int) -> None:
    from kindred.library.models import RSVP

    # Claim the reminder first, so a retried task cannot send it twice.
    claimed = RSVP.objects.filter(
        pk=rsvp_id, reminded_at__isnull=True, status=RSVP.Status.GOING
    ).update(reminded_at=timezone.now())
    if claimed:
        rsvp = RSVP.objects.select_related("event").get(pk=rsvp_id)
        emails.event_reminder(rsvp, rsvp.language)


@task()
def send_event_notice(event_id: int, kind: str) -> int:
    """Tell everyone with a place or on the waitlist that the event changed or was
    cancelled. Returns how many were told."""
    from kindred.library.models import RSVP

    rsvps = RSVP.objects.select_related("event").filter(
        event_id=event_id, status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED]
    )
    count = 0
    for rsvp in rsvps:
        emails.event_notice(rsvp, kind, rsvp.language)
        count += 1
    return count


@task()
def send_event_decision(event_id: int) -> None:
    from kindred.library.models import Event

    event = Event.objects.select_related("proposed_by").filter(pk=event_id).first()
    if event and event.proposed_by and event.proposed_by.email:
        emails.event_decision(
            event, event.proposed_by.email, _user_language(event.proposed_by, event.language)
        )


@task()
def send_story_decision(story_id: int) -> None:
    from kindred.library.models import Story

    story = Story.objects.filter(pk=story_id).first()
    if story and story.teller_email:
        emails.story_decision(story, story.language)


@task()
def send_review_request(review_id: int) -> None:
    from kindred.library.models import ResourceReview

    review = ResourceReview.objects.select_related("resource", "reviewer").filter(pk=review_id)
    review = review.first()
    if review:
        emails.review_request(review, _user_language(review.reviewer))


@task()
def send_review_result(review_id: int) -> None:
    from kindred.library.models import ResourceReview

    review = ResourceReview.objects.select_related("resource__author").filter(pk=review_id)
    review = review.first()
    if review and review.resource.author:
        author = review.resource.author
        emails.review_result(review, author.email, _user_language(author))


@task()
def send_newsletter_issue(issue_id: int, progress_id: str | None = None) -> int:
    """Send an issue to every active subscriber it is meant for; skip those already sent
    to, so the task can be retried. Returns the number sent by this run."""
    from kindred.library.models import NewsletterDelivery, NewsletterIssue, Subscriber

    issue = NewsletterIssue.objects.get(pk=issue_id)
    recipients = Subscriber.objects.active().filter(language=issue.language)
    topic_ids = list(issue.topics.values_list("pk", flat=True))
    if topic_ids:
        # Subscribers who chose no topics want everything.
        recipients = recipients.filter(Q(topics__in=topic_ids) | Q(topics__isnull=True))
    recipients = recipients.exclude(deliveries__issue=issue).distinct().order_by("pk")
    total = recipients.count()
    if progress_id:
        progress.advance(progress_id, done=0, total=total)
    sent = 0
    for subscriber in recipients.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                NewsletterDelivery.objects.create(issue=issue, subscriber=subscriber)
                emails.newsletter_issue(issue, subscriber)
        except IntegrityError:
            continue  # another worker sent this one
        sent += 1
        if progress_id and sent % 50 == 0:
            progress.advance(progress_id, done=sent)
    issue.status = NewsletterIssue.Status.SENT
    issue.sent_at = timezone.now()
    issue.recipient_count = issue.deliveries.count()
    issue.save(update_fields=["status", "sent_at", "recipient_count"])
    if progress_id:
        progress.advance(progress_id, done=sent)
        progress.finish(
            progress_id,
            message=_("Sent to %(count)s subscribers.") % {"count": issue.recipient_count},
        )
    return sent
