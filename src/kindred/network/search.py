"""Directory search: one place that turns the filter form into querysets."""

from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet

from kindred.network.models import MemberProfile, Organization
from kindred.places.services import ZipCodeError, zips_within


def fold(text: str) -> str:
    """Lower-case without accents, so "José" and "jose" find each other on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def _near(filters: dict) -> list[str] | None:
    zip_code = filters.get("near")
    if not zip_code:
        return None
    try:
        return zips_within(zip_code, filters.get("miles") or 25)
    except (ZipCodeError, ValueError):
        return None


def search_people(filters: dict, user) -> QuerySet[MemberProfile]:
    """Listed profiles ``user`` may see, narrowed by the directory filters."""
    people = MemberProfile.objects.directory_for(user)
    if text := fold(filters.get("q") or ""):
        people = people.filter(search_text__contains=text)
    for name, lookup in (
        ("role", "roles"),
        ("sector", "sectors"),
        ("topic", "topics"),
        ("language", "languages"),
    ):
        if value := filters.get(name):
            people = people.filter(**{lookup: value})
    if county := filters.get("county"):
        people = people.filter(county=county)
    elif state := filters.get("state"):
        people = people.filter(state=state)
    codes = _near(filters)
    if codes is not None:
        people = people.filter(zip_code_id__in=codes)
    return people.order_by("display_name", "id")


def search_organizations(filters: dict, user) -> QuerySet[Organization]:
    """Organizations by name, sector and place (where they are or whom they serve)."""
    organizations = Organization.objects.visible_to(user)
    if text := (filters.get("q") or "").strip():
        organizations = organizations.filter(name__icontains=text)
    if sector := filters.get("sector"):
        organizations = organizations.filter(sectors=sector)
    if county := filters.get("county"):
        organizations = organizations.filter(
            Q(county=county) | Q(pk__in=county.organizations_serving.values("pk"))
        )
    elif state := filters.get("state"):
        organizations = organizations.filter(
            Q(state=state) | Q(pk__in=state.organizations_serving.values("pk"))
        )
    codes = _near(filters)
    if codes is not None:
        organizations = organizations.filter(zip_code_id__in=codes)
    return organizations.order_by("name", "id")
