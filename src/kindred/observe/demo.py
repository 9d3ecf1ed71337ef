"""Demo data for observe: three sites of demo organizations, their staff (with a published
TOTP secret so anyone can sign in with MFA), families with visits over time in EN and ES.

``scale="large"`` adds the benchmark volume (200 sites, 100,000 families, 1,000,000
responses) by bulk insert (kindred.observe.bulk); bench/observe_setup.py uses it.

Get a demo staff member's current code with ``manage.py demo_totp EMAIL``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.observe import services
from kindred.observe.models import (
    DAYS_PER_MONTH,
    Encounter,
    Family,
    InstrumentVersion,
    Response,
    Site,
    SiteMembership,
)

# Public on purpose (DEBUG demo only; seed_demo refuses to run otherwise).
DEMO_TOTP_SECRET = "KINDREDDEMOSITESTAFFERHOBSERVE23"
DEMO_PASSWORD = "kindred-demo-2026"
EXPORT_SITE = "bench-export-site"

SITES = [
    ("Riverside Children's Health", "Riverside Pediatrics", "clinic", "riverside-pediatrics"),
    ("Family Roots Network", "Family Roots Home Visiting", "home_visiting", "family-roots"),
    ("Cradle Collective", "Cradle Doula Program", "doula", "cradle-doulas"),
]
# Where each organization is (Tulsa, Oklahoma), so "services nearby" are near.
ORGANIZATION_ZIPS = {
    "Riverside Children's Health": "74104",
    "Family Roots Network": "74106",
    "Cradle Collective": "74105",
}
# (email, name, site slug, role); the first two are the accounts app's personas.
STAFF = [
    ("clinician@demo.kindred.test", "Dr. Elena Ruiz", "riverside-pediatrics", "clinician"),
    ("orgadmin@demo.kindred.test", "Grace Kim", "riverside-pediatrics", "admin"),
    ("chw@demo.kindred.test", "Marisol Vega", "family-roots", "clinician"),
    ("observer@demo.kindred.test", "Jordan Ellis", "riverside-pediatrics", "clinician"),
    ("navigator@demo.kindred.test", "Rosa Díaz", "family-roots", "navigator"),
    ("doula@demo.kindred.test", "Amara Okeke", "cradle-doulas", "admin"),
]
CAREGIVERS = [
    ("Jasmine Carter", "en"),
    ("María Hernández", "es"),
    ("Keisha Brown", "en"),
    ("Guadalupe Ramírez", "es"),
    ("Emily Nguyen", "en"),
    ("Ana Lucía Torres", "es"),
    ("Tiana Johnson", "en"),
    ("Rosa Martínez", "es"),
    ("Hannah Smith", "en"),
    ("Yesenia Flores", "es"),
    ("Aaliyah Davis", "en"),
    ("Carmen López", "es"),
]
CHILDREN = [
    "Mateo",
    "Ava",
    "Liam",
    "Sofía",
    "Noah",
    "Isabella",
    "Elijah",
    "Camila",
    "Zoe",
    "Santiago",
    "Maya",
    "Valentina",
]
# Visits at these ages (months) with the instruments a site would use.
VISITS = [
    (1, ["phq-2", "epds"]),
    (2, ["phq-2", "wecs", "bpsc"]),
    (4, ["phq-2", "epds", "wecs"]),
    (6, ["phq-2", "bpsc", "wecs"]),
    (9, ["bpsc"]),
    (12, ["bpsc", "wecs"]),
]


def _organization(name: str):
    from kindred.network.models import Organization
    from kindred.network.services import create_organization, place_from_zip
    from kindred.places.models import ZipCode

    zip_code = ZipCode.objects.filter(pk=ORGANIZATION_ZIPS.get(name)).first()
    existing = Organization.objects.filter(name=name).first()
    if existing is None:
        return create_organization(actor=None, name=name, zip_code=zip_code, make_admin=False)
    if existing.zip_code_id is None and zip_code is not None:
        for field, value in place_from_zip(zip_code).items():
            setattr(existing, field, value)
        existing.save(update_fields=["zip_code", "county", "state"])
    return existing


def _staff_member(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        from kindred.accounts.services import create_account

        user = create_account(email, DEMO_PASSWORD, name=name, verified=True)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def _answers(slug: str, rng, *, mood: int) -> dict[str, Any]:
    """Plausible answers; ``mood`` 0 (steady) to 3 (struggling) shapes caregiver screens."""
    weights = [[70, 22, 6, 2], [45, 35, 15, 5], [20, 35, 30, 15], [5, 25, 35, 35]][mood]
    pick = lambda: rng.choices(["0", "1", "2", "3"], weights)[0]  # noqa: E731
    if slug == "phq-2":
        return {"phq2_1": pick(), "phq2_2": pick()}
    if slug == "phq-9":
        answers = {f"phq9_{n}": pick() for n in range(1, 9)}
        answers["phq9_9"] = "1" if mood == 3 and rng.random() < 0.3 else "0"
        if any(v != "0" for v in answers.values()):
            answers["phq9_difficulty"] = rng.choice(["0", "1", "2"])
        return answers
    if slug == "epds":
        answers = {f"epds_{n}": "abcd"[int(pick())] for n in range(1, 11)}
        for n in (3, 5, 6, 7, 8, 9, 10):  # reversed items: "a" is the concerning answer
            answers[f"epds_{n}"] = "abcd"[3 - int(pick())]
        answers["epds_10"] = "d" if mood < 3 or rng.random() > 0.3 else "c"
        return answers
    if slug == "bpsc":
        return {f"bpsc_{n}": rng.choices(["0", "1", "2"], [60, 30, 10])[0] for n in range(1, 13)}
    base = 2.5 if mood < 2 else 2.0
    answers = {
        f"wecs_{who}_{domain}": min(3.0, max(1.0, base + rng.choice([-0.5, 0, 0, 0.5])))
        for who in ("caregiver", "child")
        for domain in ("attraction", "vocal", "facial", "sensitivity")
    }
    answers["wecs_connected"] = base >= 2.5 or rng.random() < 0.5
    if answers["wecs_connected"]:
        answers["wecs_note"] = rng.choice(
            [
                "Lots of shared smiles and cooing back and forth.",
                "Se buscan con la mirada y se calman juntos.",
            ]
        )
    return answers


def _visit(family: Family, by: User, months: float, slugs: list[str], rng, mood: int) -> None:
    on = family.child_dob + dt.timedelta(days=round(months * DAYS_PER_MONTH))
    if on > timezone.localdate():
        return
    versions = [InstrumentVersion.objects.published().get(instrument__slug=s) for s in slugs]
    encounter = services.start_encounter(family, by=by, versions=versions, on=on)
    for response in encounter.responses.select_related("instrument_version"):
        result = services.submit_response(
            response, _answers(response.instrument_slug, rng, mood=mood), by=by
        )
        if response.instrument_slug == "phq-2" and result.scores["total"] >= 3:
            extra = services.start_encounter(family, by=by, versions=[_version("phq-9")], on=on)
            services.submit_response(
                extra.responses.get(), _answers("phq-9", rng, mood=mood), by=by
            )
            services.complete_encounter(extra, by=by)
            extra.responses.update(submitted_at=_moment(on))
    due = on + dt.timedelta(days=14) if mood >= 2 else None
    services.complete_encounter(
        encounter,
        by=by,
        follow_up_due=due,
        follow_up_plan="Check in by phone about support options." if due else "",
    )
    encounter.responses.update(submitted_at=_moment(on))
    Encounter.objects.filter(pk=encounter.pk).update(completed_at=_moment(on))
    if due and due < timezone.localdate() - dt.timedelta(days=30):
        encounter.follow_up_done_at = _moment(due)
        encounter.save(update_fields=["follow_up_done_at"])


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _version(slug: str) -> InstrumentVersion:
    return InstrumentVersion.objects.published().get(instrument__slug=slug)


@transaction.atomic
def seed(rng, scale: str) -> None:
    if Site.objects.filter(slug=SITES[0][3]).exists():
        return  # idempotent: the demo is there already
    sites = {}
    for org_name, site_name, kind, slug in SITES:
        sites[slug] = services.create_site(
            _organization(org_name), name=site_name, kind=kind, slug=slug
        )
    staff_by_site: dict[str, list[User]] = {}
    for email, name, slug, role in STAFF:
        user = _staff_member(email, name)
        services.add_site_member(sites[slug], user, role=role)
        if role != SiteMembership.Role.NAVIGATOR:
            staff_by_site.setdefault(slug, []).append(user)
    today = timezone.localdate()
    for index, (slug, site) in enumerate(sites.items()):
        by = staff_by_site[slug][0]
        for n in range(8 if scale == "small" else 12):
            caregiver, language = CAREGIVERS[(n + index * 4) % len(CAREGIVERS)]
            age = rng.randint(20, 420)
            family = services.register_family(
                site,
                by=by,
                caregiver_name=caregiver,
                child_name=CHILDREN[(n + index) % len(CHILDREN)],
                child_dob=today - dt.timedelta(days=age),
                language=language,
                contact_preference=rng.choice(["phone", "text", "email", "in_person"]),
                phone=f"555-01{n:02d}",
                gestational_age_weeks=rng.choice([None, None, None, 34, 36]),
            )
            for kind in ("care", "research", "sharing"):
                services.record_consent(
                    family, kind=kind, granted=rng.random() > 0.15, version="2026-1", by=by
                )
            mood = rng.choices([0, 1, 2, 3], [50, 30, 14, 6])[0]
            for months, slugs in VISITS:
                _visit(family, by, months, slugs, rng, mood)
    _second_ratings(sites["riverside-pediatrics"], rng)
    if scale == "large":
        from kindred.observe.bulk import seed_bulk

        seed_bulk(rng, sites=200, families=100_000, responses=1_000_000)
        # One site with 50,000 responses for the export benchmark.
        seed_bulk(rng, sites=1, families=5_000, responses=50_000, slug_prefix=EXPORT_SITE)


def _second_ratings(site: Site, rng) -> None:
    """A few WECS visits rated by a second observer, for the reliability report."""
    observer = User.objects.get(email="observer@demo.kindred.test")
    firsts = Response.objects.filter(site=site, instrument_slug="wecs", is_second_rating=False)
    for first in firsts.order_by("pk")[:12]:
        if first.rater_id == observer.pk:
            continue
        second = services.start_second_rating(
            first.encounter, first.instrument_version, by=observer
        )
        answers = dict(first.answers)
        for key, value in answers.items():
            if isinstance(value, float) and rng.random() < 0.25:
                answers[key] = min(3.0, max(1.0, value + rng.choice([-0.5, 0.5])))
        services.submit_response(second, answers, by=observer)
