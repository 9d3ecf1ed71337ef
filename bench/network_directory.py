"""Directory search speed (issue 3): p50/p95 server time of the directory page with 100,000
members, 10,000 organizations, 300,000 connections and 50,000 partnerships, on the database
in DATABASE_URL (SQLite by default).

Each sample is one GET of /network/directory/ through the Django test client (middleware,
form, search, pagination, template), as a visitor, a signed-in member or an htmx request,
over realistic filters: names, cities, organizations, roles, sectors, topics, languages,
states, counties and "within N miles of a ZIP". The floor is the same page with no filter.
Also prints the queries each search runs. Target: p95 <= 50 ms.

    KINDRED_VAR_DIR=/tmp/kindred-bench DEBUG=1 .venv/bin/python bench/network_directory.py

The large data set is seeded first when the database holds fewer than 100,000 members.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kindred.accounts import demo as accounts_demo  # noqa: E402
from kindred.network import demo, demo_partners  # noqa: E402
from kindred.network.models import Community, MemberProfile, Partnership  # noqa: E402

LARGE_MEMBERS = 100_000

QUERIES = [
    {"q": "maria"},
    {"q": "garcía"},
    {"q": "johnson"},
    {"q": "ana lopez"},
    {"q": "tulsa"},
    {"q": "family resource"},
    {"q": "doula collective"},
    {"q": "ja"},
    {"role": "doula"},
    {"role": "community-health-worker", "state": "CA"},
    {"role": "pediatric-clinician", "state": "OK"},
    {"role": "parent-caregiver", "language": "es"},
    {"sector": "home-visiting"},
    {"sector": "health-care", "state": "TX"},
    {"topic": "play-reading"},
    {"language": "es"},
    {"state": "NY"},
    {"state": "OK", "county": "40143"},
    {"state": "CA", "county": "06019"},
    {"near": "74103", "miles": "25"},
    {"near": "60614", "miles": "10"},
    {"near": "10451", "miles": "5", "role": "doula"},
    {"near": "93721", "miles": "50", "language": "es"},
    {"q": "smith", "state": "GA"},
    {"q": "rodriguez", "role": "doula"},
    {"kind": "organizations"},
    {"kind": "organizations", "q": "pediatrics"},
    {"kind": "organizations", "sector": "mental-health", "state": "IL"},
    {"kind": "organizations", "near": "74103", "miles": "25"},
    {"role": "doula", "page": "3"},
]


def ensure_large() -> None:
    """Seed the large demo data set (as ``seed_demo --scale large`` does for these areas)."""
    started = time.monotonic()
    if not Community.objects.filter(level=Community.Level.NATIONAL).exists():
        accounts_demo.seed(random.Random("2026:kindred.accounts.demo.seed"), "large")
        demo.seed(random.Random("2026:kindred.network.demo.seed"), "large")
    elif MemberProfile.objects.count() < LARGE_MEMBERS:
        demo.seed_large(random.Random("2026:kindred.network.demo.seed"))
    if Partnership.objects.count() < demo_partners.LARGE_PARTNERSHIPS:
        demo_partners.seed_large(random.Random("2026:kindred.network.demo_partners"))
    elapsed = time.monotonic() - started
    if elapsed > 5:
        print(f"seeded the large data set in {elapsed:.0f}s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed_get(client: Client, params: dict, **headers) -> tuple[float, int, int]:
    connection.queries_log.clear()  # the log keeps 9,000 entries; counts need a fresh one
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/network/directory/", params, **headers)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ensure_large()
    visitor = Client(SERVER_NAME="localhost")
    member = Client(SERVER_NAME="localhost")
    parent = MemberProfile.objects.select_related("user").get(
        user__email="parent@demo.kindred.test"
    )
    member.force_login(parent.user)
    clients = [
        ("visitor", visitor, {}),
        ("member", member, {}),
        ("htmx", member, {"HTTP_HX_REQUEST": "true"}),
    ]
    for params in QUERIES:  # warm up
        timed_get(visitor, params)
    samples, floors, slowest, query_counts = [], [], [], []
    for _round in range(args.rounds):
        for label, client, headers in clients:
            for params in QUERIES:
                elapsed, queries, _size = timed_get(client, params, **headers)
                samples.append(elapsed)
                query_counts.append(queries)
                slowest.append((elapsed, label, params, queries))
            floors.append(timed_get(client, {}, **headers)[0])
    size = (
        f"{MemberProfile.objects.count():,} members, {Partnership.objects.count():,} partnerships"
    )
    for share, name in ((0.5, "p50"), (0.95, "p95")):
        report(
            f"network directory {name}",
            percentile(samples, share),
            "ms",
            data_size=size,
            floor=percentile(floors, share),
            target="p95 <= 50 ms" if name == "p95" else "",
        )
    print(f"queries per search: min {min(query_counts)}, max {max(query_counts)}")
    print("slowest:")
    for elapsed, label, params, queries in sorted(slowest, key=lambda s: s[0])[-5:]:
        print(f"  {elapsed:7.1f} ms  {queries:2d} queries  {label:7s} {params}")
    print(f"mean {statistics.mean(samples):.1f} ms over {len(samples)} searches")


if __name__ == "__main__":
    main()
