"""Demo partnerships between organizations, PARTNER-style ratings and a survey round.

``seed_partnerships(rng, "small")`` goes through the services (``kindred.network.partners``)
as an organization administrator would; ``"large"`` adds ``LARGE_PARTNERSHIPS`` more with
``bulk_create`` for the speed benchmarks. Both are deterministic from ``rng``. Most ties stay
inside a state, and a share cross sectors, so the network-health pages have something to say.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.network import partners
from kindred.network.models import (
    Community,
    Organization,
    Partnership,
    PartnershipRating,
)
from kindred.network.services import NetworkError

LARGE_PARTNERSHIPS = 50_000
SMALL_ORGANIZATIONS = 200
BATCH = 5000
TYPES = [value for value, _label in Partnership.Type.choices]
TYPE_WEIGHTS = [40, 20, 10, 15, 15]
DEMO_STAFF = "staff@demo.kindred.test"
DEMO_ORGANIZER = "orgadmin@demo.kindred.test"
SURVEY_COMMUNITY = "Tulsa County Families"


def seed_partnerships(rng: random.Random, scale: str) -> None:
    if Partnership.objects.exists():
        return  # already seeded
    with transaction.atomic():
        _seed_small(rng)
    if scale == "large":
        seed_large(rng)


def _types(rng: random.Random) -> list[str]:
    chosen = set(rng.choices(TYPES, weights=TYPE_WEIGHTS, k=rng.choice([1, 1, 2, 3])))
    return [t for t in TYPES if t in chosen]


def _scores(rng: random.Random) -> dict[str, int]:
    """Trust and value items that hang together, as real answers do."""
    trust, value = rng.choice([2, 3, 3, 3, 4, 4]), rng.choice([1, 2, 2, 3, 3, 4])
    scores = {}
    for name in PartnershipRating.TRUST_FIELDS:
        scores[name] = min(4, max(1, trust + rng.choice([-1, 0, 0, 0, 1])))
    for name in PartnershipRating.VALUE_FIELDS:
        scores[name] = min(4, max(1, value + rng.choice([-1, 0, 0, 1])))
    return scores


def _pairs(rng: random.Random, by_state: dict, everyone: list[int], count: int) -> list:
    """Up to ``count`` distinct pairs (lower id first): 85% within a state (as many as the
    states allow), the rest anywhere."""
    states = [ids for ids in by_state.values() if len(ids) > 1]
    weights = [len(ids) for ids in states]
    possible = sum(len(ids) * (len(ids) - 1) // 2 for ids in states)
    within_wanted = min(int(count * 0.85), possible)
    pairs: set[tuple[int, int]] = set()
    attempts = 0
    while len(pairs) < within_wanted and attempts < count * 20:
        attempts += 1
        first, second = rng.sample(rng.choices(states, weights=weights)[0], 2)
        pairs.add((min(first, second), max(first, second)))
    total = min(count, len(pairs) + max(1, round(len(pairs) * 0.15 / 0.85)))
    while len(pairs) < total and attempts < count * 40:
        attempts += 1
        first, second = rng.sample(everyone, 2)
        pairs.add((min(first, second), max(first, second)))
    return sorted(pairs)


def _by_state(organizations) -> dict:
    by_state: dict = {}
    for pk, state_id in organizations:
        by_state.setdefault(state_id, []).append(pk)
    return by_state


def _seed_small(rng: random.Random) -> None:
    """Through the services, among the first ``SMALL_ORGANIZATIONS`` organizations (the
    small demo's; the large data set gets its partnerships in bulk)."""
    staff = User.objects.filter(email=DEMO_STAFF).first()
    rows = list(
        Organization.objects.order_by("pk").values_list("pk", "state_id")[:SMALL_ORGANIZATIONS]
    )
    if len(rows) < 2 or staff is None:
        return
    organizations = Organization.objects.in_bulk([pk for pk, _state in rows])
    pairs = _pairs(rng, _by_state(rows), [pk for pk, _state in rows], count=len(rows) * 2)
    _tie_organizer_organization(rng, organizations, pairs)
    today = timezone.localdate()
    made = []
    for first, second in pairs:
        try:
            partnership = partners.record_partnership(
                actor=staff,
                organization=organizations[first],
                partner=organizations[second],
                types=_types(rng),
                started=today - timedelta(days=rng.randint(30, 3000)),
            )
        except NetworkError:
            continue
        made.append(partnership)
    for partnership in made:
        for rater in (partnership.org_a, partnership.org_b):
            if rng.random() < 0.7:
                partners.rate_partner(
                    partnership=partnership, rater_org=rater, actor=staff, scores=_scores(rng)
                )
    _seed_survey_round(rng, staff)


def _tie_organizer_organization(rng, organizations: dict, pairs: list) -> None:
    """The organization-admin persona's organization gets a few partners in its county, so
    the survey round has something to ask about."""
    own = Organization.objects.filter(
        memberships__user__email=DEMO_ORGANIZER, memberships__role="admin"
    ).first()
    if own is None:
        return
    near = [
        pk for pk, org in organizations.items() if org.county_id == own.county_id and pk != own.pk
    ]
    for pk in rng.sample(near, k=min(3, len(near))):
        pair = (min(pk, own.pk), max(pk, own.pk))
        if pair not in pairs:
            pairs.append(pair)


def _seed_survey_round(rng: random.Random, staff: User) -> None:
    community = Community.objects.filter(name=SURVEY_COMMUNITY).first()
    if community is None:
        return
    organizer = User.objects.filter(email=DEMO_ORGANIZER).first()
    actor = organizer if organizer and community.can_organize(organizer) else staff
    today = timezone.localdate()
    survey_round = partners.open_survey_round(
        community=community,
        actor=actor,
        title="Partnership survey, spring",
        opens=today - timedelta(days=7),
        closes=today + timedelta(days=23),
    )
    for partnership in partners.round_partnerships(survey_round).select_related("org_a", "org_b"):
        for rater in (partnership.org_a, partnership.org_b):
            if rater.memberships.filter(user__email=DEMO_ORGANIZER).exists():
                continue  # left for the persona to answer
            if rng.random() < 0.6:
                partners.rate_partner(
                    partnership=partnership,
                    rater_org=rater,
                    actor=staff,
                    scores=_scores(rng),
                    survey_round=survey_round,
                )


def seed_large(rng: random.Random) -> None:
    """``LARGE_PARTNERSHIPS`` partnerships in bulk (and ratings on a fifth of them)."""
    rows = list(Organization.objects.order_by("pk").values_list("pk", "state_id"))
    if len(rows) < 2:
        return
    existing = set(Partnership.objects.values_list("org_a_id", "org_b_id"))
    wanted = LARGE_PARTNERSHIPS + len(existing)
    pairs = [
        pair
        for pair in _pairs(rng, _by_state(rows), [pk for pk, _state in rows], count=wanted)
        if pair not in existing
    ][:LARGE_PARTNERSHIPS]
    today = timezone.localdate()
    with transaction.atomic():
        objects = [
            Partnership(
                org_a_id=first,
                org_b_id=second,
                types=_types(rng),
                started=today - timedelta(days=rng.randint(30, 3000)),
            )
            for first, second in pairs
        ]
        saved = []
        for start in range(0, len(objects), BATCH):
            saved += Partnership.objects.bulk_create(objects[start : start + BATCH])
        ratings = []
        for partnership in saved:
            if rng.random() < 0.2:
                for rater, rated in (
                    (partnership.org_a_id, partnership.org_b_id),
                    (partnership.org_b_id, partnership.org_a_id),
                ):
                    ratings.append(
                        PartnershipRating(
                            partnership=partnership,
                            rater_org_id=rater,
                            rated_org_id=rated,
                            **_scores(rng),
                        )
                    )
        for start in range(0, len(ratings), BATCH):
            PartnershipRating.objects.bulk_create(ratings[start : start + BATCH])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
