from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.slugs import unique_slug
from kindred.library.models import RSVP, CalendarFeed, Event, TrustedHost
from kindred.library.services.campaigns import attribute_signup
from kindred.library.services.resources import apply_changes
from kindred.library.tasks import (
    send_event_decision,
    send_event_notice,
    send_event_reminder,
    send_rsvp_confirmation,
    send_waitlist_promotion,
)
from kindred.network.models import Community, Organization

EVENT_FIELDS = {
    "title",
    "description",
    "mode",
    "online_url",
    "venue_name",
    "address",
    "zip_code",
    "county",
    "state",
    "starts_at",
    "ends_at",
    "timezone",
    "capacity",
    "language",
}
# A change to any of these is news for the people coming (and for their calendars).
NOTICE_FIELDS = {"starts_at", "ends_at", "timezone", "mode", "online_url", "venue_name", "address"}
REMINDER_WINDOW = dt.timedelta(hours=24)


def is_trusted_host(user, host: Community | Organization) -> bool:
    """Organizers of a community, admins of an organization, staff and trusted hosts
    schedule events without review."""
    if isinstance(host, Community):
        if host.can_organize(user):
            return True
        return TrustedHost.objects.filter(user=user, community=host).exists()
    if host.can_edit(user):
        return True
    return TrustedHost.objects.filter(user=user, organization=host).exists()


def _place_from_zip(fields: dict) -> None:
    zip_code = fields.get("zip_code")
    if zip_code is not None:
        fields.setdefault("county", zip_code.county)
        fields.setdefault("state", zip_code.state)


@transaction.atomic
def create_event(*, proposer, host: Community | Organization, topics=(), **fields) -> Event:
    """A new event: scheduled at once for trusted hosts, otherwise proposed for review."""
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    _place_from_zip(fields)
    trusted = is_trusted_host(proposer, host)
    event = Event(
        slug=unique_slug(Event, fields.get("title", "")),
        proposed_by=proposer,
        approved_by=proposer if trusted else None,
        status=Event.Status.SCHEDULED if trusted else Event.Status.PROPOSED,
        **fields,
    )
    if isinstance(host, Community):
        event.host_community = host
    else:
        event.host_organization = host
    event.full_clean()
    event.save()
    event.topics.set(topics)
    log_action(proposer, "event.scheduled" if trusted else "event.proposed", event)
    return event


@transaction.atomic
def approve_event(event: Event, *, by, notify: bool = True) -> Event:
    if event.status != Event.Status.PROPOSED:
        raise ValidationError(_("Only a proposed event can be approved."))
    event.status = Event.Status.SCHEDULED
    event.approved_by = by
    event.save(update_fields=["status", "approved_by", "updated"])
    log_action(by, "event.approved", event)
    if notify:
        send_event_decision.enqueue(event.pk)
    return event


@transaction.atomic
def decline_event(event: Event, *, by, note: str) -> Event:
    if event.status != Event.Status.PROPOSED:
        raise ValidationError(_("Only a proposed event can be declined."))
    if not note.strip():
        raise ValidationError(_("Please tell the host why, so they can adjust and try again."))
    event.status = Event.Status.DECLINED
    event.review_note = note
    event.save(update_fields=["status", "review_note", "updated"])
    log_action(by, "event.declined", event)
    send_event_decision.enqueue(event.pk)
    return event


@transaction.atomic
def update_event(event: Event, *, by, topics=None, **fields) -> Event:
    """Change an event; if the time or place changed, tell everyone coming."""
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    _place_from_zip(fields)
    changed = apply_changes(event, fields)
    event.full_clean()
    newsworthy = bool(NOTICE_FIELDS & set(changed)) and event.status == Event.Status.SCHEDULED
    if changed:
        event.sequence += 1
        event.save(update_fields=[*changed, "sequence", "updated"])
    if topics is not None:
        event.topics.set(topics)
    if "capacity" in changed:
        _promote_waitlist(event)
    log_action(by, "event.updated", event, fields=sorted(changed))
    if newsworthy:
        event.rsvps.filter(status=RSVP.Status.GOING).update(reminded_at=None)
        send_event_notice.enqueue(event.pk, "changed")
    return event


@transaction.atomic
def cancel_event(event: Event, *, by) -> Event:
    if event.status == Event.Status.CANCELLED:
        return event
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated"])
    log_action(by, "event.cancelled", event)
    send_event_notice.enqueue(event.pk, "cancelled")
    return event


def _lock(event: Event) -> Event:
    # On PostgreSQL this serialises RSVPs for one event; SQLite's IMMEDIATE transactions
    # already do.
    return Event.objects.select_for_update().get(pk=event.pk)


def _going(event: Event) -> int:
    return event.rsvps.filter(status=RSVP.Status.GOING).count()


@transaction.atomic
def rsvp_to_event(
    event: Event,
    *,
    email: str,
    name: str,
    user=None,
    language: str = "en",
    request=None,
    notify: bool = True,
) -> RSVP:
    """Take a place, or a place on the waitlist when the event is full. Asking again
    changes nothing (and never makes a second RSVP)."""
    event = _lock(event)
    if not event.is_open_for_rsvp:
        raise ValidationError(_("This event is not taking RSVPs."))
    email = email.strip().lower()
    rsvp = event.rsvps.filter(email=email).first()
    if rsvp and rsvp.status != RSVP.Status.CANCELLED:
        return rsvp
    full = event.capacity is not None and _going(event) >= event.capacity
    status = RSVP.Status.WAITLISTED if full else RSVP.Status.GOING
    if rsvp is None:
        rsvp = RSVP.objects.create(
            event=event, user=user, name=name, email=email, status=status, language=language
        )
    else:
        rsvp.status, rsvp.name, rsvp.language = status, name, language
        rsvp.requested_at, rsvp.reminded_at = timezone.now(), None
        rsvp.user = rsvp.user or user
        rsvp.save(
            update_fields=["status", "name", "language", "requested_at", "reminded_at", "user"]
        )
    log_action(user, "event.rsvp", event, status=status)
    if request is not None:
        attribute_signup(request, detail="event", user=user)
    if notify:
        send_rsvp_confirmation.enqueue(rsvp.pk)
    return rsvp


def _promote_waitlist(event: Event) -> list[RSVP]:
    promoted = []
    waiting = event.rsvps.filter(status=RSVP.Status.WAITLISTED).order_by("requested_at", "id")
    for rsvp in waiting:
        if event.capacity is not None and _going(event) >= event.capacity:
            break
        rsvp.status = RSVP.Status.GOING
        rsvp.save(update_fields=["status"])
        promoted.append(rsvp)
        send_waitlist_promotion.enqueue(rsvp.pk)
    return promoted


@transaction.atomic
def cancel_rsvp(rsvp: RSVP, *, by=None) -> list[RSVP]:
    """Give up a place; the first people on the waitlist move up. Returns who moved up."""
    event = _lock(rsvp.event)
    rsvp.refresh_from_db()
    if rsvp.status == RSVP.Status.CANCELLED:
        return []
    was_going = rsvp.status == RSVP.Status.GOING
    rsvp.status = RSVP.Status.CANCELLED
    rsvp.save(update_fields=["status"])
    log_action(by, "event.rsvp_cancelled", event)
    return _promote_waitlist(event) if was_going else []


def send_due_reminders(*, now=None) -> int:
    """Queue a reminder for everyone going to an event that starts within a day. Run it
    often (``manage.py send_event_reminders``); each person is reminded once."""
    now = now or timezone.now()
    due = RSVP.objects.filter(
        status=RSVP.Status.GOING,
        reminded_at__isnull=True,
        event__status=Event.Status.SCHEDULED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_WINDOW,
    ).values_list("pk", flat=True)
    count = 0
    for rsvp_id in list(due):
        send_event_reminder.enqueue(rsvp_id)
        count += 1
    return count


@transaction.atomic
def trust_host(*, user, host: Community | Organization, by) -> TrustedHost:
    key = {"community": host} if isinstance(host, Community) else {"organization": host}
    trusted, created = TrustedHost.objects.get_or_create(
        user=user, **key, defaults={"granted_by": by}
    )
    if created:
        log_action(by, "event.host_trusted", host, user=user.pk)
    return trusted


def calendar_feed_for(user, *, reset: bool = False) -> CalendarFeed:
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if reset and not created:
        feed.delete()
        feed = CalendarFeed.objects.create(user=user)
        log_action(user, "event.feed_reset", None)
    return feed


def events_for_member(user):
    """Events on a member's calendar: those they RSVP'd to and those of their communities."""
    return (
        Event.objects.public()
        .filter(
            Q(rsvps__user=user, rsvps__status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED])
            | Q(
                host_community__memberships__user=user,
                host_community__memberships__status="active",
            )
        )
        .distinct()
    )
