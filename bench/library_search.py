"""Library search speed (issue 6): p50/p95 server time of the library search with 50,000
resources, on the database in DATABASE_URL (SQLite by default).

Each sample is what a search page or the API does: the ranked query with its filters, the
count for pagination, the total number of matches and the first page of 20 with audiences
and topics. The floor is the
same work without full-text search (newest 20 published, with the count). Target: p95 <= 50 ms.

    .venv/bin/python bench/library_search.py [--rounds 5] [--size 50000]

If the database holds fewer resources than --size, the library is topped up first (bulk
insert and index build, as ``seed_demo --scale large`` does).
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
from django.db.models import prefetch_related_objects  # noqa: E402

from kindred.library.demo import seed_large_library  # noqa: E402
from kindred.library.models import Resource  # noqa: E402
from kindred.library.search import search  # noqa: E402

QUERIES = [
    ("baby", {}),
    ("conversation", {}),
    ("bedtime routines", {}),
    ("fussy baby", {"audience": "parents"}),
    ("paid family leave", {"type": "policy_brief"}),
    ("fathers", {}),
    ("reading together", {"language": "en"}),
    ("home visiting", {"audience": "community_workers"}),
    ("tantrum toddlers", {}),
    ("feeding", {"topic": "infant-feeding"}),
    ("child care quality", {}),
    ("mental health after birth", {}),
    ("play", {"audience": "parents", "language": "en"}),
    ("community health workers", {}),
    ("research findings", {"type": "research_brief"}),
    ("conversación", {}),
    ("conversación", {"language": "es", "type": "conversation_guide"}),
    ("bebé", {}),
    ("lactancia", {}),
    ("juego", {"language": "es"}),
    ("licencia familiar pagada", {}),
    ("papás", {"audience": "parents"}),
    ("guía de conversación", {"language": "es"}),
    ("salud mental", {}),
    ("promotoras de salud", {"topic": "home-visiting"}),
    ("cuidado infantil", {}),
    ("leer cuentos", {}),
    ("berrinche", {"language": "es"}),
    ("", {"audience": "policymakers"}),
    ("", {"language": "es", "topic": "play-reading"}),
]


def one_search(query: str, filters: dict) -> int:
    found = search(query, filters)  # the ranked queryset, its paging count and total
    page = list(found.results[:20])
    prefetch_related_objects(page, "audience_rows", "topics")
    return found.count


def one_floor() -> int:
    results = Resource.objects.published().order_by("-published_at", "-id")
    count = results.count()
    page = list(results[:20])
    prefetch_related_objects(page, "audience_rows", "topics")
    return count


def timed(function, *args) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds. SQLite runs in this process, so on a busy machine
    the CPU time shows the cost without the wait for a free core."""
    started, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=50_000)
    args = parser.parse_args()
    if Resource.objects.count() < args.size:
        started = time.monotonic()
        created = seed_large_library(random.Random(2026), total=args.size)
        print(f"added {created} resources in {time.monotonic() - started:.0f}s")
    size = Resource.objects.published().count()
    for query, filters in QUERIES:  # warm caches and the connection
        one_search(query, filters)
    samples, floors, cpu, slowest = [], [], [], []
    for _round in range(args.rounds):
        for query, filters in QUERIES:
            elapsed, used = timed(one_search, query, filters)
            samples.append(elapsed)
            cpu.append(used)
            slowest.append((elapsed, query, filters))
            floors.append(timed(one_floor)[0])
    label = f"{size:,} resources"
    for share, name in ((0.5, "p50"), (0.95, "p95")):
        report(
            f"library search {name}",
            percentile(samples, share),
            "ms",
            data_size=label,
            floor=percentile(floors, share),
            target="p95 <= 50 ms" if name == "p95" else "",
        )
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        report("library search p95, CPU time", percentile(cpu, 0.95), "ms", data_size=label)
    print(
        "slowest:",
        ", ".join(f"{q or '(filters only)'} {f} {t:.0f} ms" for t, q, f in sorted(slowest)[-3:]),
    )
    print(f"mean {statistics.mean(samples):.1f} ms over {len(samples)} searches")


if __name__ == "__main__":
    main()
