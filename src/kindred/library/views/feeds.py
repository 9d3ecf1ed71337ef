"""iCalendar feeds: the whole network (``/events.ics``), one community, one event, and a
member's personal feed at a secret address."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kindred.library import services
from kindred.library.access import get_event_for
from kindred.library.calendar import render_calendar
from kindred.library.models import RSVP, CalendarFeed, Event
from kindred.network.models import Community

# Feeds carry recent history too, so a calendar keeps events that just happened.
HISTORY = dt.timedelta(days=60)
FEED_LIMIT = 500


def _response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "max-age=300"
    return response


def _window(events):
    return (
        events.filter(ends_at__gte=timezone.now() - HISTORY)
        .select_related("host_community", "host_organization", "state", "county__state")
        .order_by("starts_at")[:FEED_LIMIT]
    )


@require_GET
def site_feed(request: HttpRequest) -> HttpResponse:
    events = _window(Event.objects.public())
    return _response(render_calendar(events, name=_("Kindred events")), "kindred-events.ics")


@require_GET
def community_feed(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community.objects.visible_to(request.user), slug=slug)
    events = _window(Event.objects.public().filter(host_community=community))
    return _response(render_calendar(events, name=community.name), f"{community.slug}.ics")


@require_GET
def event_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """One event, to add to a calendar."""
    event = get_event_for(request.user, slug)
    links = set()
    if request.user.is_authenticated and (
        event.can_manage(request.user)
        or event.rsvps.filter(email=request.user.email.lower(), status=RSVP.Status.GOING).exists()
    ):
        links = {event.pk}
    return _response(
        render_calendar([event], name=event.title, links_for=links), f"{event.slug}.ics"
    )


@require_GET
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed of one member: their RSVPs (with meeting links) and the events of
    their communities. Anyone holding the address can read it, so it can be reset."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    events = list(_window(services.events_for_member(user)))
    going = set(
        RSVP.objects.filter(
            user=user, status=RSVP.Status.GOING, event__in=[e.pk for e in events]
        ).values_list("event_id", flat=True)
    )
    name = _("Kindred: %(name)s") % {"name": user.get_short_name()}
    return _response(render_calendar(events, name=name, links_for=going), "my-kindred-events.ics")
