"""Delphi round results for 5,000 panelists × 100 questions (target ≤ 1 s).

One grouped query over 500,000 ratings, then arithmetic per question and group.

    .venv/bin/python bench/research_rounds.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import research_setup as setup  # noqa: E402


def main() -> None:
    setup.configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    round_id = setup.prepare_round()
    from _report import report
    from django.db import connection

    from kindred.research.delphi import compute_results, counts_for, results_csv
    from kindred.research.models import Rating, Round

    round_ = Round.objects.get(pk=round_id)
    ratings = Rating.objects.filter(round=round_).count()
    times, query_times = [], []
    for _ in range(5):
        started = time.perf_counter()
        results = compute_results(round_)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        counts_for(round_)
        query_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    results_csv(round_, results)
    csv_time = time.perf_counter() - started
    size = f"{ratings:,} ratings (5,000 panelists × 100 questions)"
    print(f"database: {connection.vendor}; {size}")
    report(
        "research round results",
        statistics.median(times),
        "s",
        data_size=size,
        floor=statistics.median(query_times),
        target="<= 1 s",
    )
    report(
        "research round results (slowest of 5)", max(times), "s", data_size=size, target="<= 1 s"
    )
    report("research round results CSV", csv_time, "s", data_size=size)


if __name__ == "__main__":
    main()
