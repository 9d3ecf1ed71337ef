"""CPU time and SQL queries per encounter submission, in process (no HTTP server).

Calls Django's WSGI handler directly, alternating 1:1 the bare insert view (the floor, see
observe_urls.py) and POST /api/observe/encounters by the signed-in bench clinician, and
sums time.process_time() around each call: a figure that other work on the machine does not
skew. Then counts the SQL queries of one submission, and with --profile prints cProfile's
top functions for the submissions.

    .venv/bin/python bench/observe_cpu.py [--requests 2000] [--profile]

With --profile, PROFILE_DUMP=FILE also saves the cProfile data for pstats or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import observe_setup as setup  # noqa: E402
from observe_submit import CSRF_SECRET, answers, csrf_header  # noqa: E402

BARE = "/bench/observe-insert"
SUBMIT = "/api/observe/encounters"


def configure() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "observe_settings"
    os.environ["DEBUG"] = "0"  # as in production: no query log, no debug toolbar
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")


def make_caller(cookie: str):
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    header = csrf_header()

    def call(path: str, body: bytes) -> str:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": f"{cookie}; csrftoken={CSRF_SECRET}",
            "HTTP_X_CSRFTOKEN": header,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
        statuses = []
        response = handler(environ, lambda status, headers: statuses.append(status))
        b"".join(response)
        response.close()
        return statuses[0]

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    configure()
    info = setup.prepare()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from observe_urls import create_table

    from kindred.observe.models import Family, Site

    create_table()
    site = Site.objects.get(slug="bench-site-1")
    families = list(Family.objects.filter(site=site).values_list("pk", flat=True)[:2000])
    call = make_caller(setup.session_cookie(setup.CLINICIAN))
    rng = random.Random(4)

    def body() -> bytes:
        payload = {"family": rng.choice(families), "instrument": "phq-9", "answers": answers(rng)}
        return json.dumps(payload).encode()

    spent = {"bare": 0.0, "submit": 0.0}
    profiler = cProfile.Profile() if args.profile else None
    for number in range(args.warm + args.requests):
        if number == args.warm:
            # Long-lived objects out of the collector's way: a full collection set off by one
            # kind of request would otherwise land in the other's time.
            gc.collect()
            gc.freeze()
        for name, path in (("bare", BARE), ("submit", SUBMIT)):
            data = body()
            if profiler and name == "submit" and number >= args.warm:
                profiler.enable()
            started = time.process_time()
            status = call(path, data)
            took = time.process_time() - started
            if profiler and name == "submit" and number >= args.warm:
                profiler.disable()
            if number >= args.warm:
                spent[name] += took
            assert status.startswith("201"), (path, status)
    with CaptureQueriesContext(connection) as queries:
        assert call(SUBMIT, body()).startswith("201")
    cpu = {name: 1000 * total / args.requests for name, total in spent.items()}
    database = setup.database_url().split("://")[0]
    print(f"database: {database}, {info['responses']:,} responses, {info['sites']} sites")
    print(
        f"CPU per request: submission {cpu['submit']:.2f} ms, bare insert {cpu['bare']:.2f} ms "
        f"({args.requests} of each, interleaved); queries per submission: {len(queries)}"
    )
    for query in queries.captured_queries:
        print("   ", query["sql"][:150])
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        if os.environ.get("PROFILE_DUMP"):
            stats.dump_stats(os.environ["PROFILE_DUMP"])
        print(out.getvalue())
    from _report import report

    size = f"{info['responses']:,} responses, {info['sites']} sites"
    report(
        "observe: CPU per encounter submission (in process)",
        cpu["submit"],
        "ms",
        data_size=size,
        floor=cpu["bare"],
    )
    report("observe: SQL queries per encounter submission", len(queries), "queries", data_size=size)


if __name__ == "__main__":
    main()
