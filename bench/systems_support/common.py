"""Shared set-up for the systems benches: a throwaway database, timing, a report line.

SQLite: a fresh file database in a temporary folder (migrated from scratch, ~1 minute for
the places reference data). PostgreSQL (``--db postgres``): the database
``kindred_bench_systems`` (create it once: ``su postgres -c "createdb -O kindred
kindred_bench_systems"``), emptied of systems rows before each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from _report import report  # noqa: E402

PG_URL = "postgres://kindred:kindred@127.0.0.1:5432/kindred_bench_systems"


def setup_django(db: str) -> str:
    """Configure and start Django for ``db`` ("sqlite" or "postgres"); return a label."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    # Testing mode: plain static files (no collectstatic needed), locmem email, inline tasks.
    os.environ["KINDRED_TESTING"] = "1"
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
        _create_postgres_database()
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["KINDRED_VAR_DIR"] = tempfile.mkdtemp(prefix="kindred-bench-systems-")
    import django
    from django.core.management import call_command

    django.setup()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.monotonic() - started:.0f} s", flush=True)
    return db


def _create_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        name = PG_URL.rsplit("/", 1)[1]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def parse(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    # Under `make bench` (bench/run_all.py) the database follows DATABASE_URL.
    default = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    parser.add_argument("--db", choices=["sqlite", "postgres"], default=default)
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


def profile(call, limit: int = 25) -> None:
    """Print where ``call`` spends its time (cumulative), for finding what to speed up."""
    import cProfile
    import pstats

    call()
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(limit)


def measure(label: str, call, *, runs: int, budget_ms: float, data_size: str = "") -> bool:
    """Time ``call`` (after 3 warm-ups); print the median and 95th percentile of wall time
    and the median CPU time of this process; True if a median is within ``budget_ms``.

    Also reports the p95 as a BENCH line (bench/_report.py) with the page's own SQL time
    (p95 over the same runs) as its floor."""
    from django.db import connection

    for _ in range(3):
        call()
    timings, cpu = [], []
    counted = []
    with connection.execute_wrapper(lambda execute, *a: counted.append(1) or execute(*a)):
        call()
    sql_times = []

    def timed(execute, *args):
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            sql_spent[0] += time.perf_counter() - started

    sql_spent = [0.0]
    for _ in range(runs):
        sql_spent[0] = 0.0
        started, started_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        sql_times.append(sql_spent[0] * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    cpu_median = statistics.median(cpu)
    # On a shared, busy machine wall time includes waiting for a core; CPU time does not
    # (it is what the request costs the server). Within budget when either is. With
    # SQLite the database works inside this process, so its time is in the CPU figure;
    # with PostgreSQL it is not (that server's own time is in the wall figure only).
    ok = min(median, cpu_median) <= budget_ms
    print(
        f"  {label:<40} median {median:6.1f} ms  p95 {p95:6.1f} ms  cpu {cpu_median:5.1f} ms  "
        f"{len(counted):2d} queries  {'ok' if ok else 'OVER'} "
        f"(budget {budget_ms:.0f} ms)",
        flush=True,
    )
    sql_times.sort()
    report(
        f"systems: {label} p95",
        p95,
        "ms",
        data_size=data_size,
        floor=sql_times[max(0, int(len(sql_times) * 0.95) - 1)] or None,
        target=f"<= {budget_ms:.0f} ms",
    )
    return ok
