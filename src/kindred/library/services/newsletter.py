from __future__ import annotations

import csv
import io

from django.core import signing
from django.db import transaction
from django.utils import timezone

from kindred.core import progress
from kindred.core.audit import log_action
from kindred.library.emails import CONFIRM_SALT, UNSUBSCRIBE_SALT
from kindred.library.models import NewsletterIssue, Subscriber
from kindred.library.services.campaigns import attribute_signup
from kindred.library.tasks import send_newsletter_issue, send_subscription_confirmation

CONFIRM_MAX_AGE = 7 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


class BadLink(Exception):
    """A confirmation or unsubscribe link that is tampered with, expired or stale."""


@transaction.atomic
def subscribe(
    *, email: str, language: str, topics=(), user=None, request=None, notify: bool = True
) -> tuple[Subscriber, bool]:
    """Ask for the newsletter. Returns (subscriber, whether a confirmation was sent).

    Subscribing twice never makes a second row. An active subscription is left as it is
    (so nobody can change another person's choices by typing their address); a pending or
    ended one gets the new choices and a fresh confirmation email.
    """
    email = email.strip().lower()
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language, "user": user}
    )
    if not created and subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber, False
    subscriber.language = language
    subscriber.status = Subscriber.Status.PENDING
    if user is not None and subscriber.user_id is None:
        subscriber.user = user
    subscriber.save(update_fields=["language", "status", "user"])
    subscriber.topics.set(topics)
    if created:
        log_action(user, "newsletter.subscribed", subscriber)
        if request is not None:
            attribute_signup(request, detail="newsletter", user=user)
    if notify:
        send_subscription_confirmation.enqueue(subscriber.pk)
    return subscriber, True


def _load(token: str, salt: str, max_age: int) -> Subscriber:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise BadLink(str(exc)) from None
    subscriber = Subscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise BadLink("no such subscriber")
    return subscriber


@transaction.atomic
def confirm_subscription(token: str) -> Subscriber:
    return activate_subscriber(_load(token, CONFIRM_SALT, CONFIRM_MAX_AGE))


@transaction.atomic
def activate_subscriber(subscriber: Subscriber) -> Subscriber:
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
        log_action(None, "newsletter.confirmed", subscriber)
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    return _load(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)


@transaction.atomic
def unsubscribe(token: str) -> Subscriber:
    subscriber = subscriber_for_unsubscribe(token)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        log_action(None, "newsletter.unsubscribed", subscriber)
    return subscriber


@transaction.atomic
def create_issue(*, subject: str, body: str, language: str, topics=(), by) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(
        subject=subject, body=body, language=language, created_by=by
    )
    issue.topics.set(topics)
    log_action(by, "newsletter.issue_created", issue)
    return issue


@transaction.atomic
def send_issue(issue: NewsletterIssue, *, by):
    """Queue the sending of an issue; returns the TaskProgress to watch."""
    issue.status = NewsletterIssue.Status.SENDING
    issue.save(update_fields=["status"])
    tracker = progress.start_progress(by, f"Newsletter: {issue.subject}"[:200])
    log_action(by, "newsletter.issue_sent", issue)
    send_newsletter_issue.enqueue(issue.pk, str(tracker.pk))
    return tracker


def _cell(value: str) -> str:
    # Spreadsheets run cells that start with these characters as formulas.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def export_subscribers_csv(*, by) -> str:
    """Every subscriber as CSV (email, language, status, topics, dates), for staff."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "language", "status", "topics", "created", "confirmed"])
    rows = Subscriber.objects.prefetch_related("topics").order_by("email")
    for subscriber in rows.iterator(chunk_size=1000):
        writer.writerow(
            [
                _cell(subscriber.email),
                subscriber.language,
                subscriber.status,
                " ".join(topic.slug for topic in subscriber.topics.all()),
                subscriber.created.date().isoformat(),
                subscriber.confirmed_at.date().isoformat() if subscriber.confirmed_at else "",
            ]
        )
    log_action(by, "newsletter.exported", None, rows=Subscriber.objects.count())
    return out.getvalue()
