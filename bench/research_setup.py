"""Shared set-up for the research benchmarks (not itself a benchmark: it reports nothing).

Under `make bench` (bench/run_all.py) the database is the one run_all seeded with
``seed_demo --scale large`` (observe's 1,000,000 bulk responses); run alone, a script uses
var/bench_research.sqlite3 (or BENCH_RESEARCH_DATABASE_URL) and builds the same volume there
once with observe's bulk loader. Either way this adds what research needs: research consent
for 90% of the bulk families (10% have none, so the extract must leave them out), a study, a
data steward and an approved request covering every bulk site and instrument; and for the
Delphi bench a round of 5,000 panelists × 100 questions.

    .venv/bin/python bench/research_setup.py [--fresh] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench_research.sqlite3"
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
ROUND_TITLE = "Bench round 5000 x 100"
BATCH = 5000


def under_run_all() -> bool:
    return "KINDRED_VAR_DIR" in os.environ or "DATABASE_URL" in os.environ


def database_url() -> str:
    if under_run_all():
        var = Path(os.environ.get("KINDRED_VAR_DIR", ROOT / "var"))
        return os.environ.get("DATABASE_URL") or f"sqlite:///{var / 'kindred.sqlite3'}"
    return os.environ.get("BENCH_RESEARCH_DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"


def configure() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def prepare(*, fresh: bool = False, quick: bool = False) -> dict:
    if fresh and database_url().startswith("sqlite") and DEFAULT_DB.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_DB}{suffix}").unlink(missing_ok=True)
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kindred.observe.bulk import seed_bulk
    from kindred.observe.models import Response, Site

    if not Site.objects.filter(slug="bench-site-1").exists():
        started = time.monotonic()
        scale = 10 if quick else 1
        seed_bulk(
            random.Random(2026), sites=200, families=100_000 // scale, responses=1_000_000 // scale
        )
        print(f"  observe volume built in {time.monotonic() - started:.0f}s")
    _consents()
    request_id = _request()
    return {"responses": Response.objects.count(), "request": request_id}


def _consents() -> None:
    """Research consent for 90% of bulk families that have no consent record yet."""
    from django.utils import timezone

    from kindred.observe.models import Consent, Family

    missing = Family.objects.filter(site__slug__startswith="bench-site").exclude(
        consents__kind=Consent.Kind.RESEARCH
    )
    ids = list(missing.values_list("pk", flat=True))
    if not ids:
        return
    now = timezone.now()
    rng = random.Random(7)
    rows = [
        Consent(
            family_id=pk,
            kind=Consent.Kind.RESEARCH,
            granted=rng.random() < 0.9,
            version="bench",
            recorded_at=now,
        )
        for pk in ids
    ]
    Consent.objects.bulk_create(rows, batch_size=BATCH)
    print(f"  research consent recorded for {len(rows):,} bench families")


def _request() -> int:
    from kindred.accounts.models import User
    from kindred.observe.models import Instrument, Site
    from kindred.research import services
    from kindred.research.models import DataRequest, Study

    study = Study.objects.filter(slug="bench-extract-study").first()
    if study is None:
        lead = User.objects.filter(email="bench-researcher@bench.kindred.test").first()
        lead = lead or User.objects.create_user("bench-researcher@bench.kindred.test", None)
        study = services.create_study(
            by=lead, title="Bench extract study", slug="bench-extract-study", summary="Benchmark."
        )
    found = DataRequest.objects.filter(study=study, status="approved").first()
    if found:
        return found.pk
    steward = User.objects.filter(email="bench-steward@bench.kindred.test").first()
    steward = steward or User.objects.create_user("bench-steward@bench.kindred.test", None)
    services.appoint_steward(steward, by=None)
    request = services.request_data(
        study,
        by=study.lead,
        purpose="Benchmark: every bulk site and instrument.",
        instruments=Instrument.objects.filter(slug__in=["phq-2", "epds", "wecs", "bpsc"]),
        sites=Site.objects.filter(slug__startswith="bench-site"),
        variables=[
            "language",
            "site",
            "zip3",
            "visit_year",
            "child_age_months",
            "caregiver_relationship",
        ],
        k=5,
    )
    from django.utils import timezone

    services.approve_request(
        request, by=steward, dua_reference="BENCH", dua_signed_on=timezone.localdate(), build=False
    )
    return request.pk


def prepare_round(panelists: int = 5000, questions: int = 100) -> int:
    """A closed round with ``panelists`` × ``questions`` ratings (bulk insert)."""
    from django.db import transaction

    from kindred.accounts.models import User
    from kindred.research.models import Panelist, Question, Rating, Round, RoundQuestion

    existing = Round.objects.filter(title=ROUND_TITLE).first()
    if existing:
        return existing.pk
    started = time.monotonic()
    rng = random.Random(11)
    groups = ["parents"] * 15 + ["practitioners"] * 60 + ["researchers"] * 15 + ["others"] * 10
    with transaction.atomic():
        round_ = Round.objects.create(title=ROUND_TITLE, status=Round.Status.CLOSED)
        qs = Question.objects.bulk_create(
            Question(title=f"Bench question {n}", why="-", theme="impact", status="accepted")
            for n in range(questions)
        )
        RoundQuestion.objects.bulk_create(
            RoundQuestion(round=round_, question=q, order=n) for n, q in enumerate(qs)
        )
        users = User.objects.bulk_create(
            User(email=f"bench-panel-{n}@bench.kindred.test", password="!")
            for n in range(panelists)
        )
        people = Panelist.objects.bulk_create(
            (Panelist(round=round_, user=u, group=rng.choice(groups)) for u in users),
            batch_size=BATCH,
        )
        batch = []
        for person in people:
            for q in qs:
                batch.append(
                    Rating(
                        round=round_,
                        question=q,
                        panelist=person,
                        group=person.group,
                        score=rng.randint(1, 9),
                    )
                )
                if len(batch) >= 50_000:
                    Rating.objects.bulk_create(batch, batch_size=BATCH)
                    batch = []
        Rating.objects.bulk_create(batch, batch_size=BATCH)
    print(f"  round of {panelists:,} × {questions} built in {time.monotonic() - started:.0f}s")
    return round_.pk


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print("research bench data:", prepare(fresh=args.fresh, quick=args.quick))
    print("round:", prepare_round())
