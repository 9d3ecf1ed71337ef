"""Fetch a library object for a person, or fail the way the rules say: 404 when they may
not see it, 403 when they may see it but not change it. Views and the API use these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kindred.library.models import Campaign, Event, Resource, Story


def get_resource_for(user, slug: str, *, write: bool = False) -> Resource:
    resource = get_object_or_404(Resource.objects.visible_to(user), slug=slug)
    if write and not resource.can_edit(user):
        raise PermissionDenied
    return resource


def get_story_for(user, pk: int) -> Story:
    return get_object_or_404(
        Story.objects.visible_to(user).select_related("state", "county"), pk=pk
    )


def get_campaign_for(user, slug: str, *, write: bool = False) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(user).select_related("community"), slug=slug
    )
    if write and not campaign.can_edit(user):
        raise PermissionDenied
    return campaign


def get_event_for(user, slug: str, *, manage: bool = False, write: bool = False) -> Event:
    event = get_object_or_404(
        Event.objects.visible_to(user).select_related(
            "host_community", "host_organization", "state", "county__state"
        ),
        slug=slug,
    )
    if manage and not event.can_manage(user):
        raise PermissionDenied
    if write and not event.can_edit(user):
        raise PermissionDenied
    return event
