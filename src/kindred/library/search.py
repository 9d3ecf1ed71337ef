"""Ranked full-text search over resources: one function, two databases.

``search_resources(query, filters)`` returns a queryset ordered by relevance. On PostgreSQL
it matches the generated ``search_vector`` column (English or Spanish configuration, by the
resource's language) with ``websearch_to_tsquery`` in both languages and ranks with
``ts_rank``. On SQLite it matches the FTS5 table ``library_resource_fts``, which holds
snowball stems (see ``kindred.library.text``), and ranks with bm25. The SQLite index is kept
current by the services calling ``index_resources``; PostgreSQL needs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from kindred.library.models import Audience, Resource
from kindred.library.text import index_terms, query_terms

PG_CONFIGS = {"en": "english", "es": "spanish"}


@dataclass(frozen=True)
class ResourceFilters:
    audience: str = ""
    language: str = ""
    topic: str = ""
    type: str = ""

    @classmethod
    def from_mapping(cls, data) -> ResourceFilters:
        """Filters from a request's GET (unknown values are ignored, not errors)."""
        audience = data.get("audience", "")
        language = data.get("language", "")
        type_ = data.get("type", "")
        return cls(
            audience=audience if audience in Audience.values else "",
            language=language if language in PG_CONFIGS else "",
            topic=(data.get("topic", "") or "")[:60],
            type=type_ if type_ in Resource.Type.values else "",
        )


def apply_filters(queryset: QuerySet, filters: ResourceFilters) -> QuerySet:
    if filters.audience:
        queryset = queryset.filter(audience_rows__audience=filters.audience)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    return queryset


def search_resources(
    query: str,
    filters: ResourceFilters | dict | None = None,
    *,
    queryset: QuerySet | None = None,
) -> QuerySet:
    """Published resources matching ``query`` and ``filters``, best match first.

    An empty query (or one of stop words only) lists matching resources, newest first.
    Pass ``queryset`` to search another set (e.g. the drafts a reviewer may see).
    """
    if not isinstance(filters, ResourceFilters):
        filters = ResourceFilters.from_mapping(filters or {})
    queryset = apply_filters(
        queryset if queryset is not None else Resource.objects.published(), filters
    )
    query = (query or "").strip()[:200]
    if not query:
        return queryset.order_by("-published_at", "-id")
    if connection.vendor == "postgresql":
        return _search_postgres(queryset, query, filters.language)
    return _search_sqlite(queryset, query, filters.language)


def _search_postgres(queryset: QuerySet, query: str, language: str) -> QuerySet:
    configs = [PG_CONFIGS[language]] if language else list(PG_CONFIGS.values())
    search_query = None
    for config in configs:
        part = SearchQuery(query, config=config, search_type="websearch")
        search_query = part if search_query is None else search_query | part
    vector = RawSQL('"library_resource"."search_vector"', [], output_field=SearchVectorField())
    return (
        queryset.alias(vector=vector)
        .filter(vector=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "-published_at", "-id")
    )


def _fts5_query(query: str, language: str) -> str:
    groups = []
    for stems in query_terms(query, language):
        quoted = sorted('"' + stem.replace('"', '""') + '"' for stem in stems if stem)
        if quoted:
            groups.append("(" + " OR ".join(quoted) + ")")
    return " AND ".join(groups)


def _search_sqlite(queryset: QuerySet, query: str, language: str) -> QuerySet:
    expression = _fts5_query(query, language)
    if not expression:
        return queryset.none()
    # FTS5's rank is bm25, where lower is better.
    return (
        queryset.filter(search_entry__document__match=expression)
        .annotate(rank=F("search_entry__rank"))
        .order_by("rank", "-published_at", "-id")
    )


# --- Keeping the SQLite index current -------------------------------------------------------


def _rows(resources) -> list[tuple]:
    return [
        (
            resource.pk,
            index_terms(resource.title, resource.language),
            index_terms(resource.summary, resource.language),
            index_terms(resource.body, resource.language),
        )
        for resource in resources
    ]


def index_resources(resources) -> None:
    """(Re)index these resources (instances) in the SQLite FTS5 table; no-op elsewhere."""
    if connection.vendor != "sqlite":
        return
    rows = _rows(resources)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM library_resource_fts WHERE rowid = %s", [(row[0],) for row in rows]
        )
        cursor.executemany(
            "INSERT INTO library_resource_fts(rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
            rows,
        )


def unindex_resources(resource_ids) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM library_resource_fts WHERE rowid = %s", [(pk,) for pk in resource_ids]
        )


def rebuild_index(*, batch_size: int = 2000, on_batch=None) -> int:
    """Rebuild the whole SQLite index from the resource table; returns the rows indexed."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_resource_fts")
    done = 0
    queryset = Resource.objects.only("pk", "title", "summary", "body", "language").order_by("pk")
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO library_resource_fts(rowid, title, summary, body) "
                "VALUES (%s, %s, %s, %s)",
                _rows(batch),
            )
        done += len(batch)
        last_pk = batch[-1].pk
        if on_batch:
            on_batch(done)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO library_resource_fts(library_resource_fts) VALUES ('optimize')")
    return done
