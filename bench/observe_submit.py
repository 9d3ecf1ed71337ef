"""Encounter submission through HTTP: validated, scored, audited and committed.

Starts gunicorn on the benchmark database (see observe_setup.py), signs in a site clinician
(a session as after MFA), and POSTs PHQ-9 encounters to /api/observe/encounters from many
concurrent connections. Reports throughput and latency percentiles, and checks that every
201 was committed. Target (issue 4): >= 400/s with p95 <= 100 ms.

The floor is the same server (bench settings: observe_settings.py) answering a bare insert
view (observe_urls.py: parse the same JSON body, insert one row) from the same connections,
right after. Each load stops after --seconds at the latest.

    .venv/bin/python bench/observe_submit.py [--requests 6000] [--concurrency 24] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import observe_setup as setup  # noqa: E402

SUBMIT = "/api/observe/encounters"
FLOOR = "/bench/observe-insert"  # observe_urls.py: the same body, one bare INSERT
CSRF = "benchcsrftoken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"[:64]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=setup.database_url(),
        SECRET_KEY=setup.BENCH_SECRET,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="observe_settings",
        PYTHONPATH=f"{setup.ROOT / 'bench'}:{setup.ROOT / 'src'}",
    )
    command = [
        str(setup.ROOT / ".venv" / "bin" / "gunicorn"),
        "kindred.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "-k",
        "gthread",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=setup.ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def answers(rng: random.Random) -> dict:
    values = [rng.choice("0000112233") for _ in range(9)]
    data = {f"phq9_{n}": v for n, v in enumerate(values, 1)}
    if any(v != "0" for v in values):
        data["phq9_difficulty"] = rng.choice("012")
    return data


async def worker(port, cookie, families, count, latencies, statuses, rng, deadline, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        body = json.dumps(
            {"family": rng.choice(families), "instrument": "phq-9", "answers": answers(rng)}
        ).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: {cookie}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        length = 0
        closing = False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            if name.lower() == "connection" and "close" in value.lower():
                closing = True
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        statuses.append(int(status_line.split()[1]))
        if closing:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def run_load(port, cookie, families, total, concurrency, seconds, path=SUBMIT):
    latencies, statuses = [], []
    per = total // concurrency
    deadline = time.monotonic() + seconds
    tasks = [
        worker(port, cookie, families, per, latencies, statuses, random.Random(n), deadline, path)
        for n in range(concurrency)
    ]
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return time.perf_counter() - started, latencies, statuses


def floor_rows() -> int:
    from django.db import connection
    from observe_urls import TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30, help="each load stops by then")
    args = parser.parse_args()
    info = setup.prepare()
    from observe_urls import create_table

    from kindred.observe.models import Family, Response, Site

    create_table()
    site = Site.objects.get(slug="bench-site-1")
    families = list(Family.objects.filter(site=site).values_list("pk", flat=True)[:2000])
    cookie = setup.session_cookie(setup.CLINICIAN)
    before = Response.objects.count()
    port = free_port()
    server = start_server(port, args.workers)
    load = {"total": args.requests, "concurrency": args.concurrency, "seconds": args.seconds}
    try:
        # Warm up every worker (imports, connections, cached definitions).
        warm_up = {**load, "total": args.concurrency * 10, "seconds": 10}
        asyncio.run(run_load(port, cookie, families, **warm_up))
        asyncio.run(run_load(port, "", families, **warm_up, path=FLOOR))
        warm = Response.objects.count()
        elapsed, latencies, statuses = asyncio.run(run_load(port, cookie, families, **load))
        floor_before = floor_rows()
        floor_elapsed, floor_latencies, floor_statuses = asyncio.run(
            run_load(port, "", families, **load, path=FLOOR)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    created = sum(1 for s in statuses if s == 201)
    committed = Response.objects.count() - warm
    floor_committed = floor_rows() - floor_before
    floor = len(floor_statuses) / floor_elapsed
    print(
        f"database: {setup.database_url().split('://')[0]}, {info['responses']:,} responses "
        f"before the run ({before:,} now counted), {info['sites']} sites"
    )
    print(
        f"submissions: {len(statuses)} in {elapsed:.1f}s = {len(statuses) / elapsed:.0f}/s "
        f"(concurrency {args.concurrency}, {args.workers} gunicorn workers x 4 threads)"
    )
    print(
        f"latency ms: p50 {setup.percentile(latencies, 50) * 1000:.1f}, "
        f"p95 {setup.percentile(latencies, 95) * 1000:.1f}, "
        f"p99 {setup.percentile(latencies, 99) * 1000:.1f}"
    )
    print(f"status: {created} x 201, {len(statuses) - created} other; committed rows: {committed}")
    print(
        f"floor (bare insert): {len(floor_statuses)} in {floor_elapsed:.1f}s = {floor:.0f}/s, "
        f"p95 {setup.percentile(floor_latencies, 95) * 1000:.1f} ms, "
        f"{sum(1 for s in floor_statuses if s == 201)} x 201, rows {floor_committed}"
    )
    from _report import report

    size = f"{info['responses']:,} responses, {info['sites']} sites"
    report(
        "observe: encounter submissions via HTTP",
        len(statuses) / elapsed,
        "req/s",
        data_size=size,
        floor=floor,
        target=">= 400 req/s",
    )
    report(
        "observe: encounter submission p95",
        setup.percentile(latencies, 95) * 1000,
        "ms",
        data_size=size,
        floor=setup.percentile(floor_latencies, 95) * 1000,
        target="<= 100 ms",
    )
    if committed != created or created != len(statuses):
        raise SystemExit("some submissions failed or were not committed")


if __name__ == "__main__":
    main()
