"""Bench: service search with 20,000 services (issue 7, budget 50 ms server time).

Builds 20,000 active services from 500 organizations, each serving one to three counties
(most in ten busy metro counties, the rest anywhere), helping with one to three needs, in
English and often Spanish or another language, with age ranges. Then times, in-process
(Django test client: routing, middleware, view, queries, template): the directory search by
need + ZIP, by ZIP + age + language, by words, by need alone; ``matching_services`` (what
the encounter result page calls); and the HSDS list API.

Usage: .venv/bin/python bench/systems_search.py [--db sqlite|postgres] [--runs 30]
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "systems_support"))
from common import measure, parse, setup_django  # noqa: E402

SERVICES = 20_000
BUDGET_MS = 50
METRO_ZIPS = [
    "74103",
    "73102",
    "60614",
    "10451",
    "93721",
    "90012",
    "85004",
    "77002",
    "33130",
    "98101",
]
WORDS = [
    "family",
    "baby",
    "parent",
    "home",
    "play",
    "feeding",
    "support",
    "group",
    "clinic",
    "doula",
    "reading",
    "counseling",
]


def build(rng: random.Random) -> None:
    from django.utils import timezone

    from kindred.network.models import Language, Organization
    from kindred.places.models import County
    from kindred.places.services import lookup_zip
    from kindred.systems.models import Need, OrganizationHsdsId, Referral, Service

    Referral.objects.all().delete()  # a previous inbox bench may share this database
    Service.objects.all().delete()
    suffix = str(int(time.time()))
    metro = [lookup_zip(z).county for z in METRO_ZIPS]
    counties = list(County.objects.all())
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bench Org {n}", slug=f"bench-{suffix}-{n}") for n in range(500)]
    )
    OrganizationHsdsId.objects.bulk_create(
        [OrganizationHsdsId(organization=o) for o in organizations], ignore_conflicts=True
    )
    needs = list(Need.objects.all())
    languages = [
        code for code in Language.objects.values_list("code", flat=True) if code not in {"en", "es"}
    ][:10]
    now = timezone.now()
    services, need_rows, county_rows, language_rows = [], [], [], []
    Through = (Service.needs.through, Service.counties.through, Service.languages.through)
    for n in range(SERVICES):
        org = rng.choice(organizations)
        words = " ".join(rng.sample(WORDS, 4))
        low = rng.choice([None, None, 0, 6, 12])
        high = rng.choice([None, 12, 24, 36, 60]) if low is None else low + rng.choice([12, 36])
        service = Service(
            id=uuid.UUID(int=rng.getrandbits(128)),
            organization=org,
            name=f"Service {n} {words}",
            description=f"A {words} service.",
            status="active",
            min_age_months=low,
            max_age_months=high,
            capacity=rng.choice(["accepting", "waitlist", "full"]),
            search_text=f"service {n} {words} a {words} service. bench org",
            last_modified=now,
            capacity_updated=now,
        )
        services.append(service)
        for need in rng.sample(needs, rng.randint(1, 3)):
            need_rows.append(Through[0](service_id=service.id, need_id=need.pk))
        places = {
            rng.choice(metro) if rng.random() < 0.6 else rng.choice(counties)
            for _ in range(rng.randint(1, 3))
        }
        county_rows += [Through[1](service_id=service.id, county_id=c.pk) for c in places]
        spoken = {"en"} | ({"es"} if rng.random() < 0.5 else set())
        if rng.random() < 0.2:
            spoken.add(rng.choice(languages))
        language_rows += [Through[2](service_id=service.id, language_id=code) for code in spoken]
    Service.objects.bulk_create(services, batch_size=1000)
    for rows, model in (
        (need_rows, Through[0]),
        (county_rows, Through[1]),
        (language_rows, Through[2]),
    ):
        model.objects.bulk_create(rows, batch_size=2000)


def main() -> int:
    args = parse(__doc__.splitlines()[0])
    db = setup_django(args.db)
    from django.db import connection
    from django.test import Client

    from kindred.systems.services import matching_services

    started = time.monotonic()
    build(random.Random(11))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  built {SERVICES:,} services in {time.monotonic() - started:.0f} s ({db})")
    client = Client()

    def get(url, **headers):
        def call():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)

        return call

    def match():
        matching_services(
            zip_code="74103",
            need=["perinatal-mental-health", "home-visiting"],
            age_months=4,
            language="es",
        )

    # For scale: a small page with the same layout and middleware.
    measure(
        "baseline: certificate lookup page",
        get("/systems/certificates/"),
        runs=args.runs,
        budget_ms=BUDGET_MS,
        data_size="20,000 services",
    )
    ok = all(
        [
            measure(
                "search: need + ZIP",
                get("/systems/services/?need=home-visiting&zip=74103"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
            measure(
                "search: ZIP + age + language",
                get("/systems/services/?zip=93721&age_months=8&language=es"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
            measure(
                "search: words",
                get("/systems/services/?q=doula+feeding"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
            measure(
                "search: need only (htmx)",
                get("/systems/services/?need=food", HTTP_HX_REQUEST="true"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
            measure(
                "matching_services (result page)",
                match,
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
            measure(
                "HSDS /api/hsds/services, 50 per page",
                get("/api/hsds/services?per_page=50"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="20,000 services",
            ),
        ]
    )
    print(f"  systems_search ({db}): {'within budget' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
