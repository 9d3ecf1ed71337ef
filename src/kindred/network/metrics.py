"""Network health: who is in the network (counts) and how well its organizations are tied
together (graph metrics over partnerships), for the nation, a state or a community.

- ``Scope`` says which part of the network; it knows its organizations, people, partnerships
  and latest ``NetworkMetrics`` snapshot.
- ``graph_metrics(nodes, edges)`` is pure: density, components, degree centralization, the
  share of ties that cross sectors, the E–I index, and betweenness (brokers). It uses networkx
  and, for betweenness, Brandes' algorithm over scipy sparse matrices, which gives the same
  numbers as ``networkx.betweenness_centrality`` many times faster; on large networks it
  samples source organizations, as networkx's ``k`` does.
- ``compute_metrics(scope)`` loads the graph, computes, lays out the graph view and saves a
  snapshot: the slow part, run by the ``compute_network_metrics`` task.
- ``scope_counts(scope)`` counts people and organizations (cached for a few minutes).
- ``suppress(n)``: public counts of people from 1 to 10 are not shown (design.md §3).
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass
from datetime import date, datetime

import networkx as nx
import numpy as np
import scipy.sparse as sp
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.accounts.models import User
from kindred.core.models import Role, Sector
from kindred.core.progress import advance, finish
from kindred.network.models import (
    Community,
    CommunityMembership,
    MemberProfile,
    NetworkMetrics,
    Organization,
    Partnership,
    PartnershipRating,
)
from kindred.network.partners import community_organizations, partnerships_among, rating_means
from kindred.places.models import State

SMALL_CELL = 11  # counts of people below this (and above zero) are not published
BETWEENNESS_SOURCES = 500  # above this many connected organizations, betweenness is sampled
BROKERS = 10
GRAPH_NODES = 250  # the graph view draws at most this many organizations
GRAPH_WIDTH, GRAPH_HEIGHT, GRAPH_MARGIN = 1000, 700, 30
GROWTH_MONTHS = 24
COUNTS_CACHE_SECONDS = 900
SEED = 2026
ID_LIST_LIMIT = 2000  # more organizations than this are matched in Python, not by a list


def suppress(count: int | None) -> int | None:
    """``count`` if it may be published, None for 1 to 10 people."""
    if count is None or 0 < count < SMALL_CELL:
        return None
    return count


# --- Scopes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    kind: str  # a NetworkMetrics.Scope value
    state: State | None = None
    community: Community | None = None

    @classmethod
    def national(cls) -> Scope:
        return cls(NetworkMetrics.Scope.NATIONAL)

    @classmethod
    def for_state(cls, state: State) -> Scope:
        return cls(NetworkMetrics.Scope.STATE, state=state)

    @classmethod
    def for_community(cls, community: Community) -> Scope:
        return cls(NetworkMetrics.Scope.COMMUNITY, community=community)

    @property
    def key(self) -> str:
        if self.community is not None:
            return f"community:{self.community.pk}"
        if self.state is not None:
            return f"state:{self.state.usps}"
        return "national"

    @property
    def name(self) -> str:
        if self.community is not None:
            return self.community.name
        if self.state is not None:
            return self.state.name
        return _("The national network")

    @property
    def url_args(self) -> list[str]:
        if self.community is not None:
            return [self.community.slug]
        if self.state is not None:
            return [self.state.usps.lower()]
        return []

    def url(self, page: str = "health") -> str:
        """``page`` is "health" or "graph"."""
        suffix = {
            NetworkMetrics.Scope.NATIONAL: "",
            NetworkMetrics.Scope.STATE: "-state",
            NetworkMetrics.Scope.COMMUNITY: "-community",
        }[self.kind]
        return reverse(f"network:{page}{suffix}", args=self.url_args)

    def organizations(self) -> QuerySet[Organization]:
        if self.community is not None:
            return community_organizations(self.community)
        if self.state is not None:
            return Organization.objects.filter(state=self.state)
        return Organization.objects.all()

    def profiles(self) -> QuerySet[MemberProfile]:
        # NOT IN (the few inactive accounts) rather than a join over every profile.
        inactive = User.objects.filter(is_active=False).values("pk")
        people = MemberProfile.objects.exclude(user_id__in=inactive)
        if self.community is not None:
            members = CommunityMembership.objects.filter(
                community=self.community, status=CommunityMembership.Status.ACTIVE
            ).values("user_id")
            return people.filter(user_id__in=members)
        if self.state is not None:
            return people.filter(state=self.state)
        return people

    def partnerships(self) -> QuerySet[Partnership]:
        if self.kind == NetworkMetrics.Scope.NATIONAL:
            return Partnership.objects.all()
        return partnerships_among(self.organizations())

    def snapshots(self) -> QuerySet[NetworkMetrics]:
        return NetworkMetrics.objects.filter(
            scope=self.kind, state=self.state, community=self.community
        )

    def latest(self) -> NetworkMetrics | None:
        return self.snapshots().order_by("-computed_at", "-id").first()


def can_recompute(user, scope: Scope) -> bool:
    """Network staff for any scope; a community's organizers for it; organizers of a state
    hub for their state; organizers of the national network for the nation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if scope.community is not None:
        return scope.community.can_organize(user)
    hubs = CommunityMembership.objects.filter(
        user=user,
        role=CommunityMembership.Role.ORGANIZER,
        status=CommunityMembership.Status.ACTIVE,
        community__is_active=True,
    )
    if scope.state is not None:
        return hubs.filter(
            community__level=Community.Level.STATE, community__state=scope.state
        ).exists()
    return hubs.filter(community__level=Community.Level.NATIONAL).exists()


# --- Graph metrics (pure) -------------------------------------------------------------------


def _adjacency(n: int, edges: list[tuple[int, int]], dtype=np.float32) -> sp.csr_matrix:
    if not edges:
        return sp.csr_matrix((n, n), dtype=dtype)
    first, second = np.array(edges, dtype=np.int64).T
    rows = np.concatenate([first, second])
    cols = np.concatenate([second, first])
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # duplicate edges count once
    return matrix


def brandes_betweenness(
    n: int, edges: list[tuple[int, int]], sources: list[int], *, batch: int = 64
) -> np.ndarray:
    """Unnormalized betweenness (each ordered pair of endpoints counted, as Brandes does)
    from shortest paths starting at ``sources``, on an undirected graph with nodes 0..n-1.

    Breadth-first search for a batch of sources at once is a sparse matrix times a dense
    matrix per level; the backward accumulation of dependencies is one more per level.
    Single precision inside a batch (about 1e-7 relative error, three times faster), double
    precision for the sums.
    """
    dtype = np.float32
    matrix = _adjacency(n, edges, dtype)
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = np.asarray(sources[start : start + batch], dtype=np.int64)
        columns = np.arange(len(src))
        sigma = np.zeros((n, len(src)), dtype=dtype)  # shortest paths from each source
        sigma[src, columns] = 1.0
        seen = sigma > 0
        frontier = sigma.copy()
        levels = [sigma.copy()]  # 1.0 where a node is at that distance from the source
        while True:
            reached = matrix @ frontier
            new = reached > 0
            new &= ~seen
            if not new.any():
                break
            seen |= new
            mask = new.astype(dtype)
            reached *= mask
            sigma += reached
            frontier = reached
            levels.append(mask)
        delta = np.zeros_like(sigma)
        inverse = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
        for depth in range(len(levels) - 1, 0, -1):
            share = (1.0 + delta) * inverse
            share *= levels[depth]
            back = matrix @ share
            back *= sigma
            back *= levels[depth - 1]
            delta += back
        delta[src, columns] = 0.0
        total += delta.sum(axis=1, dtype=np.float64)
    return total


def build_graph(nodes: dict[int, frozenset], edges: list[tuple[int, int]]) -> nx.Graph:
    """The undirected graph; self-loops, repeated pairs and unknown nodes are dropped."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in nodes and b in nodes)
    return graph


def graph_metrics(
    nodes: dict[int, frozenset],
    edges: list[tuple[int, int]],
    *,
    sources: int = BETWEENNESS_SOURCES,
    seed: int = SEED,
    graph: nx.Graph | None = None,
) -> dict:
    """Network-health metrics of an undirected graph.

    ``nodes`` maps each node id to the set of its sectors; ``edges`` are pairs of node ids.
    A tie is *within* a sector when its two organizations share a sector, *across* sectors
    when both have sectors and share none (ties with an organization without a sector are
    left out of the sector measures). Returns plain JSON-ready values; measures that need
    more nodes or ties than there are are None. ``graph``: ``build_graph(nodes, edges)``
    if already built.
    """
    graph = graph if graph is not None else build_graph(nodes, edges)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    degrees = [d for _node, d in graph.degree()]
    components = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)

    centralization = None
    if n >= 3:
        top = max(degrees)
        centralization = sum(top - d for d in degrees) / ((n - 1) * (n - 2))

    within = across = 0
    for a, b in graph.edges():
        sectors_a, sectors_b = nodes[a], nodes[b]
        if not sectors_a or not sectors_b:
            continue
        if sectors_a & sectors_b:
            within += 1
        else:
            across += 1
    sector_ties = within + across

    brokers, sampled = _brokers(graph, sources=sources, seed=seed)
    return {
        "nodes": n,
        "ties": m,
        "density": (2 * m / (n * (n - 1))) if n >= 2 else None,
        "mean_degree": (2 * m / n) if n else None,
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "isolates": sum(1 for d in degrees if d == 0),
        "degree_centralization": centralization,
        "ties_within_sector": within,
        "ties_across_sectors": across,
        "cross_sector_share": (across / sector_ties) if sector_ties else None,
        "ei_index": ((across - within) / sector_ties) if sector_ties else None,
        "brokers": brokers,
        "betweenness_sources": sampled,
    }


def _brokers(graph: nx.Graph, *, sources: int, seed: int) -> tuple[list[list], int | None]:
    """The ``BROKERS`` nodes with the highest betweenness (normalized as networkx does), and
    how many sources were sampled (None: exact)."""
    n = graph.number_of_nodes()
    if n < 3 or graph.number_of_edges() == 0:
        return [], None
    order = list(graph.nodes())
    index = {node: i for i, node in enumerate(order)}
    edges = [(index[a], index[b]) for a, b in graph.edges()]
    connected = [index[node] for node, d in graph.degree() if d > 0]
    sampled = None
    if len(connected) > sources:
        # A reproducible sample of sources for approximate betweenness, not a secret.
        connected = sorted(random.Random(seed).sample(connected, sources))  # noqa: S311
        sampled = sources
    scores = brandes_betweenness(n, edges, connected)
    scale = 1.0 / ((n - 1) * (n - 2))
    if sampled:
        scale *= sum(1 for _node, d in graph.degree() if d > 0) / sampled
    ranked = np.argsort(-scores, kind="stable")[:BROKERS]
    return [
        [order[i], round(float(scores[i] * scale), 6)] for i in ranked if scores[i] > 0
    ], sampled


def graph_layout(
    nodes: dict[int, frozenset],
    edges: list[tuple[int, int]],
    *,
    limit: int = GRAPH_NODES,
    graph: nx.Graph | None = None,
) -> dict:
    """Positions for the graph view (``spring_layout`` with a fixed seed): all organizations
    when there are at most ``limit``, otherwise a connected neighbourhood of ``limit``
    (``_neighbourhood``), so that the ties between them show."""
    graph = graph if graph is not None else build_graph(nodes, edges)
    shown = list(graph.nodes())
    if len(shown) > limit:
        shown = _neighbourhood(graph, limit)
    sub = graph.subgraph(shown)
    if not shown:
        return {"nodes": [], "edges": []}
    positions = nx.spring_layout(sub, seed=SEED, iterations=60) if len(shown) > 1 else {}
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner_w = GRAPH_WIDTH - 2 * GRAPH_MARGIN
    inner_h = GRAPH_HEIGHT - 2 * GRAPH_MARGIN
    placed = []
    for node in sorted(shown):
        x, y = positions.get(node, (0.0, 0.0))
        placed.append(
            [
                node,
                round(
                    GRAPH_MARGIN + inner_w * (x - min(xs)) / span_x if positions else inner_w / 2
                ),
                round(
                    GRAPH_MARGIN + inner_h * (y - min(ys)) / span_y if positions else inner_h / 2
                ),
                graph.degree(node),
            ]
        )
    return {"nodes": placed, "edges": [[a, b] for a, b in sub.edges()]}


def _neighbourhood(graph: nx.Graph, limit: int) -> list:
    """``limit`` organizations grown outward from the one with the most partners, always
    taking next the reached organization with the most partners (then the lowest id)."""
    start = min(graph.nodes(), key=lambda node: (-graph.degree(node), node))
    chosen, seen = [], {start}
    frontier = [(-graph.degree(start), start)]
    while frontier and len(chosen) < limit:
        _degree, node = heapq.heappop(frontier)
        chosen.append(node)
        for other in graph.neighbors(node):
            if other not in seen:
                seen.add(other)
                heapq.heappush(frontier, (-graph.degree(other), other))
    if len(chosen) < limit:  # a small component: fill up with the best-connected others
        rest = sorted(
            (node for node in graph.nodes() if node not in seen),
            key=lambda node: (-graph.degree(node), node),
        )
        chosen += rest[: limit - len(chosen)]
    return chosen


# --- Snapshots ------------------------------------------------------------------------------


def load_graph(scope: Scope) -> tuple[dict[int, frozenset], list[tuple[int, int]]]:
    """Organization ids with their sector ids, and partnership pairs, for ``scope``.

    The organizations are read once; a few are then passed as a list of ids, and many
    (more than ``ID_LIST_LIMIT``) are matched in Python over the whole table, which is
    quicker than the database evaluating the scope's subquery again for every row."""
    ids = set(scope.organizations().values_list("pk", flat=True))
    everyone = scope.kind == NetworkMetrics.Scope.NATIONAL or len(ids) > ID_LIST_LIMIT
    sectors: dict[int, set] = {pk: set() for pk in ids}
    through = Organization.sectors.through.objects.values_list("organization_id", "sector_id")
    pairs = Partnership.objects.values_list("org_a_id", "org_b_id")
    if not everyone:
        through = through.filter(organization_id__in=list(ids))
        pairs = pairs.filter(org_a_id__in=list(ids))
    for org_id, sector_id in through:
        if org_id in sectors:
            sectors[org_id].add(sector_id)
    edges = [(a, b) for a, b in pairs if a in ids and b in ids]
    return {pk: frozenset(s) for pk, s in sectors.items()}, edges


def scope_rating_means(scope: Scope, ids: set[int]) -> dict:
    """Mean trust and value of the ratings between organizations in ``scope`` (``ids``)."""
    if scope.kind == NetworkMetrics.Scope.NATIONAL:
        return rating_means(PartnershipRating.objects.all())
    rows = PartnershipRating.objects.values_list(
        "rater_org_id",
        "rated_org_id",
        *PartnershipRating.TRUST_FIELDS,
        *PartnershipRating.VALUE_FIELDS,
    )
    if len(ids) <= ID_LIST_LIMIT:
        rows = rows.filter(rater_org_id__in=list(ids))
    trust, value = [], []
    for rater, rated, *scores in rows:
        if rater in ids and rated in ids:
            trust.append(sum(scores[:3]) / 3)
            value.append(sum(scores[3:]) / 3)
    return {
        "trust": round(sum(trust) / len(trust), 2) if trust else None,
        "value": round(sum(value) / len(value), 2) if value else None,
        "count": len(trust),
    }


def _primary_sectors(nodes: dict[int, frozenset], shown: list[int]) -> dict[int, int | None]:
    ordered = Sector.objects.order_by("sort_order", "name_en").values_list("pk", flat=True)
    order = {pk: i for i, pk in enumerate(ordered)}
    return {
        pk: min(nodes[pk], key=lambda s: order.get(s, 10**6)) if nodes[pk] else None for pk in shown
    }


def compute_metrics(scope: Scope, *, progress_id: str | None = None) -> NetworkMetrics:
    """Compute every measure for ``scope`` and save a new snapshot."""
    started = time.monotonic()

    def step(done: int, message: str) -> None:
        if progress_id:
            advance(progress_id, done=done, total=5, message=message)

    step(0, _("Reading organizations and partnerships"))
    nodes, edges = load_graph(scope)
    graph = build_graph(nodes, edges)
    step(1, _("Measuring ties and sectors"))
    data = graph_metrics(nodes, edges, graph=graph)
    step(2, _("Averaging trust and value"))
    means = scope_rating_means(scope, set(nodes))
    data.update(mean_trust=means["trust"], mean_value=means["value"], ratings=means["count"])
    step(3, _("Laying out the graph"))
    layout = graph_layout(nodes, edges, graph=graph)
    shown = [node[0] for node in layout["nodes"]]
    primary = _primary_sectors(nodes, shown)
    for node in layout["nodes"]:
        node.append(primary[node[0]])
    broker_ids = [pk for pk, _score in data["brokers"]]
    labels = {
        pk: (name, slug)
        for pk, name, slug in Organization.objects.filter(
            pk__in=set(shown) | set(broker_ids)
        ).values_list("pk", "name", "slug")
    }
    names = {pk: name for pk, (name, _slug) in labels.items()}
    slugs = {pk: slug for pk, (_name, slug) in labels.items()}
    data["brokers"] = [
        {"id": pk, "name": names.get(pk, ""), "slug": slugs.get(pk, ""), "betweenness": score}
        for pk, score in data["brokers"]
    ]
    data["graph"] = {
        # [id, x, y, degree, primary sector id, name, slug]
        "nodes": [
            [*node, names.get(node[0], ""), slugs.get(node[0], "")] for node in layout["nodes"]
        ],
        "edges": layout["edges"],
    }
    data["seconds"] = round(time.monotonic() - started, 2)
    step(4, _("Saving"))
    with transaction.atomic():
        snapshot = NetworkMetrics.objects.create(
            scope=scope.kind,
            state=scope.state,
            community=scope.community,
            computed_at=timezone.now(),
            node_count=data["nodes"],
            edge_count=data["ties"],
            data=data,
        )
    if progress_id:
        finish(
            progress_id, message=_("The network's health is up to date."), result_url=scope.url()
        )
    return snapshot


# --- Counts of people and organizations -----------------------------------------------------


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return starts[::-1]


def _growth(queryset: QuerySet, starts: list[date], *, minus: QuerySet | None = None) -> list[int]:
    """Cumulative count at the end of each month starting at ``starts``.

    A whole table (``minus`` given: a few rows to take away, such as inactive accounts) is
    counted month by month, each count walking only that month's stretch of the index on
    ``created``. A part of a table (a state, a community) is counted in one pass with one
    filtered count per month. Neither runs a date function per row (SQLite runs those in
    Python).
    """
    bounds = [_midnight(start) for start in starts] + [_midnight(_next_month(starts[-1]))]
    if minus is None:
        totals = queryset.aggregate(
            **{
                f"m{i}": Count("pk", filter=Q(created__lt=high))
                for i, high in enumerate(bounds[1:])
            }
        )
        return [totals[f"m{i}"] for i in range(len(bounds) - 1)]
    running = queryset.filter(created__lt=bounds[0]).count()
    totals = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        running += queryset.filter(created__gte=low, created__lt=high).count()
        totals.append(running)
    gone = list(minus.values_list("created", flat=True))
    return [
        total - sum(1 for created in gone if created < high)
        for total, high in zip(totals, bounds[1:], strict=True)
    ]


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _through_counts(relation, people: QuerySet | None, model) -> dict[str, int]:
    """People per vocabulary term, counted on the many-to-many table alone (its index)
    rather than joined to every profile. ``people`` None: everyone but inactive accounts."""
    through = relation.through.objects.all()
    if people is None:
        inactive = MemberProfile.objects.filter(user__is_active=False).values("pk")
        through = through.exclude(memberprofile_id__in=inactive)
    else:
        through = through.filter(memberprofile_id__in=people.values("pk"))
    column = relation.field.m2m_reverse_field_name()  # "role" or "sector"
    counts = dict(
        through.values_list(f"{column}_id").annotate(n=Count("pk")).values_list(f"{column}_id", "n")
    )
    slugs = dict(model.objects.filter(pk__in=counts).values_list("pk", "slug"))
    return {slugs[pk]: n for pk, n in counts.items() if pk in slugs}


def _counts_by(queryset: QuerySet, field: str) -> dict:
    return {
        key: n
        for key, n in queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n")
        if key is not None
    }


def compute_counts(scope: Scope) -> dict:
    """People and organizations in ``scope``, by role, sector, place and month (raw counts;
    suppress them before publishing). A fixed number of queries."""
    people = scope.profiles()
    organizations = scope.organizations()
    scoped = None if scope.kind == NetworkMetrics.Scope.NATIONAL else people
    in_state = scope.community is not None and scope.community.state_id
    local = scope.community is not None and scope.community.level not in {
        Community.Level.NATIONAL,
        Community.Level.TOPIC,
    }
    placed = people
    if scope.kind == NetworkMetrics.Scope.STATE:
        place_level = "county"
    elif local and in_state:
        place_level = "county"
        placed = people.filter(county__state_id=scope.community.state_id)
    else:
        place_level = "state"
    if place_level == "county":
        by_place = _counts_by(placed, "county_id")
    else:
        usps = dict(State.objects.values_list("fips", "usps"))
        by_place = {usps[k]: n for k, n in _counts_by(placed, "state_id").items() if k in usps}
    starts = _month_starts(timezone.localdate(), GROWTH_MONTHS)
    return {
        "members": people.count(),
        "organizations": organizations.count(),
        "partnerships": scope.partnerships().count(),
        "members_by_role": _through_counts(MemberProfile.roles, scoped, Role),
        "members_by_sector": _through_counts(MemberProfile.sectors, scoped, Sector),
        "organizations_by_sector": _counts_by(organizations, "sectors__slug"),
        "place_level": place_level,
        "members_by_place": by_place,
        "months": [start.isoformat()[:7] for start in starts],
        "members_growth": _growth(people, starts)
        if scoped is not None
        else _growth(
            MemberProfile.objects.all(),
            starts,
            minus=MemberProfile.objects.filter(
                user_id__in=User.objects.filter(is_active=False).values("pk")
            ),
        ),
        "organizations_growth": _growth(organizations, starts),
    }


def scope_counts(scope: Scope) -> dict:
    """``compute_counts`` kept in the cache for a few minutes."""
    key = f"network:counts:{scope.key}:{timezone.localdate().isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = compute_counts(scope)
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts
