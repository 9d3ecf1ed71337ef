"""Plain helpers that build library objects for tests, through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kindred.core.models import Topic
from kindred.library import services
from kindred.library.models import Event, Resource
from kindred.network.models import CommunityMembership
from kindred.network.tests.factories import make_community

# Smallest content that starts like a real PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def topic(slug: str = "play", en: str = "Play", es: str = "Juego") -> Topic:
    obj, _created = Topic.objects.get_or_create(slug=slug, defaults={"name_en": en, "name_es": es})
    return obj


def make_resource(
    title: str = "Talking with your baby",
    *,
    author=None,
    status: str = Resource.Status.PUBLISHED,
    language: str = "en",
    summary: str = "Everyday conversations build strong bonds.",
    body: str = "Serve and return: notice, respond, and take turns.",
    type: str = Resource.Type.ARTICLE,
    audiences=("parents",),
    topics=(),
    **kwargs,
) -> Resource:
    return services.create_resource(
        author=author,
        title=title,
        summary=summary,
        body=body,
        type=type,
        language=language,
        audiences=audiences,
        topics=topics,
        status=status,
        **kwargs,
    )


def community_with(organizer, *members, name: str = "Tulsa County Families"):
    community = make_community(name, organizer=organizer)
    for member in members:
        CommunityMembership.objects.create(community=community, user=member, status="active")
    return community


def make_event(
    host,
    *,
    proposer,
    title: str = "Baby and me play group",
    capacity: int | None = None,
    mode: str = Event.Mode.IN_PERSON,
    starts_in: dt.timedelta = dt.timedelta(days=7),
    hours: float = 1.5,
    **fields,
) -> Event:
    starts_at = timezone.now() + starts_in
    fields.setdefault("venue_name", "Central Library")
    fields.setdefault("description", "Songs, stories and play for babies and their grown-ups.")
    if mode != Event.Mode.IN_PERSON:
        fields.setdefault("online_url", "https://meet.example.org/play")
    return services.create_event(
        proposer=proposer,
        host=host,
        title=title,
        mode=mode,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        timezone="America/Chicago",
        capacity=capacity,
        **fields,
    )
