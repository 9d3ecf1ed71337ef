"""Reading places: ZIP codes, states and counties. Reference data only, so nothing here writes.

Other apps use these (keyword arguments where there is more than one):

- ``normalize_zip("74103-1234") -> "74103"`` (``restore_leading_zero=True`` for spreadsheets)
- ``lookup_zip("74103") -> ZipCode`` with its state and county loaded
- ``zips_within("74103", miles=25) -> ["74103", "74119", ...]`` nearest first
- ``find_state("ok") -> State | None`` and ``counties_of_state("OK") -> QuerySet[County]``

Bad input raises ``ZipCodeError`` whose ``message`` is ready to show to a person.
"""

from __future__ import annotations

import math
import re
import unicodedata

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kindred.places.models import County, State, ZipCode

MALFORMED_MESSAGE = _("A ZIP code has 5 digits, like 74103.")
UNKNOWN_MESSAGE = _(
    "We could not find ZIP code %(zip)s. Check the number, or enter a nearby ZIP code."
)
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0
MAX_RADIUS_MILES = 500

_ZIP = re.compile(r"^([0-9]{5})(?:-?[0-9]{4})?$")
_SHORT_ZIP = re.compile(r"^([0-9]{3,4})(?:-?[0-9]{4})?$")
_SPREADSHEET_NUMBER = re.compile(r"^([0-9]{3,9})\.0+$")


class ZipCodeError(ValueError):
    """A ZIP code that is malformed (``code == "malformed"``) or unknown (``"unknown"``)."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


def normalize_zip(raw: str | None, *, restore_leading_zero: bool = False) -> str:
    """The 5-digit ZIP code in ``raw``: spaces removed, "+4" dropped ("74103-1234" -> "74103").

    With ``restore_leading_zero`` (for spreadsheet imports, which drop leading zeros), a
    3- or 4-digit value is padded: "2139" -> "02139", and "2139.0" is read as "2139".
    Raises ``ZipCodeError`` (code "malformed") for anything else.
    """
    # NFKC turns full-width digits and dashes (typed with some keyboards) into ASCII ones.
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw or "")))
    match = _ZIP.match(text)
    if match:
        return match.group(1)
    if restore_leading_zero:
        text = _SPREADSHEET_NUMBER.sub(r"\1", text)
        match = _ZIP.match(text) or _SHORT_ZIP.match(text)
        if match:
            return match.group(1).zfill(5)
    raise ZipCodeError(MALFORMED_MESSAGE, code="malformed")


def lookup_zip(raw: str | None, *, restore_leading_zero: bool = False) -> ZipCode:
    """The ``ZipCode`` for ``raw`` (state and county loaded, one query).

    Raises ``ZipCodeError`` with code "malformed" or "unknown" and a message for people.
    """
    code = normalize_zip(raw, restore_leading_zero=restore_leading_zero)
    try:
        return ZipCode.objects.select_related("state", "county").get(code=code)
    except ZipCode.DoesNotExist:
        raise ZipCodeError(UNKNOWN_MESSAGE % {"zip": code}, code="unknown") from None


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in miles."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def zips_within(zip_code: ZipCode | str, miles: float) -> list[str]:
    """Codes of the ZIP codes whose centre is within ``miles`` of ``zip_code``'s, nearest first.

    Includes ``zip_code`` itself. A ZIP code without a known location only matches itself.
    For "members within N miles": ``Profile.objects.filter(zip_code__in=zips_within(z, 25))``.
    Raises ``ZipCodeError`` for a malformed or unknown code, ``ValueError`` for a radius
    outside 0-500 miles.
    """
    if not 0 <= miles <= MAX_RADIUS_MILES:
        raise ValueError(f"miles must be between 0 and {MAX_RADIUS_MILES}, not {miles}")
    origin = zip_code if isinstance(zip_code, ZipCode) else lookup_zip(zip_code)
    if origin.latitude is None or origin.longitude is None:
        return [origin.code]
    lat, lon = origin.latitude, origin.longitude
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    # A degree of longitude shrinks towards the poles; keep the box sane near them.
    dlon = miles / (MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    candidates = ZipCode.objects.filter(
        latitude__range=(lat - dlat, lat + dlat),
        longitude__range=(lon - dlon, lon + dlon),
    ).values_list("code", "latitude", "longitude")
    found = sorted((distance_miles(lat, lon, clat, clon), code) for code, clat, clon in candidates)
    codes = [code for distance, code in found if distance <= miles]
    if origin.code not in codes:
        codes.insert(0, origin.code)
    return codes


def find_state(usps: str | None) -> State | None:
    """The state, DC or territory with this USPS code (any case), or None."""
    code = (usps or "").strip().upper()
    if len(code) != 2:
        return None
    return State.objects.filter(usps=code).first()


def counties_of_state(state: State | str) -> QuerySet[County]:
    """The counties of a state (a ``State`` or its USPS code, any case), by name."""
    if isinstance(state, State):
        return County.objects.filter(state=state).order_by("name")
    return County.objects.filter(state__usps=str(state).strip().upper()).order_by("name")
