"""Shared set-up for the observe benchmarks (not itself a benchmark: it reports nothing).

Under `make bench` (bench/run_all.py) the database is the one run_all seeded with
``seed_demo --scale large`` (observe's part: 200 sites, 100,000 families, 1,000,000
responses, and a 50,000-response export site), named by DATABASE_URL / KINDRED_VAR_DIR.

Run alone, a script uses var/bench_observe.sqlite3, or BENCH_DATABASE_URL (e.g.
postgres://kindred:kindred@127.0.0.1/kindred_bench_observe after
su postgres -c "createdb -O kindred kindred_bench_observe"), and builds the observe volume
there once. Run this file to build it (--fresh to rebuild, --quick for a tenth).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench_observe.sqlite3"
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
CLINICIAN = "bench-clinician@bench.kindred.test"
ADMIN = "bench-admin@bench.kindred.test"
EXPORT_SITE = "bench-export-site"  # kindred.observe.demo.EXPORT_SITE


def under_run_all() -> bool:
    return "KINDRED_VAR_DIR" in os.environ or "DATABASE_URL" in os.environ


def database_url() -> str:
    if under_run_all():
        var = Path(os.environ.get("KINDRED_VAR_DIR", ROOT / "var"))
        return os.environ.get("DATABASE_URL") or f"sqlite:///{var / 'kindred.sqlite3'}"
    return os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"


def configure() -> None:
    """Point Django at the benchmark database (call before importing models)."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET)
    os.environ.setdefault("DEBUG", "1")  # pages render with plain static files
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def prepare(*, fresh: bool = False, quick: bool = False) -> dict:
    """Build the volume if it is not there; return ids the benchmarks need."""
    if fresh and database_url().startswith("sqlite") and DEFAULT_DB.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_DB}{suffix}").unlink(missing_ok=True)
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kindred.observe.bulk import seed_bulk
    from kindred.observe.models import Response, Site

    if not Site.objects.filter(slug=EXPORT_SITE).exists():
        scale = 10 if quick else 1
        started = time.monotonic()

        rng = random.Random(2026)
        if not Site.objects.filter(slug="bench-site-1").exists():
            seed_bulk(rng, sites=200, families=100_000 // scale, responses=1_000_000 // scale)
        seed_bulk(rng, sites=1, families=5_000, responses=50_000, slug_prefix=EXPORT_SITE)
        print(f"  volume built in {time.monotonic() - started:.0f}s")
    _people()
    return {
        "responses": Response.objects.count(),
        "sites": Site.objects.count(),
    }


def _people() -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from kindred.accounts.models import User
    from kindred.observe.models import Site
    from kindred.observe.services import add_site_member

    site = Site.objects.get(slug="bench-site-1")
    export_site = Site.objects.get(slug=EXPORT_SITE)
    for email, role, sites in (
        (CLINICIAN, "clinician", [site]),
        (ADMIN, "admin", [site, export_site]),
    ):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, None)
        if not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, "JBSWY3DPEHPK3PXP")
        for each in sites:
            if each.membership_for(user) is None:
                add_site_member(each, user, role=role)


def session_cookie(email: str) -> str:
    """A signed-in session for ``email`` (as if they had signed in with MFA)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from kindred.accounts.models import User

    user = User.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print("observe bench data:", prepare(fresh=args.fresh, quick=args.quick))
