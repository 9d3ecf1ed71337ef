from __future__ import annotations

from django.db.models import Q

from kindred.library.models import Event, Resource, Story


def _resources():
    return Resource.objects.published().prefetch_related("audience_rows")


def _events():
    return (
        Event.objects.filter(status=Event.Status.SCHEDULED)
        .upcoming()
        .select_related("host_community", "host_organization", "state", "county__state")
    )


def latest_for_home(*, limit: int = 3) -> dict:
    """The newest resources and stories and the next events, for the home page
    (``library/_home_section.html`` renders them)."""
    return {
        "resources": list(_resources().order_by("-published_at", "-id")[:limit]),
        "stories": list(Story.objects.published().select_related("state")[:limit]),
        "events": list(_events()[:limit]),
    }


def latest_for_state(state, *, limit: int = 3) -> dict:
    """Stories told in a state, the next events held there or hosted by its communities,
    and the resources its campaigns share (the newest ones when it has none)."""
    in_state = Q(state=state) | Q(host_community__state=state) | Q(host_organization__state=state)
    campaign_resources = (
        _resources()
        .filter(campaigns__community__state=state, campaigns__status="active")
        .distinct()
    )
    resources = list(campaign_resources.order_by("-published_at", "-id")[:limit])
    if len(resources) < limit:
        seen = [resource.pk for resource in resources]
        resources += list(
            _resources()
            .exclude(pk__in=seen)
            .order_by("-published_at", "-id")[: limit - len(resources)]
        )
    return {
        "state": state,
        "resources": resources,
        "stories": list(
            Story.objects.published().filter(state=state).select_related("state")[:limit]
        ),
        "events": list(_events().filter(in_state)[:limit]),
    }
