"""Emails of the library, one function per kind. Tasks call these; nothing here runs
inside a request.

Each template's first line is the subject and the rest is the plain-text body, rendered in
the recipient's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kindred.library.text import plain_text

UNSUBSCRIBE_SALT = "library.newsletter.unsubscribe"
CONFIRM_SALT = "library.newsletter.confirm"
RSVP_SALT = "library.rsvp.manage"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber) -> str:
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("library:newsletter-unsubscribe", args=[token]))


def confirm_url(subscriber) -> str:
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)
    return absolute(reverse("library:newsletter-confirm", args=[token]))


def rsvp_manage_url(rsvp) -> str:
    token = signing.dumps({"r": rsvp.pk, "e": rsvp.email}, salt=RSVP_SALT)
    return absolute(reverse("library:rsvp-manage", args=[token]))


def send(template: str, to: str, context: dict, *, language: str, headers=None) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        rendered = render_to_string(f"library/emails/{template}.txt", context).strip()
    subject, _, body = rendered.partition("\n")
    EmailMessage(subject.strip(), body.strip() + "\n", to=[to], headers=headers or {}).send()


def subscription_confirmation(subscriber) -> None:
    send(
        "newsletter_confirm",
        subscriber.email,
        {"confirm_url": confirm_url(subscriber)},
        language=subscriber.language,
    )


def unsubscribe_link(subscriber) -> None:
    send(
        "newsletter_unsubscribe_link",
        subscriber.email,
        {"unsubscribe_url": unsubscribe_url(subscriber)},
        language=subscriber.language,
    )


def newsletter_issue(issue, subscriber) -> None:
    link = unsubscribe_url(subscriber)
    send(
        "newsletter_issue",
        subscriber.email,
        {"issue": issue, "body": plain_text(issue.body), "unsubscribe_url": link},
        language=subscriber.language,
        # RFC 8058 one-click unsubscribe: mail clients POST to this address.
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _event_context(rsvp) -> dict:
    event = rsvp.event
    return {
        "rsvp": rsvp,
        "event": event,
        "event_url": absolute(event.get_absolute_url()),
        "ics_url": absolute(reverse("library:event-ics", args=[event.slug])),
        "manage_url": rsvp_manage_url(rsvp),
    }


def rsvp_confirmation(rsvp, language: str) -> None:
    send("rsvp_confirmation", rsvp.email, _event_context(rsvp), language=language)


def waitlist_promotion(rsvp, language: str) -> None:
    send("rsvp_promoted", rsvp.email, _event_context(rsvp), language=language)


def event_reminder(rsvp, language: str) -> None:
    send("event_reminder", rsvp.email, _event_context(rsvp), language=language)


def event_notice(rsvp, kind: str, language: str) -> None:
    template = "event_cancelled" if kind == "cancelled" else "event_changed"
    send(template, rsvp.email, _event_context(rsvp), language=language)


def event_decision(event, to: str, language: str) -> None:
    context = {"event": event, "event_url": absolute(event.get_absolute_url())}
    send("event_decision", to, context, language=language)


def story_decision(story, language: str) -> None:
    context = {"story": story, "story_url": absolute(story.get_absolute_url())}
    send("story_decision", story.teller_email, context, language=language)


def review_request(review, language: str) -> None:
    context = {
        "review": review,
        "resource": review.resource,
        "url": absolute(review.resource.get_absolute_url()),
    }
    send("review_request", review.reviewer.email, context, language=language)


def review_result(review, to: str, language: str) -> None:
    context = {
        "review": review,
        "resource": review.resource,
        "url": absolute(review.resource.get_absolute_url()),
    }
    send("review_result", to, context, language=language)
