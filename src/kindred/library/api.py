"""The library's JSON API: published resources (search and detail) and public events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kindred.library.models import Audience, Event, Resource
from kindred.library.search import CountedPaginator, ResourceFilters, search

router = Router(tags=["library"])

MAX_PAGE_SIZE = 100

AudienceCode = Literal[tuple(Audience.values)]  # type: ignore[valid-type]
TypeCode = Literal[tuple(Resource.Type.values)]  # type: ignore[valid-type]
LanguageCode = Literal[tuple(code for code, _label in settings.LANGUAGES)]  # type: ignore[valid-type]


class TopicOut(Schema):
    slug: str
    name_en: str
    name_es: str


class ReadingLevel(Schema):
    grade: float
    ease: float
    label: str


class ResourceOut(Schema):
    slug: str
    title: str
    summary: str
    type: str
    audiences: list[str]
    topics: list[TopicOut]
    language: str
    url: str
    link: str
    pdf: str
    reading_level: ReadingLevel
    source: str
    published: dt.datetime | None
    rank: float | None = None


class ResourceDetailOut(ResourceOut):
    body_markdown: str
    body_html: str
    translations: list[str]


class Problem(Schema):
    detail: str


class ResourcePage(Schema):
    count: int
    capped: bool
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    items: list[ResourceOut]


class ResourceQuery(Schema):
    q: str = ""
    audience: AudienceCode | None = None
    language: LanguageCode | None = None
    topic: str | None = None
    type: TypeCode | None = None
    page: int = 1
    page_size: int = 20


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _resource_out(request: HttpRequest, resource: Resource) -> dict:
    return {
        "slug": resource.slug,
        "title": resource.title,
        "summary": resource.summary,
        "type": resource.type,
        "audiences": resource.audiences,
        "topics": [
            {"slug": t.slug, "name_en": t.name_en, "name_es": t.name_es}
            for t in resource.topics.all()
        ],
        "language": resource.language,
        "url": _absolute(request, resource.get_absolute_url()),
        "link": resource.external_url,
        "pdf": _absolute(request, resource.file.url) if resource.file else "",
        "reading_level": {
            "grade": resource.reading_grade,
            "ease": resource.reading_ease,
            "label": _reading_code(resource.reading_grade),
        },
        "source": resource.source,
        "published": resource.published_at,
        "rank": getattr(resource, "rank", None),
    }


def _reading_code(grade: float) -> str:
    if grade <= 7:
        return "easy"
    return "plain" if grade <= 11 else "technical"


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return _absolute(request, f"{request.path}?{params.urlencode()}")


@router.get(
    "/resources",
    response={200: ResourcePage, 404: Problem, 422: Problem},
    url_name="library-resources",
)
def list_resources(request: HttpRequest, params: Query[ResourceQuery]):
    """Search published resources (ranked by relevance when `q` is given, newest first
    otherwise), filtered by audience, language, topic (slug) and type.

    `count` is how many results there are to page through. For a very broad search
    `capped` is true: more resources match, and the 1,000 newest of them are ranked."""
    if params.page < 1 or not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}.")
    filters = ResourceFilters(
        audience=params.audience or "",
        language=params.language or "",
        topic=(params.topic or "")[:60],
        type=params.type or "",
    )
    found = search(params.q, filters)
    paginator = CountedPaginator(found.results, params.page_size, count=found.count)
    if params.page > max(1, paginator.num_pages):
        raise HttpError(404, "There is no such page.")
    page = paginator.page(params.page)
    items = list(page.object_list)
    prefetch_related_objects(items, "audience_rows", "topics")
    return {
        "count": paginator.count,
        "capped": found.capped,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": params.page_size,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": _page_url(request, page.previous_page_number())
        if page.has_previous()
        else None,
        "items": [_resource_out(request, item) for item in items],
    }


@router.get(
    "/resources/{slug}",
    response={200: ResourceDetailOut, 404: Problem},
    url_name="library-resource",
)
def get_resource(request: HttpRequest, slug: str):
    resource = get_object_or_404(
        Resource.objects.published().prefetch_related("audience_rows", "topics"), slug=slug
    )
    return {
        **_resource_out(request, resource),
        "body_markdown": resource.body,
        "body_html": resource.body_html,
        "translations": [
            _absolute(request, other.get_absolute_url()) for other in resource.translations()
        ],
    }


class EventOut(Schema):
    slug: str
    title: str
    url: str
    ics: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    mode: str
    status: str
    host: str
    place: str
    language: str
    capacity: int | None


@router.get("/events", response=list[EventOut], url_name="library-events")
def list_events(request: HttpRequest, past: bool = False):
    """Scheduled and cancelled events: upcoming (default) or the last 100 past ones."""
    now = timezone.now()
    events = Event.objects.public().select_related(
        "host_community", "host_organization", "state", "county__state"
    )
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at")
    return [
        {
            "slug": event.slug,
            "title": event.title,
            "url": _absolute(request, event.get_absolute_url()),
            "ics": _absolute(request, f"{event.get_absolute_url()}event.ics"),
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "timezone": event.timezone,
            "mode": event.mode,
            "status": event.status,
            "host": str(event.host),
            "place": event.place_label if event.is_in_person else "",
            "language": event.language,
            "capacity": event.capacity,
        }
        for event in events[:100]
    ]
