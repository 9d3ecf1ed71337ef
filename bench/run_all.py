"""`make bench`: every benchmark on SQLite and on PostgreSQL, gathered into one table.

The large demo data set is seeded once per database and kept between runs (var/bench/); each
script in bench/ (not starting with "_", and not a *_setup, *_settings or *_urls support
module) then runs with DATABASE_URL / KINDRED_VAR_DIR pointing at it and reports figures
through bench/_report.py. The table is printed and written as JSON to
var/bench/results.json.

Usage: .venv/bin/python bench/run_all.py [--db sqlite|postgresql|both] [--only NAME] [--reseed]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
PG_URL = "postgres://kindred:kindred@127.0.0.1:5432/kindred_bench_large"


def _env(db: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINDRED_TESTING"}}
    env |= {"DEBUG": "1", "KINDRED_VAR_DIR": str(OUT / db), "PYTHONUNBUFFERED": "1"}
    if db == "postgresql":
        env["DATABASE_URL"] = PG_URL
    return env


def _postgres_ready() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'kindred_bench_large'"
            ).fetchone()
            if not exists:
                conn.execute('CREATE DATABASE "kindred_bench_large"')
        return True
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL is not reachable ({exc}); skipping it.")
        return False


def _seed(db: str, reseed: bool) -> None:
    env = _env(db)
    marker = OUT / db / "seeded-large"
    (OUT / db).mkdir(parents=True, exist_ok=True)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    if marker.exists() and not reseed:
        print(f"[{db}] large data set already seeded ({marker.read_text().strip()})")
        _analyze(db)
        return
    if reseed:
        subprocess.run([*manage, "flush", "--no-input"], env=env, check=True)
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    started = time.monotonic()
    subprocess.run([*manage, "seed_demo", "--scale", "large"], env=env, check=True)
    marker.write_text(f"seeded in {time.monotonic() - started:.0f}s on {time.ctime()}")
    _analyze(db)


def _analyze(db: str) -> None:
    """Fresh planner statistics (and, on PostgreSQL, a visibility map) before measuring, as
    after any bulk load: the benches of earlier runs add rows, and autovacuum may not have
    caught up."""
    started = time.monotonic()
    if db == "postgresql":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    else:
        import sqlite3

        with sqlite3.connect(OUT / db / "kindred.sqlite3") as conn:
            conn.execute("ANALYZE")
    print(f"[{db}] statistics refreshed in {time.monotonic() - started:.0f}s")


def _scripts(only: str | None) -> list[Path]:
    scripts = sorted(p for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_"))
    # Support modules (data set-up, bench-only settings and URLconfs) are not benchmarks.
    support = ("_setup", "_settings", "_urls")
    scripts = [p for p in scripts if p.name != "run_all.py" and not p.stem.endswith(support)]
    return [p for p in scripts if not only or only in p.stem]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--only", help="run only scripts whose name contains this")
    parser.add_argument("--reseed", action="store_true", help="seed the large data set again")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in databases and not _postgres_ready():
        databases.remove("postgresql")
    rows, failures = [], []
    for db in databases:
        _seed(db, args.reseed)
        for script in _scripts(args.only):
            print(f"\n== {script.name} on {db}", flush=True)
            proc = subprocess.run(
                [PYTHON, str(script)], env=_env(db), cwd=ROOT, capture_output=True, text=True
            )
            for line in proc.stdout.splitlines():
                if line.startswith("BENCH "):
                    rows.append(json.loads(line[6:]) | {"script": script.name})
                else:
                    print("   " + line)
            if proc.returncode:
                failures.append(f"{script.name} on {db}")
                print(proc.stderr[-2000:])
    _print_table(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"when": time.ctime(), "rows": rows}, indent=1))
    print(f"\nWritten to {OUT / 'results.json'}")
    if failures:
        print("Scripts that failed: " + ", ".join(failures))
    return 1 if failures else 0


def _print_table(rows: list[dict]) -> None:
    header = ["figure", "value", "data size", "database", "floor", "ratio", "target"]
    table = [
        [
            r["figure"],
            f"{r['value']} {r['unit']}",
            r["data_size"],
            r["database"],
            "" if r["floor"] is None else f"{r['floor']} {r['unit']}",
            "" if r["ratio"] is None else f"{r['ratio']}×",
            r.get("target", ""),
        ]
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *table, strict=False)]
    print()
    for line in [header, ["-" * w for w in widths], *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)))


if __name__ == "__main__":
    sys.exit(main())
