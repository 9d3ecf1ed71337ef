"""Ranked full-text search over resources: one function, two databases.

``search_resources(query, filters)`` returns a queryset ordered by relevance, best first
(``search()`` returns the same queryset with its counts, for pages and the API).

- PostgreSQL matches the generated ``search_vector`` column (English or Spanish
  configuration, by the resource's language) against ``websearch_to_tsquery`` in both
  languages and ranks with ``ts_rank`` (migration 0002 adds the column and its GIN index).
- SQLite matches the FTS5 table ``library_resource_fts``, whose columns hold snowball stems
  (``kindred.library.text``) plus a ``tags`` column of filter tokens (status, language,
  audiences, type, topics), and ranks with bm25. The services keep it current by calling
  ``index_resources``.

Every word must match; when no resource has them all, any of the words will do. Ranking
every match is what makes broad searches slow (a word like "baby" matches half the library),
so only the ``RANK_WINDOW`` newest matches are ranked; narrower searches are ranked in full.
Search results leave out ``body`` (deferred): list pages do not show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import Col
from django.utils.functional import cached_property

from kindred.library.models import Audience, Resource, ResourceAudience
from kindred.library.text import index_terms, query_terms, resource_tags, tag

PG_CONFIGS = {"en": "english", "es": "spanish"}
RANK_WINDOW = 1000


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

    def tags(self) -> list[str]:
        pairs = [("aud", self.audience), ("lang", self.language), ("type", self.type)]
        pairs.append(("topic", self.topic))
        return [tag(kind, value) for kind, value in pairs if value]


@dataclass
class SearchResults:
    results: QuerySet  # best first (newest first without words)
    count: int  # how many there are to page through
    capped: bool = False  # more resources match than the RANK_WINDOW newest ranked here


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


def _filters(filters) -> ResourceFilters:
    if isinstance(filters, ResourceFilters):
        return filters
    return ResourceFilters.from_mapping(filters or {})


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
    if queryset is not None:
        return _search_within(queryset, (query or "").strip()[:200], _filters(filters))
    return search(query, filters).results


def count_matches(query: str, filters: ResourceFilters | dict | None = None) -> int:
    """How many published resources match: all of them, not only the ranked window (for
    reports; a search page shows "more than N" instead, which costs nothing)."""
    filters = _filters(filters)
    query = (query or "").strip()[:200]
    found = search(query, filters)
    if not found.capped:
        return found.count
    if connection.vendor == "postgresql":
        published = apply_filters(Resource.objects.published(), filters)
        return _pg_matches(published, query, filters)[0].count()
    return _fts_count(_sqlite_candidates(query, filters, published_only=True)[0])


def search(query: str, filters: ResourceFilters | dict | None = None) -> SearchResults:
    """Published resources matching ``query`` and ``filters``, with their counts, each
    found the cheapest way the database allows."""
    filters = _filters(filters)
    query = (query or "").strip()[:200]
    published = Resource.objects.published()
    if connection.vendor == "postgresql":
        if not query:
            results = apply_filters(published, filters).order_by("-published_at", "-id")
            return SearchResults(results, results.count())
        # The tags in the search column do the filtering: no joins to audiences or topics.
        tags = SearchQuery(" & ".join(_published_tags(filters)), config="simple", search_type="raw")
        tagged = published.alias(tag_vector=_pg_vector()).filter(tag_vector=tags)
        matches, search_query = _pg_matches(tagged, query, filters)
        return SearchResults(*_rank_postgres(matches, search_query))
    if not query:
        results = apply_filters(published, filters).order_by("-published_at", "-id")
        if not filters.tags():
            return SearchResults(results, results.count())
        # Counting through the index's tags avoids a join per resource.
        return SearchResults(results, _fts_count(_tags_expression(_published_tags(filters))))
    return _search_sqlite(query, filters)


def _search_within(queryset: QuerySet, query: str, filters: ResourceFilters) -> QuerySet:
    queryset = apply_filters(queryset, filters)
    if not query:
        return queryset.order_by("-published_at", "-id")
    if connection.vendor == "postgresql":
        return _rank_postgres(*_pg_matches(queryset, query, filters))[0]
    expression, rowids = _sqlite_candidates(query, filters, published_only=False)
    return _rank_sqlite(queryset, expression, rowids)


# --- PostgreSQL -----------------------------------------------------------------------------


# The generated column of migration 0002, which the Resource model does not declare (Django
# would try to write it). A Col keeps the table alias right inside subqueries too.
_SEARCH_VECTOR = SearchVectorField()
_SEARCH_VECTOR.set_attributes_from_name("search_vector")
_SEARCH_VECTOR.model = Resource


def _pg_vector() -> Col:
    return Col(Resource._meta.db_table, _SEARCH_VECTOR)


def _pg_query(query: str, language: str) -> SearchQuery:
    configs = [PG_CONFIGS[language]] if language else list(PG_CONFIGS.values())
    search_query = None
    for config in configs:
        part = SearchQuery(query, config=config, search_type="websearch")
        search_query = part if search_query is None else search_query | part
    return search_query


def _pg_matches(
    queryset: QuerySet, query: str, filters: ResourceFilters
) -> tuple[QuerySet, SearchQuery]:
    """Resources with every word or, when none has them all, with any of the words."""
    search_query = _pg_query(query, filters.language)
    matches = queryset.alias(vector=_pg_vector()).filter(vector=search_query)
    words = query.split()
    if len(words) > 1 and not matches.exists():
        search_query = _pg_query(" or ".join(words), filters.language)
        matches = queryset.alias(vector=_pg_vector()).filter(vector=search_query)
    return matches, search_query


def _rank_postgres(matches: QuerySet, search_query: SearchQuery) -> tuple[QuerySet, int, bool]:
    """The matches ranked best first (only the newest RANK_WINDOW of them when there are
    more), how many there are to page through, and whether more matched."""
    newest = list(matches.order_by("-id").values_list("id", flat=True)[: RANK_WINDOW + 1])
    capped = len(newest) > RANK_WINDOW
    if capped:
        matches = matches.filter(id__gt=newest[-1])
    ranked = matches.annotate(rank=SearchRank(_pg_vector(), search_query)).defer("body")
    count = RANK_WINDOW if capped else len(newest)
    return ranked.order_by("-rank", "-published_at", "-id"), count, capped


# --- SQLite ---------------------------------------------------------------------------------


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _published_tags(filters: ResourceFilters) -> list[str]:
    return [*filters.tags(), tag("st", Resource.Status.PUBLISHED)]


def _tags_expression(tags: list[str]) -> str:
    return " AND ".join(f"tags : {_quote(token)}" for token in tags)


def _fts5_query(query: str, filters: ResourceFilters, *, published_only: bool, any_word: bool):
    """Every word (as any of its stems), or any word, in the text columns, and every filter
    token in the tags column."""
    words = []
    for stems in query_terms(query, filters.language):
        quoted = sorted(_quote(stem) for stem in stems if stem)
        if quoted:
            words.append("(" + " OR ".join(quoted) + ")")
    if not words:
        return "", 0
    joined = (" OR " if any_word else " AND ").join(words)
    expression = "{title summary body} : (" + joined + ")"
    if published_only:
        expression += " AND " + _tags_expression(_published_tags(filters))
    return expression, len(words)


def _newest_matches(expression: str) -> list[int]:
    """Rowids of the newest matches: the window, plus one more when there are more."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM library_resource_fts WHERE library_resource_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s",
            [expression, RANK_WINDOW + 1],
        )
        return [row[0] for row in cursor.fetchall()]


def _sqlite_candidates(query: str, filters: ResourceFilters, *, published_only: bool):
    """The FTS5 expression used and the rowids of its newest matches (at most the window)."""
    expression, words = _fts5_query(query, filters, published_only=published_only, any_word=False)
    if not expression:
        return "", []
    rowids = _newest_matches(expression)
    if not rowids and words > 1:
        expression, _words = _fts5_query(
            query, filters, published_only=published_only, any_word=True
        )
        rowids = _newest_matches(expression)
    return expression, rowids


def _fts_count(expression: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM library_resource_fts WHERE library_resource_fts MATCH %s",
            [expression],
        )
        return cursor.fetchone()[0]


def _rank_sqlite(queryset: QuerySet, expression: str, rowids: list[int]) -> QuerySet:
    if not rowids:
        return queryset.none()
    queryset = queryset.filter(search_entry__document__match=expression)
    if len(rowids) > RANK_WINDOW:
        # A rowid range FTS5 applies itself, so only the window's rows are ranked.
        queryset = queryset.filter(search_entry__position__gt=rowids[-1])
    # FTS5's rank is bm25, where lower is better. The body is left out of the rows sorted.
    queryset = queryset.annotate(rank=F("search_entry__rank")).defer("body")
    return queryset.order_by("rank", "-published_at", "-id")


def _search_sqlite(query: str, filters: ResourceFilters) -> SearchResults:
    expression, rowids = _sqlite_candidates(query, filters, published_only=True)
    # The index's tags hold status and filters, so the resource table gets no condition of
    # its own: SQLite then starts from the full-text match (a condition on status would
    # tempt it to visit every published resource and probe the index for each).
    results = _rank_sqlite(Resource.objects.all(), expression, rowids)
    capped = len(rowids) > RANK_WINDOW
    return SearchResults(results, RANK_WINDOW if capped else len(rowids), capped)


class CountedPaginator(Paginator):
    """A paginator told its count (``SearchResults.count``) instead of asking the query."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# --- Keeping the SQLite index current -------------------------------------------------------

_INSERT = (
    "INSERT INTO library_resource_fts(rowid, title, summary, body, tags) "
    "VALUES (%s, %s, %s, %s, %s)"
)


def refresh_tags(resources) -> None:
    """Recompute ``search_tags`` of these resources (instances) from their rows."""
    ids = [resource.pk for resource in resources]
    audiences: dict[int, list[str]] = {pk: [] for pk in ids}
    for resource_id, audience in ResourceAudience.objects.filter(resource__in=ids).values_list(
        "resource_id", "audience"
    ):
        audiences[resource_id].append(audience)
    topics: dict[int, list[str]] = {pk: [] for pk in ids}
    through = Resource.topics.through.objects.filter(resource__in=ids)
    for resource_id, slug in through.values_list("resource_id", "topic__slug"):
        topics[resource_id].append(slug)
    for resource in resources:
        tags = resource_tags(
            status=resource.status,
            language=resource.language,
            type=resource.type,
            audiences=audiences[resource.pk],
            topics=topics[resource.pk],
        )
        if tags != resource.search_tags:
            resource.search_tags = tags
            Resource.objects.filter(pk=resource.pk).update(search_tags=tags)


def _rows(resources) -> list[tuple]:
    return [
        (
            resource.pk,
            index_terms(resource.title, resource.language),
            index_terms(resource.summary, resource.language),
            index_terms(resource.body, resource.language),
            resource.search_tags,
        )
        for resource in resources
    ]


def index_resources(resources) -> None:
    """Bring these resources (instances) up to date in search: their filter tags on every
    database, and their row of the SQLite FTS5 table."""
    if not resources:
        return
    refresh_tags(resources)
    if connection.vendor != "sqlite":
        return
    rows = _rows(resources)
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM library_resource_fts WHERE rowid = %s", [(row[0],) for row in rows]
        )
        cursor.executemany(_INSERT, rows)


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
    done, last_pk = 0, 0
    fields = ("pk", "title", "summary", "body", "language", "search_tags")
    queryset = Resource.objects.only(*fields).order_by("pk")
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        with connection.cursor() as cursor:
            cursor.executemany(_INSERT, _rows(batch))
        done += len(batch)
        last_pk = batch[-1].pk
        if on_batch:
            on_batch(done)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO library_resource_fts(library_resource_fts) VALUES ('optimize')")
    return done
