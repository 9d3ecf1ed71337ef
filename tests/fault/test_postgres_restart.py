"""Restart PostgreSQL under a light load of public pages (PostgreSQL only).

Requests in flight may fail, but cleanly: an error page with a 5xx status, within a bound,
never a hang; and later requests succeed without anyone doing anything.

Run alone (`pytest tests/fault`, no xdist) the test restarts the machine's cluster with
`pg_ctlcluster 15 main restart` (or the command in KINDRED_PG_RESTART). Under `make test`
(`-n 2`) other tests use the same cluster at the same time, so a restart would break them:
there the outage is the test database's alone (every connection to it is terminated and new
ones are refused for a few seconds), which is what Kindred sees of a restart.
"""

import os
import shlex
import shutil
import subprocess
import threading
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.fault.support import NETWORK_ERRORS, PUBLIC_PAGES, get, skip_or_fail

RESTART = os.environ.get("KINDRED_PG_RESTART", "pg_ctlcluster 15 main restart")
OUTAGE_SECONDS = 5
CLIENT_TIMEOUT = 20


def _shared_cluster() -> bool:
    """Whether other tests run against the cluster at the same time (xdist workers)."""
    if os.environ.get("KINDRED_PG_RESTART"):
        return False
    return int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1


def _database_outage(url: str) -> None:
    """What a restart looks like to Kindred, for its database only."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        time.sleep(OUTAGE_SECONDS)
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def test_requests_fail_cleanly_and_recover_when_postgresql_restarts(fresh):
    if not fresh.db.is_postgres:
        pytest.skip("PostgreSQL only: set DATABASE_URL=postgres://…")
    shared = _shared_cluster()
    if not shared and shutil.which(shlex.split(RESTART)[0]) is None:
        skip_or_fail(f"cannot restart PostgreSQL here ({RESTART!r} not found)")
    app = fresh.app().start()
    answers, stop = [], threading.Event()  # (started, status or error, seconds, type)

    def client(number: int):
        sent = 0
        while not stop.is_set():
            sent += 1
            path = PUBLIC_PAGES[(number + sent) % len(PUBLIC_PAGES)]
            started = time.monotonic()
            try:
                response = get(app.port, path, timeout=CLIENT_TIMEOUT)
                kind = response.headers.get("content-type", "")
                answers.append((started, response.status, response.seconds, kind))
            except NETWORK_ERRORS as exc:
                answers.append((started, type(exc).__name__, time.monotonic() - started, ""))
            time.sleep(0.05)

    clients = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(2)]
    for thread in clients:
        thread.start()
    time.sleep(3)
    restart_started = time.monotonic()
    if shared:
        _database_outage(fresh.db.url)
    else:
        subprocess.run(shlex.split(RESTART), check=True, timeout=120, capture_output=True)
    restarted = time.monotonic()
    time.sleep(8)
    stop.set()
    for thread in clients:
        thread.join(timeout=CLIENT_TIMEOUT + 5)
    health = get(app.port, "/healthz")

    during = [a for a in answers if restart_started - 1 <= a[0] <= restarted + 3]
    later = [a for a in answers if a[0] > restarted + 3]
    failed = [a for a in answers if a[1] != 200]
    print(
        f"\n[fault] {'database outage' if shared else RESTART!r}: PostgreSQL away for "
        f"{restarted - restart_started:.1f} s; "
        f"{len(answers)} requests, {len(during)} around the restart; failed "
        f"{dict(Counter(a[1] for a in failed))}, the slowest failure in "
        f"{max((a[2] for a in failed), default=0):.2f} s; slowest request "
        f"{max(a[2] for a in answers):.2f} s"
    )
    assert all(isinstance(a[1], int) for a in answers), "the app server stopped answering"
    assert all(a[1] == 200 or a[1] in (500, 502, 503) for a in answers)
    assert all("text/html" in a[3] for a in failed), "a failure without an error page"
    assert max(a[2] for a in answers) < CLIENT_TIMEOUT
    assert later and all(a[1] == 200 for a in later), "no recovery after the restart"
    assert health.status == 200
