"""Where a community's people are, as a map (places.maps) and the same numbers as a table."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kindred.network.models import Community
from kindred.places import maps
from kindred.places.models import County, State


def _people_label(value) -> str:
    if value is None:
        return _("no members yet")
    return ngettext("%(count)s member", "%(count)s members", value) % {"count": value}


def community_map(community: Community, people: QuerySet) -> dict:
    """``{"svg", "rows", "caption"}`` for the community page: members by state for a
    national or topic community, by county inside the state for the others. ``people`` is
    already limited to the profiles the viewer may see."""
    state = community.state
    if community.level in {Community.Level.NATIONAL, Community.Level.TOPIC} or state is None:
        counts = dict(
            people.filter(state__isnull=False)
            .values_list("state__usps")
            .annotate(n=Count("id", distinct=True))
            .values_list("state__usps", "n")
        )
        names = dict(State.objects.filter(usps__in=counts).values_list("usps", "name"))
        caption = _("Members by state")
        svg = maps.us_states_svg(counts, title=caption, value_label=_people_label)
        rows = sorted(((names.get(k, k), n) for k, n in counts.items()), key=lambda r: -r[1])
    else:
        counts = dict(
            people.filter(county__state=state)
            .values_list("county_id")
            .annotate(n=Count("id", distinct=True))
            .values_list("county_id", "n")
        )
        names = dict(County.objects.filter(fips__in=counts).values_list("fips", "name"))
        caption = _("Members by county in %(state)s") % {"state": state.name}
        svg = maps.state_counties_svg(state.usps, counts, title=caption, value_label=_people_label)
        rows = sorted(((names.get(k, k), n) for k, n in counts.items()), key=lambda r: -r[1])
    return {"svg": svg if counts else "", "rows": rows, "caption": caption}
