"""Places API, mounted at /api/places/. These shapes are stable: add fields, never rename."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kindred.places.models import County, State
from kindred.places.services import ZipCodeError, find_state, lookup_zip

router = Router(tags=["places"])


class StateOut(Schema):
    fips: str
    usps: str
    name: str
    is_territory: bool


class CountyRef(Schema):
    fips: str
    name: str


class StateDetailOut(StateOut):
    counties: list[CountyRef]


class CountyOut(Schema):
    fips: str
    name: str
    state: str  # USPS code


class StateRef(Schema):
    fips: str
    usps: str
    name: str


class LocationOut(Schema):
    latitude: float
    longitude: float


class ZipOut(Schema):
    zip: str
    city: str
    state: StateRef
    county: CountyRef
    location: LocationOut | None


class ErrorOut(Schema):
    detail: str


def _unknown_state(usps: str) -> tuple[int, dict]:
    message = _("There is no state or territory with the postal code %(usps)s.") % {"usps": usps}
    return 404, {"detail": message}


def _state_dict(state: State) -> dict:
    return {
        "fips": state.fips,
        "usps": state.usps,
        "name": state.name,
        "is_territory": state.is_territory,
    }


@router.get("/states", response=list[StateOut], summary="States, DC and territories")
def list_states(request: HttpRequest):
    """Every state, the District of Columbia and the territories, by name."""
    return [_state_dict(state) for state in State.objects.order_by("name")]


@router.get(
    "/states/{usps}",
    response={200: StateDetailOut, 404: ErrorOut},
    summary="One state and its counties",
)
def get_state(request: HttpRequest, usps: str):
    """A state by its USPS code (any case), with its counties by name."""
    state = find_state(usps)
    if state is None:
        return _unknown_state(usps)
    counties = list(County.objects.filter(state=state).order_by("name").values("fips", "name"))
    return 200, {**_state_dict(state), "counties": counties}


@router.get(
    "/counties",
    response={200: list[CountyOut], 404: ErrorOut},
    summary="Counties, optionally of one state",
)
def list_counties(request: HttpRequest, state: str | None = None):
    """Counties and county-equivalents; ``?state=OK`` for one state's (any case)."""
    counties = County.objects.order_by("fips")
    if state:
        found = find_state(state)
        if found is None:
            return _unknown_state(state)
        counties = counties.filter(state=found).order_by("name")
    rows = counties.values_list("fips", "name", "state__usps")
    return 200, [{"fips": fips, "name": name, "state": usps} for fips, name, usps in rows]


@router.get(
    "/zip/{zip}",
    response={200: ZipOut, 400: ErrorOut, 404: ErrorOut},
    summary="The city, county and state of a ZIP code",
)
def get_zip(request: HttpRequest, zip: str):
    """A 5-digit ZIP code (ZIP+4 accepted). 400 when malformed, 404 when unknown."""
    try:
        zip_code = lookup_zip(zip)
    except ZipCodeError as error:
        return (400 if error.code == "malformed" else 404), {"detail": str(error)}
    location = None
    if zip_code.latitude is not None and zip_code.longitude is not None:
        location = {"latitude": zip_code.latitude, "longitude": zip_code.longitude}
    return 200, {
        "zip": zip_code.code,
        "city": zip_code.city,
        "state": {
            "fips": zip_code.state.fips,
            "usps": zip_code.state.usps,
            "name": zip_code.state.name,
        },
        "county": {"fips": zip_code.county.fips, "name": zip_code.county.name},
        "location": location,
    }
