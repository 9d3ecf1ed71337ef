"""Spike bench for signing an advocacy action (issue 8, "Speed and durability").

For each database (SQLite in WAL mode, then PostgreSQL):
1. start gunicorn (gthread workers) on 127.0.0.1 with bench/policy_support/policy_settings.py,
   whose URLconf adds a bare "parse JSON, insert one row" view as the baseline;
2. baseline: wrk, 32 connections, DURATION seconds against the bare view;
3. sign: wrk, 32 connections, DURATION seconds against POST /api/policy/actions/{slug}/sign
   with unique emails (every 20th request repeats an earlier email: it must get 200);
   then rows in the table are counted against 201 answers, and duplicates looked for;
4. CPU per request: the bare view and the sign endpoint called alternately through Django's
   WSGI handler in one process (no server, no load generator): a figure that other work on
   the machine does not skew; and, for steps 2 and 3, the CPU time gunicorn (and, with
   PostgreSQL, the database's backends) spent per answered request, from /proc;
5. exact run: the Python client (which tracks every email) for 15 s, no crash: every
   acknowledged signature must be in the table, and no email twice;
6. crash run: the Python client signs, the server is killed with SIGKILL mid-load and
   restarted; afterwards every acknowledged (2xx) signature must be in the table.

Usage: .venv/bin/python bench/policy_spike.py [--db sqlite|postgres|both] [--duration 60]
Under `make bench` (bench/run_all.py) the database follows its environment and the figures
are also reported as BENCH lines (bench/_report.py).
Needs wrk (apt-get install wrk). Only 127.0.0.1 is ever targeted; every loop is bounded.
PostgreSQL uses its own database (kindred_bench), created if missing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SUPPORT = BENCH / "policy_support"  # not *.py at bench/ top level: `make bench` runs those
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_URL = "postgres://kindred:kindred@127.0.0.1:5432/kindred_bench"
CONNECTIONS = 32
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def env_for(db: str, var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINDRED_TESTING"}}
    env.update(
        DJANGO_SETTINGS_MODULE="policy_settings",
        PYTHONPATH=f"{SUPPORT}:{ROOT / 'src'}",
        SECRET_KEY=SECRET,
        DEBUG="False",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        KINDRED_VAR_DIR=str(var_dir),
        SITE_URL="http://127.0.0.1:8000",
    )
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    return env


def django(env: dict, code: str) -> dict:
    """Run ``code`` in a fresh Django process; it prints one JSON line, returned here."""
    script = "import django, json; django.setup()\n" + code
    out = subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


SETUP = """
from django.db import connection
from django.utils.crypto import get_random_string
from kindred.places.models import ZipCode
from kindred.policy import services
from kindred.policy.models import AdvocacyAction
federal = services.federal_jurisdiction()
pk = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY"
with connection.cursor() as cursor:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS policy_bench_insert (id {pk}, email varchar(254), "
                   "zip varchar(5), created timestamp with time zone)")
slugs = {}
for name in ("warm", "main", "exact", "crash", "cpu"):
    slug = f"bench-{name}-{get_random_string(6).lower()}"
    AdvocacyAction.objects.create(slug=slug, kind="letter", status="open", title_en="Bench",
        intro_en="Bench", jurisdiction=federal, letter_body_en="Dear {target_name}")
    slugs[name] = slug
zips = list(ZipCode.objects.order_by("code").values_list("code", flat=True)[::400][:64])
if connection.vendor == "postgresql":
    # Rows of earlier runs stay in the bench database: start from vacuumed tables, so that an
    # autovacuum they are due does not land inside one of the measured loads.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) policy_signature, policy_bench_insert")
print(json.dumps({"slugs": slugs, "zips": zips}))
"""

COUNT = """
from django.db import connection
from django.db.models import Count
from kindred.policy.models import Signature
slug, run = {slug!r}, {run!r}
rows = Signature.objects.filter(action__slug=slug)
emails = set(rows.values_list("email_normalised", flat=True))
dupes = rows.values("email_normalised").annotate(n=Count("id")).filter(n__gt=1).count()
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*), COUNT(DISTINCT email) FROM policy_bench_insert "
                   "WHERE email LIKE %s", [run + "-%"])
    base_rows, base_distinct = cursor.fetchone()
acked = json.load(open({acked_file!r})) if {acked_file!r} else []
missing = [e for e in acked if e.lower() not in emails]
print(json.dumps({{"rows": rows.count(), "distinct": len(emails), "duplicate_emails": dupes,
                  "baseline_rows": base_rows, "baseline_distinct": base_distinct,
                  "acked": len(acked), "acked_missing": len(missing),
                  "missing_sample": missing[:5]}}))
"""


def count(env, slug="", run="none", acked_file=""):
    return django(env, COUNT.format(slug=slug, run=run, acked_file=acked_file))


class Server:
    def __init__(self, env: dict, port: int, workers: int, threads: int):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [GUNICORN, "kindred.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--worker-class", "gthread", "--workers", str(self.workers),
             "--threads", str(self.threads), "--keep-alive", "75", "--backlog", "2048",
             "--log-level", "warning"],
            env=self.env, cwd=ROOT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def server_cpu_seconds(server: Server, db: str) -> float:
    """CPU time (user + system) used so far by gunicorn's master and workers and, with
    PostgreSQL, by the bench database's backends: divided by the requests of a run, a
    figure that other work on the machine skews much less than requests per second."""
    pids = [server.process.pid]
    pids += [int(pid) for pid in subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
    ).stdout.split()]  # fmt: skip
    if db == "postgres":
        pids += [int(pid) for pid in subprocess.run(
            ["pgrep", "-f", "postgres: .*kindred_bench"], capture_output=True, text=True
        ).stdout.split()]  # fmt: skip
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        ticks += int(stat[11]) + int(stat[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk_measured(server: Server, db: str, *args) -> dict:
    """``wrk(*args)`` plus the server's CPU milliseconds per answered request."""
    before = server_cpu_seconds(server, db)
    result = wrk(*args)
    spent = server_cpu_seconds(server, db) - before
    result["server_cpu_ms"] = 1000 * spent / max(1, result["requests"])
    return result


def wrk(port: int, path: str, run: str, seconds: int, zips: list[str], dup_every: int) -> dict:
    env = dict(os.environ, BENCH_PATH=path, BENCH_RUN=run, BENCH_ZIPS=",".join(zips),
               BENCH_DUP_EVERY=str(dup_every))  # fmt: skip
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(SUPPORT / "policy_wrk.lua"), f"http://127.0.0.1:{port}{path}"],
        env=env, capture_output=True, text=True, check=True, timeout=seconds + 60,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def client(port: int, path: str, run: str, seconds: float, zips: list[str], out: Path):
    return subprocess.Popen(
        [PYTHON, str(SUPPORT / "policy_client.py"), str(port), path, run, str(seconds),
         str(CONNECTIONS), ",".join(zips), str(out)],
    )  # fmt: skip


def ensure_postgres_database() -> None:
    exists = subprocess.run(
        ["su", "postgres", "-c", "psql -tAc \"SELECT 1 FROM pg_database "
         "WHERE datname='kindred_bench'\""],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists != "1":
        subprocess.run(["su", "postgres", "-c", "createdb -O kindred kindred_bench"], check=True)


def bench_database(db: str, duration: int, workers: int, threads: int, port: int) -> dict:
    var_dir = Path(tempfile.gettempdir()) / "kindred-policy-bench"
    var_dir.mkdir(exist_ok=True)
    if db == "postgres":
        ensure_postgres_database()
    env = env_for(db, var_dir)
    print(f"[{db}] migrating (the first time loads the ZIP data, about a minute)", flush=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=env, cwd=ROOT,
                   check=True)  # fmt: skip
    setup = django(env, SETUP)
    slugs, zips = setup["slugs"], setup["zips"]
    sign_path = "/api/policy/actions/{}/sign"
    figures: dict = {"db": db, "workers": workers, "threads": threads,
                     "load_before": os.getloadavg()[0]}  # fmt: skip
    print(f"[{db}] CPU per request, in process, 3000 of each interleaved", flush=True)
    cpu = subprocess.run(
        [PYTHON, str(SUPPORT / "policy_cpu.py"), slugs["cpu"], "3000"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    figures["cpu_ms"] = json.loads(cpu.stdout.strip().splitlines()[-1])
    server = Server(env, port, workers, threads)
    server.start()
    try:
        print(f"[{db}] warm-up 5 s", flush=True)
        wrk(port, sign_path.format(slugs["warm"]), "warm", 5, zips, 0)
        wrk(port, "/bench/insert", "warmbase", 3, zips, 0)
        run = f"base{int(time.time())}"
        print(f"[{db}] baseline: bare insert view, {duration} s", flush=True)
        figures["baseline"] = wrk_measured(
            server, db, port, "/bench/insert", run, duration, zips, 0
        )
        figures["baseline"]["db"] = count(env, run=run)
        print(f"[{db}] sign endpoint, {duration} s", flush=True)
        figures["sign"] = wrk_measured(
            server, db, port, sign_path.format(slugs["main"]), "sign", duration, zips, 20
        )
        figures["sign"]["db"] = count(env, slug=slugs["main"])
        print(f"[{db}] exact run: every acknowledged email checked, 15 s", flush=True)
        out = var_dir / f"exact-{db}.json"
        client(port, sign_path.format(slugs["exact"]), "exact", 15, zips, out).wait(timeout=120)
        exact = json.loads(out.read_text())
        out.with_suffix(".acked").write_text(json.dumps(exact["acked"]))
        figures["exact"] = _summary(exact)
        figures["exact"]["db"] = count(env, slug=slugs["exact"],
                                       acked_file=str(out.with_suffix(".acked")))  # fmt: skip
    finally:
        server.stop()
    print(f"[{db}] crash run: kill -9 the server after 6 s, restart, keep signing", flush=True)
    out = var_dir / f"crash-{db}.json"
    server.start()
    load = client(port, sign_path.format(slugs["crash"]), "crash", 16, zips, out)
    time.sleep(6)
    server.kill()
    killed_at = time.monotonic()
    time.sleep(1)
    server.start()
    figures["restart_seconds"] = round(time.monotonic() - killed_at, 2)
    load.wait(timeout=120)
    server.stop()
    crash = json.loads(out.read_text())
    out.with_suffix(".acked").write_text(json.dumps(crash["acked"]))
    figures["crash"] = _summary(crash)
    figures["crash"]["db"] = count(env, slug=slugs["crash"],
                                   acked_file=str(out.with_suffix(".acked")))  # fmt: skip
    figures["load_after"] = os.getloadavg()[0]
    return figures


def _summary(result: dict) -> dict:
    return {
        "answered": result["answered"],
        "rate": round(result["rate"], 1),
        "p95_ms": round(result["p95_ms"], 1),
        "statuses": result["statuses"],
        "unanswered": len(result["unanswered"]),
        "refused": len(result["refused"]),
    }


def report(figures: dict) -> list[str]:
    db, base, sign = figures["db"], figures["baseline"], figures["sign"]
    two_xx = sign["statuses"].get("201", 0) + sign["statuses"].get("200", 0)
    lines = [
        f"== {db}: gunicorn gthread {figures['workers']} workers x {figures['threads']} threads, "
        f"{CONNECTIONS} connections; 1-min load average {figures['load_before']:.1f} before, "
        f"{figures['load_after']:.1f} after (2 cores: other work on the machine skews figures)",
        f"baseline bare insert: {base['rate']:.0f} req/s, p95 {base['p95_us'] / 1000:.1f} ms, "
        f"2xx {base['statuses'].get('201', 0)}, rows {base['db']['baseline_rows']}, "
        f"errors {base['read_errors'] + base['connect_errors'] + base['timeouts']}",
        f"sign: {sign['rate']:.0f} req/s ({100 * sign['rate'] / base['rate']:.0f}% of baseline), "
        f"p50 {sign['p50_us'] / 1000:.1f} ms, p95 {sign['p95_us'] / 1000:.1f} ms, "
        f"p99 {sign['p99_us'] / 1000:.1f} ms",
        f"  answers: {sign['statuses']} (2xx {two_xx}); sent {sign['sent']} of which "
        f"{sign['sent_duplicates']} repeated an earlier email",
        f"  rows {sign['db']['rows']} = distinct emails {sign['db']['distinct']}; "
        f"201 answers {sign['statuses'].get('201', 0)}; rows - 201 = "
        f"{sign['db']['rows'] - sign['statuses'].get('201', 0)} (requests cut off by wrk's "
        f"stop, at most {CONNECTIONS}); emails stored twice: {sign['db']['duplicate_emails']}",
    ]
    for name in ("exact", "crash"):
        run = figures[name]
        lines.append(
            f"{name} run: {run['answered']} answered at {run['rate']} req/s, p95 "
            f"{run['p95_ms']} ms, {run['statuses']}; acknowledged {run['db']['acked']}, "
            f"missing from the table {run['db']['acked_missing']}; rows {run['db']['rows']}, "
            f"emails stored twice {run['db']['duplicate_emails']}; unanswered "
            f"{run['unanswered']}"
        )
    lines.append(f"crash: server back {figures['restart_seconds']} s after kill -9")
    cpu = figures["cpu_ms"]
    lines.append(
        f"CPU per request (in process, interleaved): bare insert {cpu['bare']:.3f} ms, sign "
        f"{cpu['sign']:.3f} ms ({cpu['sign'] / cpu['bare']:.2f}x); two cores give at most "
        f"~{2000 / cpu['sign']:.0f} signatures/s of server CPU"
    )
    base_cpu, sign_cpu = base["server_cpu_ms"], sign["server_cpu_ms"]
    who = "gunicorn + PostgreSQL backends" if db == "postgres" else "gunicorn"
    lines.append(
        f"CPU per request under load ({who}): bare insert {base_cpu:.3f} ms, sign "
        f"{sign_cpu:.3f} ms ({sign_cpu / base_cpu:.2f}x)"
    )
    return lines


def report_rows(figures: dict) -> None:
    """The headline figures as BENCH lines for bench/run_all.py's table."""
    sys.path.insert(0, str(BENCH))
    from _report import report as bench_report

    db = "postgresql" if figures["db"] == "postgres" else "sqlite"
    base, sign = figures["baseline"], figures["sign"]
    size = f"{CONNECTIONS} clients, {sign['duration_us'] / 1e6:.0f} s"
    bench_report("policy sign rate", sign["rate"], "req/s", data_size=size, database=db,
                 floor=base["rate"], target=">= 0.5 x floor and >= 1000 req/s")  # fmt: skip
    bench_report("policy sign p95", sign["p95_us"] / 1000, "ms", data_size=size, database=db,
                 floor=base["p95_us"] / 1000, target="<= 50 ms")  # fmt: skip
    cpu = figures["cpu_ms"]
    bench_report("policy sign CPU per request", cpu["sign"], "ms", data_size="in process",
                 database=db, floor=cpu["bare"], target="close to floor")  # fmt: skip
    bench_report("policy sign server CPU per request", sign["server_cpu_ms"], "ms",
                 data_size=size, database=db, floor=base["server_cpu_ms"],
                 target="<= 2 x floor")  # fmt: skip
    lost = sum(figures[run]["db"]["acked_missing"] for run in ("exact", "crash"))
    doubled = sum(figures[run]["db"]["duplicate_emails"] for run in ("sign", "exact", "crash"))
    bench_report("policy signatures lost (exact + crash runs)", lost, "rows", data_size=size,
                 database=db, target="0")  # fmt: skip
    bench_report("policy signatures stored twice", doubled, "rows", data_size=size,
                 database=db, target="0")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        sys.exit("wrk is needed: apt-get install -y wrk")
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not args.db:  # run_all.py says which database through the environment
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            args.db = "postgres"
        else:
            args.db = "sqlite" if os.environ.get("KINDRED_VAR_DIR") else "both"
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    lines = []
    for db in databases:
        figures = bench_database(db, args.duration, args.workers, args.threads, args.port)
        (Path(tempfile.gettempdir()) / f"kindred-policy-bench-{db}.json").write_text(
            json.dumps(figures, indent=2)
        )
        lines += report(figures)
        print("\n".join(report(figures)), flush=True)
        report_rows(figures)
    print("\n".join(["", "Summary:", *lines]))


if __name__ == "__main__":
    main()
