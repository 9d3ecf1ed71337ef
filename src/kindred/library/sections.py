"""The library's section on a community's page (kindred.network.sections): its next events."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kindred.library.models import Event
from kindred.network.sections import CommunitySection

EVENTS_ON_COMMUNITY_PAGE = 5


def upcoming_events(request, community) -> CommunitySection:
    """The next scheduled events the community hosts, in one query. With none, the section
    stays and invites members to propose one."""
    scheduled = Event.objects.filter(host_community=community, status=Event.Status.SCHEDULED)
    events = list(scheduled.upcoming()[:EVENTS_ON_COMMUNITY_PAGE])
    html = render_to_string(
        "library/_community_events.html", {"community": community, "events": events}, request
    )
    return CommunitySection(key="events", title=_("Upcoming events"), html=html)
