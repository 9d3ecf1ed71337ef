"""Real-browser journeys: Kindred served as `make run` serves it, driven by Debian's Chromium.

One server per test session: a fresh database (a temporary SQLite file, or a throw-away
PostgreSQL database when DATABASE_URL points at PostgreSQL), migrated and seeded with the demo
data, a gunicorn web server and one task worker. Emails land as files (EMAIL_URL=file://) so a
journey can read the message a person would receive. When a journey fails, a screenshot and the
page's HTML are saved under var/test-artifacts/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# CI sets KINDRED_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping.
REQUIRE_BROWSER = os.environ.get("KINDRED_REQUIRE_BROWSER") == "1" or os.environ.get("CI")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # All journeys share one server, so xdist keeps them on one worker.
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(url: str) -> tuple[str, callable]:
    """Create a throw-away database next to the one in ``url``; return its URL and a dropper."""
    import psycopg

    parts = urlsplit(url)
    name = f"kindred_browser_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


class KindredServer:
    def __init__(self, base_url: str, env: dict, mail_dir: Path):
        self.url = base_url
        self.env = env
        self.mail_dir = mail_dir

    def manage(self, *args: str) -> str:
        """Run a management command against the journey database (e.g. to read a TOTP code)."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def emails_to(self, address: str) -> list[str]:
        """Messages delivered so far to ``address`` (raw text, oldest first)."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            text = path.read_text(errors="replace")
            for message in text.split("-" * 79):
                if f"To: {address}" in message:
                    found.append(message)
        return found


@pytest.fixture(scope="session")
def kindred(tmp_path_factory):
    var = tmp_path_factory.mktemp("kindred-browser")
    mail = var / "mail"
    mail.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"KINDRED_TESTING"}}
    env |= {
        "DEBUG": "1",
        "KINDRED_VAR_DIR": str(var),
        "EMAIL_URL": f"file://{mail}",
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "kindred.settings",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    drop = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _postgres_database(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)

    def run(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    run("migrate", "--no-input")
    run("seed_demo", "--if-empty")
    port = _free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115 - closed after the processes end
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kindred.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a busy 2-core machine can take a while
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
            if time.monotonic() > deadline or web.poll() is not None:
                log.flush()
                tail = (var / "server.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"Kindred did not start; the end of server.log:\n{tail}")
        yield KindredServer(base, env, mail)
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if drop:
            drop()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if REQUIRE_BROWSER:
            pytest.fail("Chromium is not installed (apt-get install -y chromium).")
        pytest.skip("Chromium is not installed (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


def _open_page(request, chromium, *, viewport, locale):
    context = chromium.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.console_errors = console_errors
    yield page
    if getattr(request.node, "journey_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / request.node.name.replace("/", "_")
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content())
        except Exception as exc:  # the page may be gone; keep the test's own failure
            Path(f"{stem}.txt").write_text(f"no screenshot: {exc}")
    context.close()


@pytest.fixture
def page(request, chromium):
    """A desktop-sized page in English."""
    yield from _open_page(
        request, chromium, viewport={"width": 1280, "height": 900}, locale="en-US"
    )


@pytest.fixture
def phone(request, chromium):
    """A 390×844 phone-sized page whose browser asks for Spanish."""
    yield from _open_page(request, chromium, viewport={"width": 390, "height": 844}, locale="es-US")
