"""Benchmark volume by bulk insert: many sites, families, encounters and responses.

Answers are drawn from a small set of patterns scored once with the real engine, so every
stored score, band and flag is what the engine would give for those answers.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from kindred.observe import services
from kindred.observe.demo import _answers, _organization
from kindred.observe.engine.scoring import score
from kindred.observe.models import (
    DAYS_PER_MONTH,
    Encounter,
    Family,
    InstrumentVersion,
    Response,
)

BATCH = 5000
KINDS = ["clinic", "home_visiting", "doula", "community"]
# Instruments by visit age (months), two per visit.
PLAN = [
    (1, ["phq-2", "epds"]),
    (2, ["wecs", "bpsc"]),
    (4, ["phq-2", "wecs"]),
    (6, ["epds", "bpsc"]),
    (9, ["bpsc", "wecs"]),
]


def _patterns(rng, versions: dict[str, InstrumentVersion]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for slug, version in versions.items():
        spec, rows = version.spec, []
        for n in range(60):
            result = score(spec, _answers(slug, rng, mood=n % 4))
            primary = spec.primary_scale
            band = result.bands.get(primary.id) if primary else None
            rows.append(
                {
                    "answers": result.answers,
                    "scores": result.scores,
                    "primary_score": result.scores.get(primary.id) if primary else None,
                    "band": band.code if band else "",
                    "band_level": band.level
                    if band
                    else (result.flags[0].level if result.flags else ""),
                    "flags": [f.code for f in result.flags],
                    "has_critical": result.has_critical,
                }
            )
        out[slug] = rows
    return out


def seed_bulk(
    rng, *, sites: int, families: int, responses: int, slug_prefix: str = "bench-site", log=print
) -> None:
    started = time.monotonic()
    versions = {
        slug: InstrumentVersion.objects.published().get(instrument__slug=slug)
        for slug in ("phq-2", "epds", "wecs", "bpsc")
    }
    patterns = _patterns(rng, versions)
    site_objs = []
    for n in range(sites):
        organization = _organization(f"Bench Health Partners {n // 5 + 1}")
        site_objs.append(
            services.create_site(
                organization,
                name=f"Bench site {n + 1}",
                kind=KINDS[n % len(KINDS)],
                slug=f"{slug_prefix}-{n + 1}" if sites > 1 else slug_prefix,
            )
        )
    log(f"  {sites} sites in {time.monotonic() - started:.0f}s")
    today = timezone.localdate()
    per_family = max(1, responses // families)
    visits = PLAN[: max(1, per_family // 2)]
    made_families = made_responses = 0
    # Sequential codes: unique across repeated runs (random ones could repeat a seed's draw).
    first_code = Family.objects.count()
    while made_families < families:
        chunk = min(BATCH, families - made_families)
        with transaction.atomic():
            rows = []
            for _ in range(chunk):
                age = rng.randint(300, 1000)
                rows.append(
                    Family(
                        site=rng.choice(site_objs),
                        code=f"B-{first_code + made_families + len(rows):09d}",
                        caregiver_name=f"Caregiver {made_families + len(rows)}",
                        child_name=f"Child {made_families + len(rows)}",
                        child_dob=today - dt.timedelta(days=age),
                        language=rng.choice(["en", "en", "es"]),
                    )
                )
            Family.objects.bulk_create(rows, batch_size=BATCH)
            encounters, plans = [], []
            for family in rows:
                for months, slugs in visits:
                    age = round(months * DAYS_PER_MONTH)
                    encounters.append(
                        Encounter(
                            family=family,
                            site_id=family.site_id,
                            date=family.child_dob + dt.timedelta(days=age),
                            child_age_days=age,
                            corrected_age_days=age,
                            language=family.language,
                            status=Encounter.Status.COMPLETED,
                        )
                    )
                    plans.append(slugs)
            Encounter.objects.bulk_create(encounters, batch_size=BATCH)
            answers = []
            for encounter, slugs in zip(encounters, plans, strict=True):
                moment = timezone.make_aware(dt.datetime.combine(encounter.date, dt.time(11)))
                for slug in slugs:
                    pattern = rng.choice(patterns[slug])
                    answers.append(
                        Response(
                            encounter=encounter,
                            site_id=encounter.site_id,
                            family_id=encounter.family_id,
                            instrument_version=versions[slug],
                            instrument_slug=slug,
                            status=Response.Status.COMPLETED,
                            child_age_days=encounter.child_age_days,
                            submitted_at=moment,
                            **pattern,
                        )
                    )
            Response.objects.bulk_create(answers, batch_size=BATCH)
        made_families += chunk
        made_responses += len(answers)
        if made_families % 20000 < BATCH:
            log(
                f"  {made_families} families, {made_responses} responses "
                f"({time.monotonic() - started:.0f}s)"
            )
