"""The areas' sections on a state's page (/places/<usps>/), registered with places.sections.

home sits at the top of the dependency chain, so it may bring the areas together here; each
section keeps to a fixed number of queries.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kindred.places.sections import register_state_section

SMALL_CELL = 11  # public aggregate counts under 11 are shown as "fewer than 11"


def _network(request, state) -> dict:
    from kindred.network.models import Community, MemberProfile

    communities = list(
        Community.objects.active()
        .filter(state=state)
        .with_member_count()
        .order_by("level", "name")[:12]
    )
    members = MemberProfile.objects.filter(state=state).aggregate(n=Count("pk"))["n"]
    by_role = list(
        MemberProfile.objects.filter(state=state)
        .values("roles__name_en", "roles__name_es", "roles__slug")
        .exclude(roles__slug=None)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
    )
    return {
        "items": communities or ([1] if members else []),
        "communities": communities,
        "members": members,
        "by_role": [row for row in by_role if row["n"] >= SMALL_CELL],
        "small_cell": SMALL_CELL,
        "state": state,
    }


def _library(request, state) -> dict:
    from kindred.library.services.home import latest_for_state

    library = latest_for_state(state)
    return {"items": library["events"] + library["stories"], "library": library}


def _systems(request, state) -> dict:
    from kindred.systems.services.state import systems_for_state

    section = systems_for_state(state)
    return {"items": section["commitments"] + section["services"], "systems": section}


def register() -> None:
    register_state_section(
        key="network",
        title=_("Communities and members"),
        template="home/state/network.html",
        get_context=_network,
        empty_text=_("No community here yet. Start one, and invite the people you work with."),
        order=10,
    )
    register_state_section(
        key="library",
        title=_("Stories and events"),
        template="home/state/library.html",
        get_context=_library,
        empty_text=_("No story or event here yet. Share yours!"),
        order=20,
    )
    register_state_section(
        key="systems",
        title=_("Commitments and services"),
        template="home/state/systems.html",
        get_context=_systems,
        empty_text=_("No commitment or listed service here yet."),
        order=30,
    )
