"""Network-health speed (issue 3): time to compute the national metrics snapshot (density,
components, centralization, E–I index, sampled betweenness, mean trust and value, and the
graph layout) with 10,000 organizations and 50,000 partnerships, on the database in
DATABASE_URL (SQLite by default). Also a state's and a community's snapshot, the counts
behind the health pages (cold cache), and the pages themselves with their query counts.
Target: national metrics <= 10 s.

    KINDRED_VAR_DIR=/tmp/kindred-bench DEBUG=1 .venv/bin/python bench/network_metrics.py

The large data set is seeded first when needed (see bench/network_directory.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from _report import report  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from network_directory import ensure_large  # noqa: E402

from kindred.network import metrics  # noqa: E402
from kindred.network.models import Community, Organization, Partnership  # noqa: E402
from kindred.places.models import State  # noqa: E402


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def page(client: Client, url: str) -> tuple[float, int]:
    connection.queries_log.clear()  # the log keeps 9,000 entries; counts need a fresh one
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries)


def main() -> None:
    ensure_large()
    organizations, partnerships = Organization.objects.count(), Partnership.objects.count()
    size = f"{organizations:,} organizations, {partnerships:,} partnerships"
    seconds, snapshot = timed(metrics.compute_metrics, metrics.Scope.national())
    data = snapshot.data
    report("network metrics national", seconds, "s", data_size=size, target="<= 10 s")
    print(
        f"  density {data['density']:.5f}, components {data['components']} "
        f"(largest {data['largest_component']}), centralization "
        f"{data['degree_centralization']:.4f}, E-I {data['ei_index']:.3f}, "
        f"betweenness from {data['betweenness_sources'] or 'all'} sources, "
        f"graph {len(data['graph']['nodes'])} nodes / {len(data['graph']['edges'])} edges"
    )
    busiest = State.objects.get(usps="CA")
    state_seconds, state_snapshot = timed(metrics.compute_metrics, metrics.Scope.for_state(busiest))
    report(
        "network metrics state (CA)",
        state_seconds,
        "s",
        data_size=f"{state_snapshot.node_count:,} organizations, "
        f"{state_snapshot.edge_count:,} ties",
    )
    national = Community.objects.get(level=Community.Level.NATIONAL)
    community_seconds, community_snapshot = timed(
        metrics.compute_metrics, metrics.Scope.for_community(national)
    )
    report(
        "network metrics community (national hub)",
        community_seconds,
        "s",
        data_size=f"{community_snapshot.node_count:,} organizations, "
        f"{community_snapshot.edge_count:,} ties",
    )
    cache.clear()
    counts_seconds, _counts = timed(metrics.compute_counts, metrics.Scope.national())
    report("network health counts national (cold)", counts_seconds * 1000, "ms", data_size=size)
    client = Client(SERVER_NAME="localhost")
    # The process's first requests load URLs, templates and map shapes: not what is measured.
    for url in ("/network/health/graph/", "/network/health/states/ok/", "/network/health/"):
        client.get(url)
    for label, url in (
        ("national", "/network/health/"),
        ("state", "/network/health/states/ca/"),
        ("graph", "/network/health/graph/"),
    ):
        cache.clear()
        cold, cold_queries = page(client, url)
        warm, warm_queries = page(client, url)
        report(f"network health page {label} (cold cache)", cold, "ms", data_size=size)
        report(f"network health page {label} (warm cache)", warm, "ms", data_size=size)
        print(f"  queries: cold {cold_queries}, warm {warm_queries}")


if __name__ == "__main__":
    main()
