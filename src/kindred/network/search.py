"""Directory search: one place that turns the filter form into querysets."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from kindred.network.models import MemberProfile, Organization, SearchToken
from kindred.places.services import ZipCodeError, zips_within


def fold(text: str) -> str:
    """Lower-case without accents, so "José" and "jose" find each other on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


MAX_WORDS = 5


def search_words(text: str, *, shortest: int = 2) -> list[str]:
    """The words of ``text`` as the directory indexes them: folded, at most 50 characters."""
    words = re.split(r"[^\w]+", fold(text))
    return [w[:50] for w in dict.fromkeys(words) if len(w) >= shortest]


def _word_matches(word: str) -> QuerySet:
    """Profiles with a search word starting with ``word``, by an index range scan."""
    tokens = SearchToken.objects.all()
    if connection.vendor == "postgresql":
        # LIKE 'word%' uses the varchar_pattern_ops index whatever the database collation.
        tokens = tokens.filter(token__startswith=word)
    else:
        # Byte order on SQLite: every word that starts with ``word`` sorts in this range.
        tokens = tokens.filter(token__gte=word, token__lt=word + "\U0010ffff")
    return tokens.values("profile_id")


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
    words = search_words(filters.get("q") or "", shortest=1)[:MAX_WORDS]
    for word in words:
        people = people.filter(pk__in=_word_matches(word))
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
    if words:
        # Few rows match a name: sort them, rather than walk the name index past every row.
        return people.order_by(Lower("display_name"), "id")
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
