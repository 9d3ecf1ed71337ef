"""Bench: a receiving organization's referral inbox with 10,000 referrals (issue 7, budget
100 ms server time).

Builds one receiving program with 10,000 referrals (every status, spread over a year, some
overdue) from 20 sending organizations, then times, in-process through Django's test client
(so: URL routing, middleware, view, queries and template, without network): the inbox's
first page, the open and overdue filters, a deep page, the htmx partial, and one referral.

Usage: .venv/bin/python bench/systems_inbox.py [--db sqlite|postgres] [--runs 30]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "systems_support"))
from common import measure, parse, setup_django  # noqa: E402

REFERRALS = 10_000
BUDGET_MS = 100


def build(rng: random.Random):
    from django.utils import timezone

    from kindred.accounts.services import create_account
    from kindred.core.models import Sector
    from kindred.network.services import create_organization
    from kindred.places.services import lookup_zip
    from kindred.systems import services
    from kindred.systems.models import Need, Referral

    Referral.objects.all().delete()
    suffix = str(int(time.time()))
    receiver = create_account(
        f"inbox-{suffix}@bench.example", "bench-password-1", name="Rosa", verified=True
    )
    tulsa = lookup_zip("74103")
    program = create_organization(
        actor=receiver,
        name=f"Bench Home Visits {suffix}",
        zip_code=tulsa,
        sectors=[Sector.objects.get(slug="home-visiting")],
    )
    service = services.create_service(
        actor=receiver,
        organization=program,
        name="Home visits",
        description="Bench.",
        needs=[Need.objects.get(slug="home-visiting")],
        counties=[tulsa.county],
    )
    senders = [
        create_organization(
            actor=None,
            name=f"Bench Clinic {suffix}-{n}",
            zip_code=tulsa,
            sectors=[Sector.objects.get(slug="health-care")],
            make_admin=False,
        )
        for n in range(20)
    ]
    health = Sector.objects.get(slug="health-care")
    visiting = Sector.objects.get(slug="home-visiting")
    now = timezone.now()
    statuses = [
        "sent",
        "accepted",
        "contacted",
        "service_started",
        "completed",
        "declined",
        "could_not_reach",
        "cancelled",
    ]
    rows = []
    for n in range(REFERRALS):
        created = now - timedelta(minutes=rng.randint(0, 525_600))
        status = rng.choice(statuses)
        closed = status in Referral.CLOSED
        rows.append(
            Referral(
                created_by=receiver,
                from_organization=rng.choice(senders),
                service=service,
                to_organization=program,
                subject_kind="family",
                subject_ref=f"b{n}",
                shared_info={
                    "first_name": f"Family {n}",
                    "language": "en",
                    "child_age_months": 5,
                    "contact_method": "none",
                },
                consent_to_share=True,
                urgency=rng.choice(["routine", "soon", "urgent"]),
                status=status,
                from_sector=health,
                to_sector=visiting,
                state=tulsa.state,
                created=created,
                status_changed_at=created,
                accepted_at=None if status in ("sent", "declined", "cancelled") else created,
                closed_at=created if closed else None,
                due_at=None if closed else created + timedelta(days=rng.choice([1, 3, 7, 30])),
            )
        )
    Referral.objects.bulk_create(rows, batch_size=1000)
    return receiver, Referral.objects.filter(to_organization=program).first()


def main() -> int:
    args = parse(__doc__.splitlines()[0])
    db = setup_django(args.db)
    from django.test import Client

    started = time.monotonic()
    receiver, one = build(random.Random(7))
    print(f"  built {REFERRALS:,} referrals in {time.monotonic() - started:.0f} s ({db})")
    client = Client()
    client.force_login(receiver)

    def get(url, **headers):
        def call():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)

        return call

    ok = all(
        [
            measure(
                "inbox, first page",
                get("/systems/referrals/"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
            measure(
                "inbox, open only",
                get("/systems/referrals/?status=open"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
            measure(
                "inbox, overdue only",
                get("/systems/referrals/?overdue=on"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
            measure(
                "inbox, page 200",
                get("/systems/referrals/?page=200"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
            measure(
                "inbox, htmx partial",
                get("/systems/referrals/?status=completed", HTTP_HX_REQUEST="true"),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
            measure(
                "one referral with its history",
                get(one.get_absolute_url()),
                runs=args.runs,
                budget_ms=BUDGET_MS,
                data_size="10,000 referrals",
            ),
        ]
    )
    print(f"  systems_inbox ({db}): {'within budget' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
