"""Network map and health for the nation, a state or a community.

Pages read the latest ``NetworkMetrics`` snapshot and cached counts, so they run a fixed
number of queries whatever the size of the network; "Recompute" (staff and organizers)
starts the background task. Counts of people from 1 to 10 show as "<11".
"""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kindred.core.models import Role, Sector
from kindred.core.progress import enqueue_with_progress
from kindred.network import metrics
from kindred.network.models import Community, NetworkMetrics, Partnership
from kindred.network.tasks import compute_network_metrics
from kindred.places import maps
from kindred.places.models import County, State

TIES_PAGE_SIZE = 50
# Okabe–Ito colours (told apart with colour-blindness; yellow swapped for a darker gold),
# then grey for "other sectors". Nodes have a dark outline, so each stands out on white.
SECTOR_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#A6761D"]
OTHER_COLOUR = "#7f7f7f"
CHART_W, CHART_H, CHART_PAD = 640, 240, 40


# --- Scopes from URLs -----------------------------------------------------------------------


def _state_scope(usps: str) -> metrics.Scope:
    state = State.objects.filter(usps=usps.upper()).first()
    if state is None:
        raise Http404
    return metrics.Scope.for_state(state)


def _community_scope(user, slug: str) -> metrics.Scope:
    community = get_object_or_404(
        Community.objects.visible_to(user).select_related("state", "county"), slug=slug
    )
    return metrics.Scope.for_community(community)


# --- Presentation helpers -------------------------------------------------------------------


def people_count(n: int | None) -> str:
    """A count of people as it may be published: "<11" for 1 to 10."""
    shown = metrics.suppress(n)
    if shown is None and n:
        return _("<11")
    return formats.number_format(shown or 0, force_grouping=True)


def _bars(rows: list[tuple[str, int]], *, people: bool) -> list[dict]:
    """Rows of a bar table: label, the number as shown, and the bar's length (0–100)."""
    shown = [(label, metrics.suppress(n) if people else n, n) for label, n in rows]
    top = max([1, *(value or 0 for _label, value, _raw in shown)])
    return [
        {
            "label": label,
            "text": people_count(raw)
            if people
            else formats.number_format(raw, force_grouping=True),
            "width": round(100 * (value or 0) / top, 1),
            "suppressed": value is None and bool(raw),
        }
        for label, value, raw in sorted(shown, key=lambda r: (-(r[1] or 0), r[0]))
    ]


def _term_names(model, counts: dict) -> list[tuple[str, int]]:
    names = {term.slug: term.name for term in model.objects.filter(slug__in=list(counts))}
    return [(names.get(slug, slug), n) for slug, n in counts.items()]


def growth_chart(
    months: list[str], series: list[tuple[str, list[int | None], str]], *, title: str = ""
) -> dict:
    """A line chart in SVG coordinates: each series is (label, values, css class); None
    values (suppressed) break the line."""
    peak = max([1, *(v for _l, values, _c in series for v in values if v is not None)])
    steps = max(1, len(months) - 1)
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD

    def point(i: int, v: int) -> str:
        return f"{CHART_PAD + inner_w * i / steps:.1f},{CHART_PAD + inner_h * (1 - v / peak):.1f}"

    lines = []
    for label, values, css in series:
        segments, current = [], []
        for i, v in enumerate(values):
            if v is None:
                if current:
                    segments.append(" ".join(current))
                current = []
            else:
                current.append(point(i, v))
        if current:
            segments.append(" ".join(current))
        lines.append({"label": label, "segments": segments, "css": css})
    ticks = [
        {"x": CHART_PAD + inner_w * i / steps, "label": months[i]}
        for i in sorted({0, len(months) // 2, len(months) - 1})
        if months
    ]
    return {
        "title": title,
        "id": "chart-" + (series[0][2] if series else "empty"),
        "width": CHART_W,
        "height": CHART_H,
        "pad": CHART_PAD,
        "bottom": CHART_H - CHART_PAD,
        "right": CHART_W - CHART_PAD,
        "peak": formats.number_format(peak, force_grouping=True),
        "lines": lines,
        "ticks": ticks,
    }


def _percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(100 * value, digits) + "%"


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, digits)


def explained_metrics(data: dict) -> list[dict]:
    """Each measure with its value and one plain sentence."""
    return [
        {
            "key": "density",
            "label": _("Density"),
            "value": _percent(data.get("density"), 2),
            "text": _(
                "Of all the partnerships that could exist between these organizations, "
                "the share that do."
            ),
        },
        {
            "key": "components",
            "label": _("Connected groups"),
            "value": formats.number_format(data.get("components", 0), force_grouping=True),
            "text": ngettext(
                "Groups of organizations that can reach each other through partners; the "
                "largest holds %(n)s organization (%(isolates)s have no partner yet).",
                "Groups of organizations that can reach each other through partners; the "
                "largest holds %(n)s organizations (%(isolates)s have no partner yet).",
                data.get("largest_component", 0),
            )
            % {
                "n": formats.number_format(data.get("largest_component", 0), force_grouping=True),
                "isolates": formats.number_format(data.get("isolates", 0), force_grouping=True),
            },
        },
        {
            "key": "centralization",
            "label": _("Degree centralization"),
            "value": _number(data.get("degree_centralization"), 3),
            "text": _(
                "How much partnerships gather around a few hubs: 0 when every organization "
                "has as many partners as the others, 1 when all ties run through one."
            ),
        },
        {
            "key": "cross_sector",
            "label": _("Ties across sectors"),
            "value": _percent(data.get("cross_sector_share")),
            "text": _(
                "The share of partnerships that join organizations from different sectors, "
                "such as a clinic and a child-care program."
            ),
        },
        {
            "key": "ei_index",
            "label": _("E–I index (by sector)"),
            "value": _number(data.get("ei_index")),
            "text": _(
                "From −1 when every partnership stays within one sector (silos) to +1 when "
                "every partnership crosses sectors; near 0 is a balance of both."
            ),
        },
        {
            "key": "trust",
            "label": _("Mean trust"),
            "value": _number(data.get("mean_trust")),
            "text": _(
                "How much partners trust each other, on average: open communication, "
                "reliability and a shared mission, from 1 (not at all) to 4 (a great deal)."
            ),
        },
        {
            "key": "value",
            "label": _("Mean value"),
            "value": _number(data.get("mean_value")),
            "text": _(
                "How much partners bring each other, on average: influence, resources and "
                "involvement, from 1 (not at all) to 4 (a great deal)."
            ),
        },
    ]


def _map(scope: metrics.Scope, counts: dict) -> dict:
    """The map of members (suppressed) and the same numbers as table rows."""
    raw = counts["members_by_place"]
    values = {key: metrics.suppress(n) for key, n in raw.items()}

    def label(value) -> str:
        if value is None:
            return _("fewer than 11 members, or none")
        return ngettext("%(n)s member", "%(n)s members", value) % {
            "n": formats.number_format(value, force_grouping=True)
        }

    if counts["place_level"] == "state":
        names = dict(State.objects.values_list("usps", "name"))
        caption = _("Members by state")
        svg = maps.us_states_svg(
            values,
            title=caption,
            link=lambda usps: reverse("network:health-state", args=[usps.lower()]),
            value_label=label,
            html_id="health-map",
        )
        rows = [
            {
                "name": names.get(key, key),
                "url": reverse("network:health-state", args=[key.lower()]),
                "text": people_count(n),
            }
            for key, n in sorted(raw.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
    else:
        usps = scope.state.usps if scope.state else scope.community.state.usps
        names = dict(County.objects.filter(fips__in=raw).values_list("fips", "name"))
        caption = _("Members by county")
        svg = maps.state_counties_svg(
            usps, values, title=caption, value_label=label, html_id="health-map"
        )
        rows = [
            {"name": names.get(key, key), "url": "", "text": people_count(n)}
            for key, n in sorted(raw.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
    return {"svg": svg, "caption": caption, "rows": rows}


# --- Pages ----------------------------------------------------------------------------------


def _health(request: HttpRequest, scope: metrics.Scope) -> HttpResponse:
    counts = metrics.scope_counts(scope)
    snapshot = scope.latest()
    data = snapshot.data if snapshot else {}
    role_rows = _term_names(Role, counts["members_by_role"])
    sector_names = {s.slug: s.name for s in Sector.objects.all()}
    member_sectors = [(sector_names.get(k, k), n) for k, n in counts["members_by_sector"].items()]
    org_sectors = [
        (sector_names.get(k, k), n) for k, n in counts["organizations_by_sector"].items()
    ]
    members_growth = [metrics.suppress(n) for n in counts["members_growth"]]
    growth = [
        growth_chart(
            counts["months"], [(_("Members"), members_growth, "line-members")], title=_("Members")
        ),
        growth_chart(
            counts["months"],
            [(_("Organizations"), counts["organizations_growth"], "line-organizations")],
            title=_("Organizations"),
        ),
    ]
    growth_rows = [
        {"month": month, "members": people_count(m), "organizations": o}
        for month, m, o in zip(
            counts["months"], counts["members_growth"], counts["organizations_growth"], strict=True
        )
    ]
    context = {
        "scope": scope,
        "snapshot": snapshot,
        "data": data,
        "members": people_count(counts["members"]),
        "organizations": formats.number_format(counts["organizations"], force_grouping=True),
        "partnerships": formats.number_format(counts["partnerships"], force_grouping=True),
        "explained": explained_metrics(data) if snapshot else [],
        "brokers": data.get("brokers", []),
        "sampled": data.get("betweenness_sources"),
        "roles": _bars(role_rows, people=True),
        "member_sectors": _bars(member_sectors, people=True),
        "org_sectors": _bars(org_sectors, people=False),
        "growth": growth,
        "growth_rows": growth_rows,
        "map": _map(scope, counts),
        "can_recompute": metrics.can_recompute(request.user, scope),
        "graph_url": scope.url("graph"),
    }
    return render(request, "network/health_page.html", context)


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return _health(request, metrics.Scope.national())


@require_GET
def health_state(request: HttpRequest, usps: str) -> HttpResponse:
    return _health(request, _state_scope(usps))


@require_GET
def health_community(request: HttpRequest, slug: str) -> HttpResponse:
    return _health(request, _community_scope(request.user, slug))


def _graph(request: HttpRequest, scope: metrics.Scope) -> HttpResponse:
    snapshot = scope.latest()
    graph = (snapshot.data if snapshot else {}).get("graph", {"nodes": [], "edges": []})
    sectors = {s.pk: s for s in Sector.objects.all()}
    frequency: dict = {}
    for node in graph["nodes"]:
        frequency[node[4]] = frequency.get(node[4], 0) + 1
    coloured = [pk for pk in sorted(frequency, key=lambda k: -frequency[k]) if pk in sectors]
    colours = dict(zip(coloured, SECTOR_COLOURS, strict=False))
    nodes, position = [], {}
    for pk, x, y, degree, sector, name, slug in graph["nodes"]:
        position[pk] = (x, y)
        nodes.append(
            {
                "id": pk,
                "x": x,
                "y": y,
                "r": round(min(12, 3 + 1.5 * math.sqrt(degree)), 1),
                "fill": colours.get(sector, OTHER_COLOUR),
                "url": reverse("network:organization", args=[slug]) if slug else "",
                "title": ngettext(
                    "%(name)s: %(n)s partner (%(sector)s)",
                    "%(name)s: %(n)s partners (%(sector)s)",
                    degree,
                )
                % {
                    "name": name,
                    "n": degree,
                    "sector": sectors[sector].name if sector in sectors else _("no sector"),
                },
            }
        )
    edges = [
        {
            "a": a,
            "b": b,
            "x1": position[a][0],
            "y1": position[a][1],
            "x2": position[b][0],
            "y2": position[b][1],
        }
        for a, b in graph["edges"]
        if a in position and b in position
    ]
    legend = [
        {"name": sectors[pk].name, "fill": colours[pk]} for pk in coloured[: len(SECTOR_COLOURS)]
    ]
    if len(coloured) > len(SECTOR_COLOURS) or None in frequency:
        legend.append({"name": _("Other sectors, or none"), "fill": OTHER_COLOUR})
    ties = (
        scope.partnerships()
        .select_related("org_a", "org_b")
        .order_by("org_a__name", "org_b__name", "pk")
    )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        ties = ties.filter(Q(org_a__name__icontains=q) | Q(org_b__name__icontains=q))
    page = Paginator(ties, TIES_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Partnership.Type.choices)
    tie_rows = [
        {
            "partnership": p,
            "types": ", ".join(str(labels[t]) for t in p.types if t in labels),
        }
        for p in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "scope": scope,
        "snapshot": snapshot,
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "total_nodes": snapshot.node_count if snapshot else 0,
        "total_nodes_text": formats.number_format(
            snapshot.node_count if snapshot else 0, force_grouping=True
        ),
        "ties_text": formats.number_format(page.paginator.count, force_grouping=True),
        "page": page,
        "tie_rows": tie_rows,
        "q": q,
        "query": query.urlencode(),
        "width": metrics.GRAPH_WIDTH,
        "height": metrics.GRAPH_HEIGHT,
        "can_recompute": metrics.can_recompute(request.user, scope),
    }
    return render(request, "network/health_graph.html", context)


@require_GET
def graph(request: HttpRequest) -> HttpResponse:
    return _graph(request, metrics.Scope.national())


@require_GET
def graph_state(request: HttpRequest, usps: str) -> HttpResponse:
    return _graph(request, _state_scope(usps))


@require_GET
def graph_community(request: HttpRequest, slug: str) -> HttpResponse:
    return _graph(request, _community_scope(request.user, slug))


@require_POST
@login_required
def health_recompute(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    key = request.POST.get("key", "")
    if kind == NetworkMetrics.Scope.STATE:
        scope = _state_scope(key)
        key = scope.state.usps
    elif kind == NetworkMetrics.Scope.COMMUNITY:
        scope = _community_scope(request.user, key)
        key = str(scope.community.pk)
    elif kind == NetworkMetrics.Scope.NATIONAL:
        scope, key = metrics.Scope.national(), ""
    else:
        raise Http404
    if not metrics.can_recompute(request.user, scope):
        raise PermissionDenied
    progress = enqueue_with_progress(
        compute_network_metrics,
        request.user,
        _("Measuring the health of %(name)s") % {"name": scope.name},
        kind=kind,
        key=key,
    )
    return redirect(progress)
