"""Fault injection against real processes: gunicorn, `manage.py db_worker`, PostgreSQL, nginx.

One database per test session (a temporary SQLite file, or a throw-away PostgreSQL database
when DATABASE_URL points at PostgreSQL), migrated once, with production settings (DEBUG off,
collected static files). Each test starts the processes it needs on free loopback ports and
stops them. Helpers live in tests/fault/support.py.
"""

import json
import os
import time
from pathlib import Path

import pytest

from tests.fault.support import (
    ALERT_SUBSCRIBERS,
    MEMBER_EMAIL,
    MEMBER_PASSWORD,
    SETUP,
    Database,
    Stack,
    _postgres_database,
    base_env,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/fault/" in str(item.fspath):
            item.add_marker(pytest.mark.fault)
            # Real servers on a 2-core machine: one xdist worker runs them all, in order.
            item.add_marker(pytest.mark.xdist_group("fault"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    # KINDRED_FAULT_VAR=/some/dir keeps a migrated SQLite database between runs (development
    # only: it saves the minute-long migration; delete the folder to start afresh).
    keep = os.environ.get("KINDRED_FAULT_VAR")
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    var = Path(keep) if keep and not postgres else tmp_path_factory.mktemp("kindred-fault")
    mail = var / "mail"
    mail.mkdir(parents=True, exist_ok=True)
    env = base_env(var, mail)
    drop = None
    if postgres:
        env["DATABASE_URL"], drop = _postgres_database(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    db = Database(env, var)
    saved = var / "setup.json"
    try:
        started = time.monotonic()
        if keep and saved.exists() and not postgres:
            data = json.loads(saved.read_text())
        else:
            db.manage("migrate", "--no-input", "-v0")
            db.manage("collectstatic", "--no-input", "-v0")
            code = (
                f"ALERT_SUBSCRIBERS = {ALERT_SUBSCRIBERS}\nMEMBER_EMAIL = {MEMBER_EMAIL!r}\n"
                f"MEMBER_PASSWORD = {MEMBER_PASSWORD!r}\n" + SETUP
            )
            data = db.django(code, timeout=300)
            saved.write_text(json.dumps(data))
        print(f"\n[fault] database ready in {time.monotonic() - started:.0f} s", flush=True)
        the_stack = Stack(env=env, var=var, db=db, data=data, mail_dir=mail)
        yield the_stack
        the_stack.stop_all()
    finally:
        if drop:
            drop()


@pytest.fixture
def fresh(stack):
    """The session stack, with every process a test started stopped afterwards."""
    yield stack
    stack.stop_all()
