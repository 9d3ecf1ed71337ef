"""Directory search speed (issue 3): p50/p95 server time of the directory page with 100,000
members, 10,000 organizations, 300,000 connections and 50,000 partnerships, on the database
in DATABASE_URL (SQLite by default).

Each sample is one GET of /network/directory/ through the Django test client (middleware,
form, search, pagination, template), as a visitor, a signed-in member or an htmx request,
over realistic filters: names, cities, organizations, roles, sectors, topics, languages,
states, counties and "within N miles of a ZIP". The floor is the same page with no filter.
Also prints the queries each search runs, the SQL time alone (steadier on a busy machine),
and the community list and national community pages. Target: p95 <= 50 ms.

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


SQL_TIMES: list[float] = []
CPU_TIMES: list[float] = []


def timed_get(
    client: Client, params: dict, path: str = "/network/directory/", **headers
) -> tuple[float, int, int]:
    connection.queries_log.clear()  # the log keeps 9,000 entries; counts need a fresh one
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, params, **headers)
        elapsed = (time.perf_counter() - started) * 1000
        CPU_TIMES.append((time.process_time() - cpu) * 1000)
    assert response.status_code == 200, response.status_code
    # The SQL alone (DEBUG's per-query timings): steadier than the page on a busy machine.
    SQL_TIMES.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return elapsed, len(queries), len(response.content)


def community_pages(clients) -> None:
    """The community list (every page of it runs the same queries) and the national
    community's page, the one with every member in it."""
    national = Community.objects.get(level=Community.Level.NATIONAL)
    pages = [
        ("/network/communities/", {}),
        ("/network/communities/", {"page": "2"}),
        ("/network/communities/", {"level": "state"}),
        (national.get_absolute_url(), {}),
    ]
    for path, params in pages:
        times, sql, cpu, counts = [], [], [], []
        for _label, client, _headers in clients[:2]:
            for _round in range(3):
                elapsed, queries, _size = timed_get(client, params, path)
                times.append(elapsed)
                sql.append(SQL_TIMES[-1])
                cpu.append(CPU_TIMES[-1])
                counts.append(queries)
        print(
            f"{path} {params}: median {statistics.median(times):.1f} ms"
            f" (SQL {statistics.median(sql):.1f} ms, CPU {statistics.median(cpu):.1f} ms),"
            f" {max(counts)} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-communities", action="store_true", help="directory only")
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
    SQL_TIMES.clear()
    samples, floors, slowest, query_counts, sql_times, cpu_times = [], [], [], [], [], []
    for _round in range(args.rounds):
        for label, client, headers in clients:
            for params in QUERIES:
                elapsed, queries, _size = timed_get(client, params, **headers)
                samples.append(elapsed)
                sql_times.append(SQL_TIMES[-1])
                cpu_times.append(CPU_TIMES[-1])
                query_counts.append(queries)
                slowest.append((elapsed, SQL_TIMES[-1], label, params, queries))
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
    report(
        "network directory SQL p95",
        percentile(sql_times, 0.95),
        "ms",
        data_size=size,
        target="the SQL of one search, summed",
    )
    report(
        "network directory CPU p95",
        percentile(cpu_times, 0.95),
        "ms",
        data_size=size,
        target="this process's CPU time; with SQLite, the page without waiting for a core",
    )
    print(f"queries per search: min {min(query_counts)}, max {max(query_counts)}")
    print("slowest:")
    for elapsed, sql, label, params, queries in sorted(slowest, key=lambda s: s[0])[-5:]:
        print(
            f"  {elapsed:7.1f} ms  (SQL {sql:5.1f} ms)  {queries:2d} queries  {label:7s} {params}"
        )
    print("slowest SQL:")
    for elapsed, sql, label, params, queries in sorted(slowest, key=lambda s: s[1])[-5:]:
        print(
            f"  {elapsed:7.1f} ms  (SQL {sql:5.1f} ms)  {queries:2d} queries  {label:7s} {params}"
        )
    print(f"mean {statistics.mean(samples):.1f} ms over {len(samples)} searches")
    if not args.skip_communities:
        community_pages(clients)


if __name__ == "__main__":
    main()
