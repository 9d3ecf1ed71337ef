"""Encounter submission through HTTP: validated, scored, audited and committed.

Starts gunicorn on the benchmark database (see observe_setup.py), signs in a site clinician
(a session as after MFA), and POSTs PHQ-9 encounters to /api/observe/encounters from many
concurrent connections. Reports throughput and latency percentiles, and checks that every
201 was committed. Target (issue 4): >= 400/s with p95 <= 100 ms.

The floor is the same server (bench settings: observe_settings.py) answering a bare insert
view (observe_urls.py: parse the same JSON body, insert one row) from the same connections,
right after. Each load lasts --seconds. The load generator is wrk (C; apt-get install wrk),
as in bench/policy_spike.py, so that it takes little of the two cores from the server; the
asyncio client here is the fallback. Every 201 must be a committed row.

gunicorn runs three sync workers (one request at a time each, behind a buffering proxy in
production): submissions are CPU work plus one short write, and every SQLite write waits for
one lock. Threads of one process holding and waiting for that lock also contend for the GIL,
and keep-alive connections pile up unevenly on gthread workers. Measured on the same data
(20-30 s runs, SQLite, before the prepared statements of kindred.core.db.fast): gthread
2 x 4 threads 250/s; gthread 4 x 1 296/s; sync x 3 the best
p95. ``--worker-class gthread --workers 2 --threads 4`` reproduces the production default.
With PostgreSQL on the same two cores there is no write lock to wait for, and a third
worker only adds switching between processes: sync x 2 (one per core) gave 426-459/s, p95
89-99 ms, where sync x 3 gave 400-415/s, p95 96-103 ms (20 s runs, 1,300,000 responses,
after the prepared statements of kindred.core.db.postgresql); gthread 2 x 2 472/s but p95
117 ms. So the default is three workers on SQLite and one per core on PostgreSQL.

    .venv/bin/python bench/observe_submit.py [--seconds 30] [--concurrency 32] [--workers N]
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
# As a browser sends them: the cookie holds the 32-character secret, the header the masked
# 64-character token a page carries (a masked cookie would cost an unmasking per request).
CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"


def csrf_header() -> str:
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    request = HttpRequest()
    request.META["CSRF_COOKIE"] = CSRF_SECRET
    return get_token(request)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, threads: int = 4, kind: str = "gthread"):
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
        kind,
        "--threads",
        str(threads),
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
    header = csrf_header()
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        body = json.dumps(
            {"family": rng.choice(families), "instrument": "phq-9", "answers": answers(rng)}
        ).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: {cookie}; csrftoken={CSRF_SECRET}\r\nX-CSRFToken: {header}\r\n"
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


def run_wrk(port, cookie, families, path, seconds, concurrency):
    """Load with wrk (C, two threads): the load generator costs the server's cores little."""
    env = dict(
        os.environ,
        BENCH_PATH=path,
        BENCH_COOKIE=cookie,
        BENCH_CSRF=csrf_header(),
        BENCH_CSRF_COOKIE=CSRF_SECRET,
        BENCH_FAMILIES=",".join(map(str, families)),
    )
    script = str(Path(__file__).resolve().parent / "observe_wrk.lua")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "--timeout", "10s",
         "-s", script, f"http://127.0.0.1:{port}{path}"],
        env=env, capture_output=True, text=True, check=True, timeout=seconds + 60,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    statuses = {int(k): v for k, v in result["statuses"].items()}
    return {
        "answered": result["requests"],
        "elapsed": result["duration_us"] / 1e6,
        "p50": result["p50_us"] / 1e6,
        "p95": result["p95_us"] / 1e6,
        "p99": result["p99_us"] / 1e6,
        "created": statuses.get(201, 0),
        "errors": result["errors"],
    }


def run_python(port, cookie, families, path, seconds, concurrency, total):
    elapsed, latencies, statuses = asyncio.run(
        run_load(port, cookie, families, total, concurrency, seconds, path=path)
    )
    return {
        "answered": len(statuses),
        "elapsed": elapsed,
        "p50": setup.percentile(latencies, 50),
        "p95": setup.percentile(latencies, 95),
        "p99": setup.percentile(latencies, 99),
        "created": sum(1 for s in statuses if s == 201),
        "errors": 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30, help="length of each load")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=0, help="0: 3 on SQLite, one per core on PostgreSQL"
    )
    parser.add_argument("--threads", type=int, default=1, help="gthread workers only")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="load generator (python: asyncio, for machines without wrk; costs server CPU)",
    )
    parser.add_argument("--requests", type=int, default=20000, help="python client: at most")
    args = parser.parse_args()
    if args.client == "wrk" and subprocess.run(["which", "wrk"], capture_output=True).returncode:
        print("wrk not found (apt-get install wrk): using the Python client")
        args.client = "python"
    info = setup.prepare()
    if not args.workers:
        postgres = setup.database_url().startswith("postgres")
        args.workers = (os.cpu_count() or 2) if postgres else 3
    from observe_urls import create_table

    from kindred.observe.models import Family, Response, Site

    create_table()
    site = Site.objects.get(slug="bench-site-1")
    families = list(Family.objects.filter(site=site).values_list("pk", flat=True)[:2000])
    cookie = setup.session_cookie(setup.CLINICIAN)
    before = Response.objects.count()
    port = free_port()
    server = start_server(port, args.workers, args.threads, args.worker_class)

    def load(path, cookie, seconds):
        if args.client == "wrk":
            return run_wrk(port, cookie, families, path, seconds, args.concurrency)
        total = args.requests if seconds > 5 else args.concurrency * 10
        return run_python(port, cookie, families, path, seconds, args.concurrency, total)

    try:
        # Warm up every worker (imports, connections, cached definitions).
        load(SUBMIT, cookie, 5)
        load(FLOOR, "", 3)
        warm = Response.objects.count()
        submit = load(SUBMIT, cookie, args.seconds)
        floor_before = floor_rows()
        bare = load(FLOOR, "", args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    committed = Response.objects.count() - warm
    floor_committed = floor_rows() - floor_before
    rate = submit["answered"] / submit["elapsed"]
    floor = bare["answered"] / bare["elapsed"]
    print(
        f"database: {setup.database_url().split('://')[0]}, {info['responses']:,} responses "
        f"before the run ({before:,} now counted), {info['sites']} sites"
    )
    print(
        f"submissions: {submit['answered']} in {submit['elapsed']:.1f}s = {rate:.0f}/s "
        f"(concurrency {args.concurrency}, gunicorn {args.worker_class} x {args.workers}"
        f"{f' x {args.threads} threads' if args.worker_class == 'gthread' else ''}, "
        f"load by {args.client})"
    )
    print(
        f"latency ms: p50 {submit['p50'] * 1000:.1f}, p95 {submit['p95'] * 1000:.1f}, "
        f"p99 {submit['p99'] * 1000:.1f}"
    )
    # wrk stops at its deadline with requests in flight: they may commit unanswered.
    print(
        f"status: {submit['created']} x 201, {submit['answered'] - submit['created']} other, "
        f"{submit['errors']} socket errors; committed rows: {committed} "
        f"(at most {args.concurrency} more than the 201s: requests cut off at the end)"
    )
    print(
        f"floor (bare insert): {bare['answered']} in {bare['elapsed']:.1f}s = {floor:.0f}/s, "
        f"p95 {bare['p95'] * 1000:.1f} ms, {bare['created']} x 201, rows {floor_committed}"
    )
    from _report import report

    size = f"{info['responses']:,} responses, {info['sites']} sites"
    report(
        "observe: encounter submissions via HTTP",
        rate,
        "req/s",
        data_size=size,
        floor=floor,
        target=">= 400 req/s",
    )
    report(
        "observe: encounter submission p95",
        submit["p95"] * 1000,
        "ms",
        data_size=size,
        floor=bare["p95"] * 1000,
        target="<= 100 ms",
    )
    lost = submit["created"] - committed
    if submit["created"] != submit["answered"] or not 0 <= -lost <= args.concurrency:
        raise SystemExit("some submissions failed or were not committed")


if __name__ == "__main__":
    main()
