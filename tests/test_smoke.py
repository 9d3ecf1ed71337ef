"""Start Kindred the way ``make run`` does, in a fresh directory, and use it over HTTP.

migrate, seed_demo --if-empty (twice: the second run must add nothing), then the web server
and the task worker as two processes; the home page and /healthz answer, and a task queued
from another process is run by the worker. Both processes are always stopped.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        # Always the embedded default (SQLite in the temporary directory), as `make run`.
        if key not in {"KINDRED_TESTING", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    return clean | {"DEBUG": "1", "KINDRED_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(check, *, seconds: float, what: str, processes=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{process.args} stopped: {process.returncode}"
        try:
            result = check()
        except (OSError, sqlite3.OperationalError):
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # Each process leads its own group, so the worker's autoreloader child goes too.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def count_users(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]


def test_kindred_starts_like_make_run(env, tmp_path):
    database = Path(env["KINDRED_VAR_DIR"]) / "kindred.sqlite3"
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo", "--if-empty")
    people = count_users(database)
    assert people > 0
    manage(env, "seed_demo", "--if-empty")
    assert count_users(database) == people, "a second seed_demo --if-empty added people"

    # Every sign-in `make run` prints is a real account of the demo data.
    printed = re.findall(r"\S+@demo\.kindred\.test", manage(env, "demo_signins"))
    assert "steward@demo.kindred.test" in printed and len(printed) >= 8
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            f"SELECT COUNT(*) FROM accounts_user WHERE email IN ({','.join('?' * len(printed))})",
            printed,
        ).fetchone()[0]
    assert found == len(set(printed))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker")}  # noqa: SIM115
    commands = {
        "web": ["runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": ["db_worker", "--interval", "1"],
    }
    processes = []
    try:
        for name, args in commands.items():
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", *args],
                    cwd=ROOT,
                    env=env,
                    stdout=logs[name],
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

        def home():
            status, body = get(base + "/")
            return body if status == 200 else None

        body = wait_for(home, seconds=60, what="the home page", processes=processes)
        assert '<html lang="en"' in body
        assert '<main id="main"' in body
        assert 'href="/network/join/"' in body

        status, health = get(base + "/healthz")
        assert status == 200
        assert json.loads(health)["status"] == "ok"

        status, _ = get(base + "/api/vocabularies")
        assert status == 200

        # A task queued by another process is picked up by the running worker.
        task_id = manage(env, "prune_progress", "--days", "30").split()[2]

        def task_status():
            with sqlite3.connect(database) as connection:
                row = connection.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                    [task_id.replace("-", "")],
                ).fetchone()
            return row and row[0] in {"SUCCESSFUL", "FAILED"} and row[0]

        assert wait_for(task_status, seconds=60, what="the worker", processes=processes) == (
            "SUCCESSFUL"
        )
    finally:
        for process in processes:
            stop(process)
        for log in logs.values():
            log.close()
    for process in processes:
        assert process.poll() is not None
