"""A site's numbers, and the network's with small cells suppressed.

Each figure is one aggregate query on indexed columns, so the page costs the same number of
queries whatever the site's size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.observe.engine.definition import pick
from kindred.observe.models import (
    DAYS_PER_MONTH,
    Alert,
    Encounter,
    Family,
    InstrumentVersion,
    Response,
    Site,
)

SMALL_CELL = 11
COVERAGE_DAYS = 120
# Age windows (months) for screening coverage, following the well-child schedule.
AGE_WINDOWS = [
    (0, 2, _("0–2 months")),
    (2, 6, _("2–6 months")),
    (6, 12, _("6–12 months")),
    (12, 24, _("12–24 months")),
    (24, 36, _("24–36 months")),
]


def suppress(count: int | None) -> str | int:
    """Cells under 11 are not shown beyond the site (re-identification risk)."""
    if count is None:
        return 0
    return "<11" if 0 < count < SMALL_CELL else count


def _band_labels() -> dict[tuple[str, str], str]:
    labels = {}
    for version in InstrumentVersion.objects.latest_published():
        scale = version.spec.primary_scale
        for band in scale.bands if scale else ():
            labels[(version.instrument.slug, band.code)] = pick(band.label, get_language() or "en")
    return labels


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def site_numbers(site: Site, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    families = Family.objects.filter(site=site)
    # Compare timestamps with aware datetimes (not __date), so the (site, submitted_at) index
    # serves the query and SQLite calls no per-row date function.
    since = _start_of(today - dt.timedelta(days=COVERAGE_DAYS))
    recent = Response.objects.counted().filter(site=site, submitted_at__gte=since)
    windows, screened_q = {}, {}
    for index, (low, high, _label) in enumerate(AGE_WINDOWS):
        newest = today - dt.timedelta(days=round(low * DAYS_PER_MONTH))
        oldest = today - dt.timedelta(days=round(high * DAYS_PER_MONTH))
        in_window = Q(child_dob__gt=oldest, child_dob__lte=newest)
        windows[f"w{index}"] = Count("pk", filter=in_window)
        screened_q[f"s{index}"] = Count("pk", filter=in_window)
    totals = families.aggregate(families=Count("pk"), **windows)
    totals |= families.filter(pk__in=recent.values("family_id")).aggregate(**screened_q)
    coverage = []
    for index, (_low, _high, label) in enumerate(AGE_WINDOWS):
        children, screened = totals[f"w{index}"], totals[f"s{index}"]
        coverage.append(
            {
                "label": label,
                "children": children,
                "screened": screened,
                "percent": round(100 * screened / children) if children else None,
            }
        )
    bands = (
        Response.objects.counted()
        .filter(site=site, submitted_at__gte=_start_of(year_ago))
        # One row per band: results without one (e.g. an observation scored by judgement)
        # may differ in level, and are still one row for the reader.
        .values("instrument_slug", "band")
        .annotate(count=Count("pk"), level=Max("band_level"))
        .order_by("instrument_slug", "band")
    )
    labels = _band_labels()
    by_instrument: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bands:
        label = labels.get((row["instrument_slug"], row["band"])) or row["band"] or _("No band")
        by_instrument[row["instrument_slug"]].append(
            {"band": label, "level": row["level"], "count": row["count"]}
        )
    overdue = (
        Encounter.objects.filter(
            site=site,
            status=Encounter.Status.COMPLETED,
            follow_up_due__lt=today,
            follow_up_done_at__isnull=True,
        )
        .select_related("family")
        .order_by("follow_up_due")
    )
    alerts = Alert.objects.filter(site=site).unresolved().select_related("encounter__family")
    visits = Encounter.objects.filter(site=site, date__gte=year_ago).exclude(
        status=Encounter.Status.ENTERED_IN_ERROR
    )
    return {
        "families": totals["families"],
        "visits": visits.count(),
        "coverage": coverage,
        "bands": dict(by_instrument),
        "overdue_count": overdue.count(),
        "overdue": list(overdue[:20]),
        "alert_count": alerts.count(),
        "alerts": list(alerts[:20]),
    }


def network_numbers() -> dict[str, Any]:
    """Results by site kind and band across every site, for network staff; small cells
    suppressed. No family can be told apart here."""
    rows = (
        Response.objects.counted()
        .values("site__kind", "instrument_slug", "band")
        .annotate(count=Count("pk"))
        .order_by("instrument_slug", "band", "site__kind")
    )
    labels = _band_labels()
    kinds = dict(Site.Kind.choices)
    table = []
    for row in rows:
        table.append(
            {
                "kind": kinds.get(row["site__kind"], row["site__kind"]),
                "instrument": row["instrument_slug"],
                "band": labels.get((row["instrument_slug"], row["band"])) or row["band"] or "—",
                "count": suppress(row["count"]),
            }
        )
    sites = Site.objects.values("kind").annotate(sites=Count("pk")).order_by("kind")
    return {
        "table": table,
        "sites": [{"kind": kinds.get(s["kind"], s["kind"]), "sites": s["sites"]} for s in sites],
        "families": suppress(Family.objects.count()),
    }
