import re

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kindred.places.forms import ZipLookupForm
from kindred.places.maps import state_counties_svg, states_on_map, us_states_svg
from kindred.places.models import State
from kindred.places.sections import render_state_sections

ZIP_FIELD_ID = "id_zip"


def _still_typing(request: HttpRequest) -> bool:
    """An htmx request sent while someone types fewer than 5 digits: no error yet."""
    if not (request.htmx and request.htmx.trigger == ZIP_FIELD_ID):
        return False
    raw = request.GET.get("zip", "")
    return bool(re.fullmatch(r"[\d\s-]*", raw)) and len(re.sub(r"\D", "", raw)) < 5


@require_GET
def state_list(request: HttpRequest) -> HttpResponse:
    """Every state and territory (map and table), and a ZIP code lookup that works without JS."""
    form = ZipLookupForm(request.GET if "zip" in request.GET else None, live=True)
    zip_code = form.cleaned_data["zip"] if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "zip_code": zip_code,
        "still_typing": _still_typing(request),
        "is_htmx": bool(request.htmx),
    }
    if request.htmx and request.htmx.target == "zip-result":
        return render(request, "places/state_list.html#zip-result", context)

    states = list(State.objects.annotate(county_count=Count("counties")).order_by("name"))
    on_map = states_on_map()
    context.update(
        states=states,
        off_map=[state for state in states if state.usps not in on_map],
        us_map=us_states_svg(
            title=_("Map of the United States"),
            description=_(
                "Each state and the District of Columbia links to its page. "
                "The table below lists the same places."
            ),
        ),
    )
    return render(request, "places/state_list.html", context)


@require_GET
def state_detail(request: HttpRequest, usps: str) -> HttpResponse:
    """A state's page: its counties (map and table) and the sections other areas add."""
    state = get_object_or_404(State, usps=usps.upper())
    counties = list(state.counties.annotate(zip_count=Count("zip_codes")).order_by("name"))
    county_map = state_counties_svg(
        state.usps,
        title=_("Map of the counties of %(state)s") % {"state": state.name},
        html_id="county-map",
    )
    context = {
        "state": state,
        "counties": counties,
        "county_map": county_map,
        "sections": render_state_sections(request, state),
    }
    return render(request, "places/state_detail.html", context)
