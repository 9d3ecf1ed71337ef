"""Site dashboard time on the benchmark volume (target: <= 200 ms).

Times the dashboard page through Django's test client (whole request: middleware, access
check, audit entry, aggregates, template) for several sites, and the aggregates alone.

    .venv/bin/python bench/observe_dashboard.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import observe_setup as setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup.prepare()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kindred.accounts.models import User
    from kindred.observe.dashboard import site_numbers
    from kindred.observe.models import Response, Site, SiteMembership

    admin = User.objects.get(email=setup.ADMIN)
    client = Client()
    client.force_login(admin)
    # bench-site-2 is a site of the specified volume (1,000,000 responses over 200 sites);
    # bench-site-1 also holds every encounter observe_submit.py has added, run after run.
    for slug, label in (("bench-site-2", "typical site"), ("bench-site-1", "busiest site")):
        site = Site.objects.get(slug=slug)
        SiteMembership.objects.get_or_create(site=site, user=admin, defaults={"role": "admin"})
        client.get(f"/observe/sites/{site.slug}/", HTTP_HOST="127.0.0.1")  # warm caches
        page_times, aggregate_times = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(f"/observe/sites/{site.slug}/", HTTP_HOST="127.0.0.1")
            page_times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            started = time.perf_counter()
            site_numbers(site)
            aggregate_times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/observe/sites/{site.slug}/", HTTP_HOST="127.0.0.1")
        responses = Response.objects.filter(site=site).count()
        print(
            f"database: {setup.database_url().split('://')[0]}; {label} with {responses:,} "
            f"responses of {Response.objects.count():,}"
        )
        print(
            f"dashboard page ms: p50 {setup.percentile(page_times, 50) * 1000:.0f}, "
            f"p95 {setup.percentile(page_times, 95) * 1000:.0f} ({len(queries)} queries)"
        )
        print(
            f"aggregates alone ms: p50 {setup.percentile(aggregate_times, 50) * 1000:.0f}, "
            f"p95 {setup.percentile(aggregate_times, 95) * 1000:.0f}"
        )
        from _report import report

        report(
            f"observe: site dashboard p95, {label}",
            setup.percentile(page_times, 95) * 1000,
            "ms",
            data_size=f"{responses:,} of {Response.objects.count():,} responses",
            floor=setup.percentile(aggregate_times, 95) * 1000,
            target="<= 200 ms",
        )


if __name__ == "__main__":
    main()
