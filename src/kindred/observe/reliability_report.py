"""The observer reliability report of a site: first vs second ratings of the same visits."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kindred.observe.engine.definition import pick
from kindred.observe.engine.reliability import cohens_kappa, icc2_1, percent_agreement
from kindred.observe.models import Response, Site


def _pairs(site: Site) -> dict[int, list[tuple[Response, Response]]]:
    submitted = [Response.Status.COMPLETED, Response.Status.AMENDED]
    seconds = Response.objects.filter(
        site=site, is_second_rating=True, status__in=submitted
    ).select_related("instrument_version__instrument")
    by_key = {(r.encounter_id, r.instrument_version_id): r for r in seconds}
    firsts = Response.objects.filter(
        site=site,
        is_second_rating=False,
        status__in=submitted,
        encounter_id__in={key[0] for key in by_key},
    ).select_related("instrument_version__instrument")
    out: dict[int, list[tuple[Response, Response]]] = defaultdict(list)
    for first in firsts:
        second = by_key.get((first.encounter_id, first.instrument_version_id))
        if second is not None:
            out[first.instrument_version_id].append((first, second))
    return out


def reliability_report(site: Site, *, language: str = "en") -> list[dict[str, Any]]:
    report = []
    for pairs in _pairs(site).values():
        spec = pairs[0][0].spec
        items = []
        for item in spec.answerable_items:
            if item.type not in {"rating", "choice", "boolean"}:
                continue
            both = [(a.answers.get(item.link_id), b.answers.get(item.link_id)) for a, b in pairs]
            both = [(x, y) for x, y in both if x is not None and y is not None]
            if not both:
                continue
            first, second = zip(*both, strict=True)
            ordinal = item.type == "rating" or (
                item.type == "choice" and all(o.value is not None for o in item.options)
            )
            categories = (
                [o.value for o in item.answer_options()]
                if item.type == "rating"
                else [o.code for o in item.options]
                if item.type == "choice"
                else [False, True]
            )
            items.append(
                {
                    "label": pick(item.text, language),
                    "agreement": percent_agreement(first, second).as_dict(),
                    "kappa": cohens_kappa(
                        first,
                        second,
                        categories=categories,
                        weights="linear" if ordinal else None,
                    ).as_dict(),
                    "weighted": ordinal,
                }
            )
        scales = []
        for scale in spec.scales:
            table = [[a.scores.get(scale.id), b.scores.get(scale.id)] for a, b in pairs]
            table = [row for row in table if None not in row]
            scales.append({"label": pick(scale.label, language), "icc": icc2_1(table).as_dict()})
        report.append(
            {"title": spec.title(language), "pairs": len(pairs), "items": items, "scales": scales}
        )
    return report
