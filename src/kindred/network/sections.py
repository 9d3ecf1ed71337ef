"""Sections other areas add to a community's page (events, commitments, policies...).

An app that depends on the network registers a provider once, in its AppConfig.ready()::

    from kindred.network.sections import register_community_section

    @register_community_section
    def upcoming_events(request, community):
        events = Event.objects.visible_to(request.user).filter(community=community)[:5]
        if not events:
            return None  # nothing to show: the page leaves the section out
        html = render_to_string("library/community_events.html", {"events": events}, request)
        return CommunitySection(key="events", title=_("Events"), html=html)

Keep each provider to a fixed number of queries: the community page's query count is tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class CommunitySection:
    key: str  # used for the heading's id: "community-<key>"
    title: str
    html: SafeString | str

    @property
    def safe_html(self) -> SafeString:
        # Providers render their HTML with templates, which escape what they must.
        return mark_safe(self.html)  # noqa: S308


Provider = Callable[..., CommunitySection | None]
_providers: list[Provider] = []


def register_community_section(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def community_sections(request, community) -> list[CommunitySection]:
    """The sections that have something to show, in registration order."""
    sections = []
    for provider in _providers:
        section = provider(request, community)
        if section is not None:
            sections.append(section)
    return sections
