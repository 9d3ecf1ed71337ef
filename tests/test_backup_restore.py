"""A backup restores into a fresh database with every row (SQLite and PostgreSQL)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = [pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]

COUNT_ROWS = """
import json
from django.apps import apps
models = [m for m in apps.get_models() if m._meta.managed]
print(json.dumps({m._meta.db_table: m.objects.count() for m in models}))
"""

ADD_ROWS = """
from kindred.accounts.services import create_account
from kindred.core.audit import log_action
user = create_account("backup@example.org", "a long enough password", name="Ana Backup")
log_action(user, "backup.tested", user, note="ñandú")
"""


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def databases(tmp_path):
    """Two empty databases of the kind the suite runs on: (source env, target env)."""
    base = {k: v for k, v in os.environ.items() if k != "KINDRED_TESTING"}
    base |= {"DEBUG": "1"}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        base.pop("DATABASE_URL", None)
        yield (
            base | {"KINDRED_VAR_DIR": str(tmp_path / "a")},
            base | {"KINDRED_VAR_DIR": str(tmp_path / "b")},
        )
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    names = [f"kindred_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(
            base | {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))} for name in names
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_into_a_fresh_database(databases, tmp_path):
    source, target = databases
    _manage(source, "migrate", "--no-input", "-v0")
    _manage(source, "shell", "-v", "0", "-c", ADD_ROWS)
    before = json.loads(_manage(source, "shell", "-v", "0", "-c", COUNT_ROWS))
    assert before["accounts_user"] == 1 and before["places_zipcode"] > 40_000

    backup = tmp_path / "kindred.backup"
    _manage(source, "backup", str(backup))
    _manage(target, "restore", str(backup), "--no-input")

    after = json.loads(_manage(target, "shell", "-v", "0", "-c", COUNT_ROWS))
    assert after == before
    # The restored rows are the same rows, not just the same counts.
    check = (
        "from kindred.core.models import AuditEvent; "
        "print(AuditEvent.objects.get(verb='backup.tested').details['note'])"
    )
    assert _manage(target, "shell", "-v", "0", "-c", check).strip() == "ñandú"


def test_restore_refuses_a_file_that_is_not_a_backup(databases, tmp_path):
    source, _ = databases
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(bogus), "--no-input"],
        cwd=ROOT,
        env=source,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "is not a" in result.stderr and "backup" in result.stderr
