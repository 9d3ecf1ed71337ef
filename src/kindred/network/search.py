"""Directory search: one place that turns the filter form into querysets."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
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


FEW_MATCHES = 2000


def _word_matches(word: str, tokens: QuerySet | None = None) -> QuerySet:
    """Profiles with a search word starting with ``word``, by an index range scan."""
    tokens = SearchToken.objects.all() if tokens is None else tokens
    if connection.vendor == "postgresql":
        # LIKE 'word%' uses the varchar_pattern_ops index whatever the database collation.
        tokens = tokens.filter(token__startswith=word)
    else:
        # Byte order on SQLite: every word that starts with ``word`` sorts in this range.
        tokens = tokens.filter(token__gte=word, token__lt=word + "\U0010ffff")
    return tokens.values("profile_id")


def _matching_words(people: QuerySet, words: list[str]) -> tuple[QuerySet, bool]:
    """``people`` whose search words start with each of ``words``, and whether they are
    now a short list of primary keys.

    A word that few profiles have ("maria": about 1% of them) is looked up first, one
    index range scan, and the profiles are then fetched by primary key: given the subquery
    instead, both databases may walk the whole directory in name order and probe each row.
    Only a prefix that many profiles share ("ja") stays a subquery."""
    known: set[int] | None = None
    for word in words:
        matches = _word_matches(word)
        found = list(matches.values_list("profile_id", flat=True)[: FEW_MATCHES + 1])
        if len(found) > FEW_MATCHES:
            # Many match: walk the directory in page order, probing each profile's words.
            mine = SearchToken.objects.filter(profile_id=OuterRef("pk"))
            people = people.filter(Exists(_word_matches(word, mine)))
        else:
            known = set(found) if known is None else known & set(found)
    if known is None:
        return people, False
    return people.filter(pk__in=sorted(known)), True


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
    few = False
    if words:
        people, few = _matching_words(people, words)
    for name, field, column in (
        ("role", "roles", "role_id"),
        ("sector", "sectors", "sector_id"),
        ("topic", "topics", "topic_id"),
        ("language", "languages", "language_id"),
    ):
        if value := filters.get(name):
            # EXISTS on the link table's (profile, term) unique index: no join that could
            # repeat rows, so no DISTINCT, and the page order still comes from an index.
            links = getattr(MemberProfile, field).through.objects
            people = people.filter(
                Exists(links.filter(memberprofile_id=OuterRef("pk"), **{column: value.pk}))
            )
    if county := filters.get("county"):
        people = people.filter(county=county)
    elif state := filters.get("state"):
        people = people.filter(state=state)
    codes = _near(filters)
    if codes is not None:
        people = people.filter(zip_code_id__in=codes)
    if few:
        # A short list: sort it (no index has this order, so no plan walks one past every
        # row). Otherwise many rows match and the listing index gives the page in order.
        return people.order_by(Lower("display_name"), "id")
    return people.order_by("display_name", "id")


def search_organizations(filters: dict, user) -> QuerySet[Organization]:
    """Organizations by name, sector and place (where they are or whom they serve)."""
    organizations = Organization.objects.visible_to(user)
    if text := (filters.get("q") or "").strip():
        organizations = organizations.filter(name__icontains=text)
    if sector := filters.get("sector"):
        links = Organization.sectors.through.objects
        organizations = organizations.filter(
            Exists(links.filter(organization_id=OuterRef("pk"), sector_id=sector.pk))
        )
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
