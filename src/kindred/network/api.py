"""Network API, mounted at /api/network/. Public and read-only: it answers as a visitor
would see the network (public, listed profiles only; counts of 1 to 10 people suppressed).
These shapes are stable: add fields, never rename."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kindred.core.models import Role, Sector
from kindred.network import metrics
from kindred.network.models import Community, MemberProfile, OrganizationMembership
from kindred.network.search import search_people
from kindred.places.models import County, State

router = Router(tags=["network"])

MAX_PAGE_SIZE = 100


# --- Schemas --------------------------------------------------------------------------------


class TermRef(Schema):
    slug: str
    name: str


class OrganizationRef(Schema):
    name: str
    slug: str
    url: str


class PlaceOut(Schema):
    state: str | None  # USPS code
    county: str | None  # county name
    county_fips: str | None


class DirectoryEntry(Schema):
    id: int
    name: str
    pronouns: str
    bio: str
    roles: list[TermRef]
    sectors: list[TermRef]
    languages: list[str]  # ISO 639 codes
    place: PlaceOut
    organizations: list[OrganizationRef]
    url: str


class DirectoryPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    items: list[DirectoryEntry]


class DirectoryQuery(Schema):
    q: str | None = None
    role: str | None = None  # role slug
    sector: str | None = None  # sector slug
    state: str | None = None  # USPS code
    page: int = 1
    page_size: int = 20


class CommunityOut(Schema):
    slug: str
    name: str
    level: str
    description: str
    state: str | None
    county: str | None
    county_fips: str | None
    topic: str | None
    join_policy: str
    member_count: int | None  # None: fewer than 11 (suppressed)
    parents: list[str]  # slugs
    url: str


class CommunityDetail(CommunityOut):
    children: list[str]
    peers: list[str]
    health_url: str
    stats_url: str


class CommunityPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    items: list[CommunityOut]


class CommunityQuery(Schema):
    level: str | None = None
    state: str | None = None
    page: int = 1
    page_size: int = 50


class CountOut(Schema):
    key: str  # slug, USPS code or county FIPS
    name: str
    count: int | None  # None when suppressed (1 to 10 people)
    suppressed: bool


class ScopeOut(Schema):
    kind: str  # national, state or community
    name: str
    state: str | None
    community: str | None


class BrokerOut(Schema):
    name: str
    slug: str
    betweenness: float


class MetricsOut(Schema):
    computed_at: datetime
    organizations: int
    partnerships: int
    density: float | None
    mean_degree: float | None
    components: int
    largest_component: int
    isolates: int
    degree_centralization: float | None
    ties_within_sector: int
    ties_across_sectors: int
    cross_sector_share: float | None
    ei_index: float | None
    mean_trust: float | None
    mean_value: float | None
    ratings: int
    brokers: list[BrokerOut]
    betweenness_sources: int | None  # None: exact; else the number of sampled sources


class StatsOut(Schema):
    scope: ScopeOut
    members: int | None
    members_suppressed: bool
    organizations: int
    partnerships: int
    members_by_role: list[CountOut]
    members_by_sector: list[CountOut]
    organizations_by_sector: list[CountOut]
    place_level: str  # "state" or "county"
    members_by_place: list[CountOut]
    metrics: MetricsOut | None


class StatsQuery(Schema):
    community: str | None = None  # community slug
    state: str | None = None  # USPS code


class ErrorOut(Schema):
    detail: str


# --- Helpers --------------------------------------------------------------------------------


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return _absolute(request, f"{request.path}?{params.urlencode()}")


def _paginate(request: HttpRequest, queryset, page: int, page_size: int):
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}.")
    paginator = Paginator(queryset, page_size)
    if page > max(1, paginator.num_pages):
        raise HttpError(404, "There is no such page.")
    current = paginator.page(page)
    envelope = {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "page_size": page_size,
        "next": _page_url(request, current.next_page_number()) if current.has_next() else None,
        "previous": _page_url(request, current.previous_page_number())
        if current.has_previous()
        else None,
    }
    return current, envelope


def _term(model, slug: str | None, what: str):
    if not slug:
        return None
    term = model.objects.filter(slug=slug).first()
    if term is None:
        raise HttpError(422, f"There is no {what} with the code {slug!r}.")
    return term


def _state(usps: str | None):
    if not usps:
        return None
    state = State.objects.filter(usps=usps.strip().upper()).first()
    if state is None:
        raise HttpError(404, _("There is no state with the postal code %(usps)s.") % {"usps": usps})
    return state


# --- Directory ------------------------------------------------------------------------------


@router.get(
    "/directory",
    response={200: DirectoryPage, 404: ErrorOut, 422: ErrorOut},
    summary="Public directory entries",
)
def list_directory(request: HttpRequest, params: Query[DirectoryQuery]):
    """Members who chose to be listed with a public profile, by name; filter by text (name,
    organization, city), role, sector (slugs) and state (USPS code)."""
    filters = {
        "q": (params.q or "")[:200],
        "role": _term(Role, params.role, "role"),
        "sector": _term(Sector, params.sector, "sector"),
        "state": _state(params.state),
    }
    people = (
        search_people(filters, AnonymousUser())
        .select_related("county", "state")
        .prefetch_related(
            "roles",
            "sectors",
            "languages",
            Prefetch(
                "user__organization_memberships",
                queryset=OrganizationMembership.objects.select_related("organization"),
            ),
        )
    )
    page, envelope = _paginate(request, people, params.page, params.page_size)
    return {**envelope, "items": [_entry(request, p) for p in page.object_list]}


def _entry(request: HttpRequest, profile: MemberProfile) -> dict:
    return {
        "id": profile.pk,
        "name": profile.display_name,
        "pronouns": profile.pronouns,
        "bio": profile.bio,
        "roles": [{"slug": r.slug, "name": r.name} for r in profile.roles.all()],
        "sectors": [{"slug": s.slug, "name": s.name} for s in profile.sectors.all()],
        "languages": [lang.code for lang in profile.languages.all()],
        "place": {
            "state": profile.state.usps if profile.state_id else None,
            "county": profile.county.name if profile.county_id else None,
            "county_fips": profile.county_id,
        },
        "organizations": [
            {
                "name": m.organization.name,
                "slug": m.organization.slug,
                "url": _absolute(request, m.organization.get_absolute_url()),
            }
            for m in profile.user.organization_memberships.all()
        ],
        "url": _absolute(request, profile.get_absolute_url()),
    }


# --- Communities ----------------------------------------------------------------------------


def _communities():
    """Without member counts: see ``Community.objects.count_members()``."""
    return (
        Community.objects.visible_to(AnonymousUser())
        .select_related("state", "county", "topic")
        .prefetch_related(Prefetch("parents", queryset=Community.objects.only("slug")))
        .order_by("name", "id")
    )


def _community_out(request: HttpRequest, community: Community) -> dict:
    return {
        "slug": community.slug,
        "name": community.name,
        "level": community.level,
        "description": community.description,
        "state": community.state.usps if community.state_id else None,
        "county": community.county.name if community.county_id else None,
        "county_fips": community.county_id,
        "topic": community.topic.slug if community.topic_id else None,
        "join_policy": community.join_policy,
        "member_count": metrics.suppress(community.member_count),
        "parents": [parent.slug for parent in community.parents.all()],
        "url": _absolute(request, community.get_absolute_url()),
    }


@router.get(
    "/communities",
    response={200: CommunityPage, 404: ErrorOut, 422: ErrorOut},
    summary="Communities",
)
def list_communities(request: HttpRequest, params: Query[CommunityQuery]):
    """Active communities by name; filter by level and state (USPS code). Member counts
    under 11 are null."""
    communities = _communities()
    if params.level:
        if params.level not in Community.Level.values:
            raise HttpError(422, f"level must be one of {', '.join(Community.Level.values)}.")
        communities = communities.filter(level=params.level)
    if params.state:
        communities = communities.filter(state=_state(params.state))
    page, envelope = _paginate(request, communities, params.page, params.page_size)
    items = Community.objects.count_members(page.object_list)
    return {**envelope, "items": [_community_out(request, c) for c in items]}


@router.get(
    "/communities/{slug}",
    response={200: CommunityDetail, 404: ErrorOut},
    summary="One community",
)
def get_community(request: HttpRequest, slug: str):
    community = (
        _communities()
        .with_member_count()
        .prefetch_related(
            Prefetch("children", queryset=Community.objects.active().only("slug")),
            Prefetch("peers", queryset=Community.objects.active().only("slug")),
        )
        .filter(slug=slug)
        .first()
    )
    if community is None:
        raise HttpError(404, _("There is no community at this address."))
    scope = metrics.Scope.for_community(community)
    return {
        **_community_out(request, community),
        "children": [c.slug for c in community.children.all()],
        "peers": [c.slug for c in community.peers.all()],
        "health_url": _absolute(request, scope.url()),
        "stats_url": _absolute(request, reverse("api:network-stats"))
        + f"?community={community.slug}",
    }


# --- Statistics -----------------------------------------------------------------------------


def _counts(rows: dict, names: dict, *, people: bool) -> list[dict]:
    out = []
    for key, n in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
        shown = metrics.suppress(n) if people else n
        out.append(
            {
                "key": key,
                "name": names.get(key, key),
                "count": shown,
                "suppressed": shown is None,
            }
        )
    return out


def _metrics_out(snapshot) -> dict | None:
    if snapshot is None:
        return None
    data = snapshot.data
    keys = [
        "density",
        "mean_degree",
        "degree_centralization",
        "cross_sector_share",
        "ei_index",
        "mean_trust",
        "mean_value",
        "betweenness_sources",
    ]
    return {
        "computed_at": snapshot.computed_at,
        "organizations": snapshot.node_count,
        "partnerships": snapshot.edge_count,
        **{key: data.get(key) for key in keys},
        **{
            key: data.get(key) or 0
            for key in (
                "components",
                "largest_component",
                "isolates",
                "ties_within_sector",
                "ties_across_sectors",
                "ratings",
            )
        },
        "brokers": [
            {"name": b["name"], "slug": b["slug"], "betweenness": b["betweenness"]}
            for b in data.get("brokers", [])
        ],
    }


@router.get(
    "/stats",
    response={200: StatsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Network statistics",
    url_name="network-stats",
)
def network_stats(request: HttpRequest, params: Query[StatsQuery]):
    """Members by role, sector and place, organizations by sector, and the latest network
    health metrics, for the whole network, a community (``?community=<slug>``) or a state
    (``?state=<USPS>``). Counts of 1 to 10 people are null with ``suppressed: true``."""
    if params.community and params.state:
        raise HttpError(422, "Ask about a community or a state, not both.")
    if params.community:
        community = (
            Community.objects.visible_to(AnonymousUser())
            .select_related("state")
            .filter(slug=params.community)
            .first()
        )
        if community is None:
            raise HttpError(404, _("There is no community at this address."))
        scope = metrics.Scope.for_community(community)
    elif params.state:
        scope = metrics.Scope.for_state(_state(params.state))
    else:
        scope = metrics.Scope.national()
    counts = metrics.scope_counts(scope)
    roles = {r.slug: r.name for r in Role.objects.all()}
    sectors = {s.slug: s.name for s in Sector.objects.all()}
    if counts["place_level"] == "state":
        places = dict(State.objects.values_list("usps", "name"))
    else:
        places = dict(
            County.objects.filter(fips__in=list(counts["members_by_place"])).values_list(
                "fips", "name"
            )
        )
    members = metrics.suppress(counts["members"])
    return {
        "scope": {
            "kind": scope.kind,
            "name": scope.name,
            "state": scope.state.usps if scope.state else None,
            "community": scope.community.slug if scope.community else None,
        },
        "members": members,
        "members_suppressed": members is None and bool(counts["members"]),
        "organizations": counts["organizations"],
        "partnerships": counts["partnerships"],
        "members_by_role": _counts(counts["members_by_role"], roles, people=True),
        "members_by_sector": _counts(counts["members_by_sector"], sectors, people=True),
        "organizations_by_sector": _counts(
            counts["organizations_by_sector"], sectors, people=False
        ),
        "place_level": counts["place_level"],
        "members_by_place": _counts(counts["members_by_place"], places, people=True),
        "metrics": _metrics_out(scope.latest()),
    }
