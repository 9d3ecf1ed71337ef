"""Helpers of the fault tests (see conftest.py): processes, the database, HTTP clients, load.

Fault injection against real processes: gunicorn, `manage.py db_worker`, PostgreSQL, nginx.

One database per test session (a temporary SQLite file, or a throw-away PostgreSQL database
when DATABASE_URL points at PostgreSQL), migrated once, with production settings (DEBUG off,
collected static files). Each test starts the processes it needs on free loopback ports and
stops them; emails land as files (EMAIL_URL=file://) so they can be counted.

Every wait is bounded; only 127.0.0.0/8 is ever contacted. Load clients spread their
requests over loopback source addresses (127.x.y.z), so the per-address rate limits of
signing and joining see many visitors, as they would in real life.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAULT_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
# CI sets KINDRED_REQUIRE_BROWSER=1 (or CI): a missing tool then fails instead of skipping.
REQUIRE_TOOLS = os.environ.get("KINDRED_REQUIRE_BROWSER") == "1" or bool(os.environ.get("CI"))
SECRET_KEY = "fault-tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
MEMBER_EMAIL = "member@fault.example.org"
MEMBER_PASSWORD = "a-fault-tolerant-parent-2026"
ALERT_SUBSCRIBERS = 300
PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/places/",
    "/places/ok/",
    "/network/join/",
    "/network/communities/",
    "/policy/",
    "/library/",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def skip_or_fail(reason: str):
    if REQUIRE_TOOLS:
        pytest.fail(reason)
    pytest.skip(reason)


def _postgres_database(url: str) -> tuple[str, callable]:
    """A throw-away database next to the one in ``url``; its URL and a dropper."""
    import psycopg

    parts = urlsplit(url)
    name = f"kindred_fault_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        for _ in range(10):  # PostgreSQL may be restarting after a fault test
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except psycopg.OperationalError:
                time.sleep(1)

    return urlunsplit(parts._replace(path=f"/{name}")), drop


# --- Processes ----------------------------------------------------------------------------


class Proc:
    """A child process in its own process group, so kill -9 takes its children too."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path):
        self.name, self.argv, self.env, self.log_dir = name, argv, env, log_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> Proc:
        log = open(self.log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - child owns it
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.running:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill9()

    def log_tail(self, chars: int = 3000) -> str:
        path = self.log_dir / f"{self.name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


class AppServer(Proc):
    def __init__(self, env: dict, log_dir: Path, port: int | None = None, name: str = "web"):
        self.port = port or free_port()
        argv = [
            PYTHON, "-m", "gunicorn", "kindred.wsgi", "-b", f"127.0.0.1:{self.port}",
            "-w", "2", "--threads", "4", "--timeout", "30", "--graceful-timeout", "5",
            "--backlog", "512",
        ]  # fmt: skip
        super().__init__(name, argv, env, log_dir)

    def start(self, wait: float = 90) -> AppServer:
        super().start()
        return self.wait_ready(wait)

    def launch(self) -> AppServer:
        """Start without waiting (then ``wait_ready``): servers can boot side by side."""
        super().start()
        return self

    def wait_ready(self, wait: float = 90) -> AppServer:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                if get(self.port, "/healthz", timeout=3).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz in {wait} s:\n{self.log_tail()}")


class TaskWorker(Proc):
    def __init__(self, env: dict, log_dir: Path, name: str = "worker"):
        argv = [
            PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay",
            "--no-reload", "--worker-id", f"{name}-{uuid.uuid4().hex[:8]}",
        ]  # fmt: skip
        super().__init__(name, argv, env, log_dir)


# --- The database and its helpers ---------------------------------------------------------

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from django.utils.crypto import get_random_string
from kindred.accounts.services import create_account
from kindred.core.models import Role
from kindred.network.services import join_network
from kindred.places.models import ZipCode
from kindred.policy import services
from kindred.policy.models import AdvocacyAction, Policy, Subscription
federal = services.federal_jurisdiction()
tag = get_random_string(6).lower()
actions = {}
for name in ("crash", "load", "scale"):
    slug = f"fault-{name}-{tag}"
    AdvocacyAction.objects.create(slug=slug, kind="letter", status="open", title_en="Fault",
        intro_en="Fault", jurisdiction=federal, letter_body_en="Dear {target_name}")
    actions[name] = slug
policy = services.create_policy(slug=f"fault-policy-{tag}", title_en="Fault policy",
    jurisdiction=federal, policy_type=Policy.Type.BILL, summary_en="A policy for fault tests.",
    why_it_matters_en="It does not.", history=[{"status": Policy.Status.INTRODUCED,
    "date": timezone.localdate() - timedelta(days=30), "source_title": "Fault tests"}])
Subscription.objects.bulk_create([Subscription(email=f"alert-{i}@fault.example.org",
    is_confirmed=True, frequency=Subscription.Frequency.IMMEDIATE, token=get_random_string(40))
    for i in range(ALERT_SUBSCRIBERS)])
parent = Role.objects.get(slug="parent-caregiver")
user = create_account(MEMBER_EMAIL, MEMBER_PASSWORD, name="Fault Member", verified=True)
zip_code = ZipCode.objects.get(code="74103")
join_network(user=user, name="Fault Member", roles=[parent], zip_code=zip_code, languages=["en"])
zips = list(ZipCode.objects.order_by("code").values_list("code", flat=True)[::400][:64])
print(json.dumps({"actions": actions, "policy": policy.slug, "parent_role": parent.pk,
                  "zips": zips}))
"""


class Database:
    """The session's database: run Django code or plain SQL against it."""

    def __init__(self, env: dict, var: Path):
        self.env, self.var = env, var
        self.url = env.get("DATABASE_URL", "")
        self.is_postgres = self.url.startswith("postgres")

    def manage(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def django(self, code: str, timeout: float = 120) -> dict:
        """Run ``code`` in a fresh Django process; it prints one JSON line, returned here."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(
            [PYTHON, "-c", script], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(result.stderr[-3000:])
        return json.loads(result.stdout.strip().splitlines()[-1])

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """A read with the database's own driver: fast enough to poll (``%s`` placeholders)."""
        if self.is_postgres:
            import psycopg

            with psycopg.connect(self.url, connect_timeout=5) as conn:
                return conn.execute(query, params).fetchall()
        with sqlite3.connect(self.var / "kindred.sqlite3", timeout=10) as conn:
            return conn.execute(query.replace("%s", "?"), params).fetchall()

    def tasks_by_status(self, task_suffix: str) -> Counter:
        rows = self.sql(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s GROUP BY status",
            (f"%{task_suffix}",),
        )
        return Counter(dict(rows))


@dataclass
class Stack:
    """What a fault test needs: the database, its settings, and ways to start processes."""

    env: dict
    var: Path
    db: Database
    data: dict
    mail_dir: Path
    started: list = field(default_factory=list)

    def app(self, port: int | None = None, env: dict | None = None, name: str = "web"):
        server = AppServer(env or self.env, self.var, port, name=name)
        self.started.append(server)
        return server

    def worker(self, env: dict | None = None, name: str = "worker") -> TaskWorker:
        worker = TaskWorker(env or self.env, self.var, name=name)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        """SIGTERM to every process at once, then wait for each (kill -9 after 20 s)."""
        for process in self.started:
            if process.running:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            process.stop()
        self.started.clear()

    def emails(self) -> Counter:
        """How many messages each address has received so far."""
        return count_emails(self.mail_dir)


def count_emails(mail_dir: Path) -> Counter:
    received: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        for message in path.read_bytes().split(b"-" * 79 + b"\n"):
            match = re.search(rb"^To: (.+)$", message, re.MULTILINE)
            if match:
                for address in match.group(1).decode().split(","):
                    received[address.strip()] += 1
    return received


def base_env(var: Path, mail_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"KINDRED_TESTING", "DEBUG"}}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "KINDRED_VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "EMAIL_URL": f"file://{mail_dir}",
        "PYTHONPATH": f"{FAULT_DIR}:{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "kindred.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    return env


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


# What a client sees when a server dies mid-answer.
NETWORK_ERRORS = (OSError, http.client.HTTPException)
_addresses = itertools.count(random.randrange(0, 10_000_000))


def next_source() -> str:
    """A fresh loopback source address: each request looks like another visitor."""
    n = next(_addresses)
    return f"127.{n // 62500 % 200 + 2}.{n // 250 % 250 + 1}.{n % 250 + 1}"


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    *,
    source: str | None = None,
    timeout: float = 15,
) -> Response:
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        data = answer.read()
        headers_out = {}
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                headers_out.setdefault("set-cookie", []).append(value)
            else:
                headers_out[name.lower()] = value
        return Response(answer.status, headers_out, data, time.perf_counter() - started)
    finally:
        conn.close()


def get(port: int, path: str, **kwargs) -> Response:
    return request(port, "GET", path, **kwargs)


def sign(port: int, slug: str, email: str, zip_code: str, **kwargs) -> Response:
    body = json.dumps({"name": "Fault Signer", "email": email, "zip": zip_code}).encode()
    return request(
        port, "POST", f"/api/policy/actions/{slug}/sign", body,
        {"Content-Type": "application/json"}, **kwargs,
    )  # fmt: skip


class Browser:
    """A cookie-keeping HTTP client (CSRF token included), talking to one port at a time."""

    def __init__(self, port: int, source: str | None = None):
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return headers

    def _keep(self, response: Response) -> Response:
        for raw in response.headers.get("set-cookie", []):
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, port: int | None = None, **kwargs) -> Response:
        response = request(
            port or self.port, "GET", path, headers=self._headers(), source=self.source, **kwargs
        )
        return self._keep(response)

    def post(self, path: str, data: dict | list, port: int | None = None, **kw) -> Response:
        body = urlencode(data, doseq=True).encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        response = request(port or self.port, "POST", path, body, headers, source=self.source, **kw)
        return self._keep(response)

    def post_multipart(self, path: str, fields: list, files: dict, **kwargs) -> Response:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, content_type) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = self._headers({"Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = request(self.port, "POST", path, body, headers, source=self.source, **kwargs)
        return self._keep(response)


class FormFields(HTMLParser):
    """The values a browser would submit for the form that contains ``marker``."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker
        self.forms: list[list] = []
        self.current: list | None = None
        self.has_marker = False
        self.textarea = self.select = None
        self.text = ""
        self.found: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current, self.has_marker = [], False
        if self.current is None:
            return
        name = attrs.get("name")
        if name == self.marker:
            self.has_marker = True
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.current.append((name, attrs.get("value", "on")))
            elif kind not in {"file", "submit", "button", "image", "reset"}:
                self.current.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.current.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea and self.current is not None:
            self.current.append((self.textarea, self.text.strip("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.current is not None:
            if self.has_marker and self.found is None:
                self.found = self.current
            self.current = None


def form_fields(html: str, marker: str) -> list:
    parser = FormFields(marker)
    parser.feed(html)
    if parser.found is None:
        raise AssertionError(f"no form with a field named {marker!r}")
    return parser.found


def sign_in(browser: Browser, email: str = MEMBER_EMAIL, password: str = MEMBER_PASSWORD):
    browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"login": email, "password": password})
    assert response.status == 302, response.text[:2000]
    return response


def join(browser: Browser, parent_role: int, email: str) -> list[Response]:
    """The three steps of joining the network, as a visitor's browser sends them."""
    answers = [browser.get("/network/join/")]
    answers.append(
        browser.post(
            "/network/join/",
            {"name": "Fault Joiner", "roles": [parent_role], "zip_code": "74103"},
        )
    )
    answers.append(
        browser.post(
            "/network/join/interests/",
            {"languages": ["en"], "contact_methods": ["email"], "visibility": "members"},
        )
    )
    answers.append(
        browser.post(
            "/network/join/account/",
            {
                "email": email,
                "password1": "a-joiner-password-2026",
                "password2": "a-joiner-password-2026",
                "accept_terms": "on",
            },
        )
    )
    return answers


# --- Load ---------------------------------------------------------------------------------


@dataclass
class LoadResult:
    latencies: dict = field(default_factory=dict)  # kind -> [seconds]
    statuses: dict = field(default_factory=dict)  # kind -> Counter
    failures: list = field(default_factory=list)  # (kind, what)
    acked: list = field(default_factory=list)  # emails answered 2xx by the sign endpoint
    unanswered: list = field(default_factory=list)
    joined: list = field(default_factory=list)  # emails of completed joins
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, response: Response | None, error: str = "", ok=(200, 302)):
        with self.lock:
            counter = self.statuses.setdefault(kind, Counter())
            if response is None:
                counter["error"] += 1
                self.failures.append((kind, error))
                return
            counter[response.status] += 1
            self.latencies.setdefault(kind, []).append(response.seconds)
            if response.status not in ok:
                self.failures.append((kind, response.status))

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())

    @property
    def error_rate(self) -> float:
        return len(self.failures) / self.total if self.total else 0.0

    def summary(self, title: str) -> str:
        lines = [f"[fault] {title}: {self.total} requests, error rate {self.error_rate:.2%}"]
        everything = []
        for kind in sorted(self.latencies):
            values = sorted(self.latencies[kind])
            everything += values
            statuses = dict(self.statuses[kind])
            lines.append(f"  {kind:<8} {_percentiles(values)}  statuses {statuses}")
        lines.append(f"  {'all':<8} {_percentiles(sorted(everything))}")
        return "\n".join(lines)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "no answers"

    def pick(p):
        return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000

    return (
        f"n={len(values):<5} p50 {pick(50):7.1f} ms  p95 {pick(95):7.1f} ms  p99 {pick(99):7.1f} ms"
    )


def run_load(
    port: int,
    seconds: float,
    threads: int,
    mix: list[str],
    data: dict,
    *,
    slug: str,
    run: str,
    result: LoadResult | None = None,
    stop: threading.Event | None = None,
) -> LoadResult:
    """``threads`` clients, each looping over ``mix`` ("page", "sign", "join") until the time
    is up (or ``stop`` is set). Every request has a timeout, so the run ends within
    ``seconds`` + 15 s. ``run`` must be unique: it makes the emails unique."""
    result = result or LoadResult()
    deadline = time.monotonic() + seconds
    zips = data["zips"]

    def client(number: int):
        for sent, kind in enumerate(itertools.cycle(mix), start=1):
            if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                return
            try:
                if kind == "page":
                    path = PUBLIC_PAGES[(number + sent) % len(PUBLIC_PAGES)]
                    result.record("page", get(port, path, source=next_source()))
                elif kind == "sign":
                    email = f"{run}-{number}-{sent}@fault.example.org"
                    try:
                        response = sign(port, slug, email, zips[sent % len(zips)],
                                        source=next_source())  # fmt: skip
                    except NETWORK_ERRORS:
                        with result.lock:
                            result.unanswered.append(email)
                        raise
                    result.record("sign", response, ok=(200, 201))
                    if response.status in (200, 201):
                        with result.lock:
                            result.acked.append(email)
                elif kind == "join":
                    browser = Browser(port, source=next_source())
                    email = f"{run}-join-{number}-{sent}@fault.example.org"
                    answers = join(browser, data["parent_role"], email)
                    for step, response in enumerate(answers):
                        result.record("join", response, ok=(200,) if step == 0 else (302,))
                    if [a.status for a in answers] == [200, 302, 302, 302]:
                        with result.lock:
                            result.joined.append(email)
            except NETWORK_ERRORS as exc:
                result.record(kind, None, f"{type(exc).__name__}: {exc}")
                time.sleep(0.05)

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 60)
    return result


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
