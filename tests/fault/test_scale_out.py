"""Scale-out: nginx round-robin over two gunicorn servers, two task workers, one PostgreSQL
database and Redis as the shared cache (the shape of docs/production.md).

Needs PostgreSQL (DATABASE_URL), nginx and redis-server from Debian and the `redis` Python
package; without them the test is skipped, or fails when CI or KINDRED_REQUIRE_BROWSER=1
is set. nginx runs as the current user from a temporary folder (`-p tmp -c nginx.conf`,
`daemon off`); everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import importlib.util
import io
import os
import pwd
import re
import shutil
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fault.support import (
    Browser,
    Proc,
    form_fields,
    free_port,
    get,
    join,
    next_source,
    request,
    run_load,
    sign_in,
    skip_or_fail,
    wait_until,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    types {{ image/jpeg jpg jpeg; image/png png; image/webp webp; image/gif gif; }}
    log_format upstream '$remote_addr "$request" $status $upstream_addr';
    access_log {tmp}/nginx-access.log upstream;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 10m;
    upstream kindred {{
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location /media/private/ {{ return 404; }}
        location /media/ {{ alias {media}/; }}
        location / {{
            proxy_pass http://kindred;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""

ENQUEUE_EMAILS = """
import json
from kindred.accounts.tasks import send_email_message
for i in range({n}):
    send_email_message.enqueue("Fault", "Scale-out.", [f"{run}-{{i}}@fault.example.org"])
print(json.dumps({{}}))
"""


@dataclass
class Cluster:
    port: int  # nginx
    apps: list
    tmp: Path
    redis_port: int

    def upstreams(self) -> Counter:
        log = (self.tmp / "nginx-access.log").read_text()
        return Counter(re.findall(r" (127\.0\.0\.1:\d+)$", log, re.MULTILINE))


def _redis_command(port: int, *words: str) -> bytes:
    command = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(command.encode())
        return sock.recv(65536)


@pytest.fixture(scope="module")
def cluster(stack, tmp_path_factory):
    if not stack.db.is_postgres:
        pytest.skip("scale-out needs PostgreSQL (two servers share one database): set DATABASE_URL")
    for tool, package in ((NGINX, "nginx-light"), (REDIS, "redis-server")):
        if not Path(tool).exists():
            skip_or_fail(f"{tool} is missing: apt-get install -y {package}")
    if importlib.util.find_spec("redis") is None:
        skip_or_fail("the `redis` Python package is missing (Django's Redis cache needs it)")
    tmp = tmp_path_factory.mktemp("scale-out")
    redis_port = free_port()
    redis = Proc(
        "redis",
        [REDIS, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
         "--appendonly", "no", "--dir", str(tmp)],
        stack.env, tmp,
    ).start()  # fmt: skip
    stack.started.append(redis)
    wait_until(lambda: _ping(redis_port), 20, 0.2, "redis-server")
    env = stack.env | {
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "BEHIND_PROXY": "1",
        "DJANGO_SETTINGS_MODULE": "fault_settings",
    }
    apps = [stack.app(env=env, name="web-a").launch(), stack.app(env=env, name="web-b").launch()]
    for name in ("worker-a", "worker-b"):
        stack.worker(env=env, name=name).start()
    for app in apps:
        app.wait_ready()
    port = free_port()
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=user, tmp=tmp, port=port, port_a=apps[0].port, port_b=apps[1].port,
            media=env["MEDIA_ROOT"],
        )
    )  # fmt: skip
    check = Proc("nginx-check", [NGINX, "-t", "-p", str(tmp), "-c", str(conf)], env, tmp)
    assert check.start().process.wait(timeout=20) == 0, check.log_tail()
    stack.started.append(Proc("nginx", [NGINX, "-p", str(tmp), "-c", str(conf)], env, tmp).start())
    wait_until(lambda: _answers(port), 20, 0.2, "nginx")
    yield Cluster(port=port, apps=apps, tmp=tmp, redis_port=redis_port)
    stack.stop_all()


def _ping(port: int) -> bool:
    try:
        return _redis_command(port, "PING").startswith(b"+PONG")
    except OSError:
        return False


def _answers(port: int) -> bool:
    try:
        return get(port, "/healthz", timeout=5).status == 200
    except OSError:
        return False


def test_load_through_nginx_has_no_errors(cluster, stack):
    before = cluster.upstreams()
    result = run_load(
        cluster.port, 15, 6, ["page", "sign", "page"], stack.data,
        slug=stack.data["actions"]["scale"], run=f"scale{uuid.uuid4().hex[:6]}",
    )  # fmt: skip
    used = cluster.upstreams() - before
    print("\n" + result.summary("load through nginx, 2 gunicorn, PostgreSQL + Redis"))
    print(f"[fault] requests per app server: {dict(used)}")
    assert result.failures == [], result.failures[:10]
    assert {f"127.0.0.1:{app.port}" for app in cluster.apps} <= set(used)
    # The cache is Redis, shared: the signing rate-limit counters live there.
    assert re.search(rb"db1:keys=[1-9]", _redis_command(cluster.redis_port, "INFO", "keyspace"))


def test_a_signed_in_session_works_on_both_app_servers(cluster):
    browser = Browser(cluster.port)
    sign_in(browser)
    for app in cluster.apps:
        page = browser.get("/network/me/edit/", port=app.port)
        assert page.status == 200 and "Fault Member" in page.text, app.port
    # Without the cookie the same page asks for a sign-in.
    assert get(cluster.apps[1].port, "/network/me/edit/").status == 302


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_an_uploaded_photo_is_visible_from_both_app_servers(cluster):
    browser = Browser(cluster.port)
    sign_in(browser)
    fields = form_fields(browser.get("/network/me/edit/").text, "photo")
    response = browser.post_multipart(
        "/network/me/edit/", fields, {"photo": ("me.png", _png(), "image/png")}
    )
    assert response.status == 302, response.text[:3000]
    sources = set()
    for app in cluster.apps:
        profile = browser.get("/network/me/", port=app.port)
        assert profile.status == 302
        page = browser.get(profile.headers["location"], port=app.port)
        found = re.search(r'<img class="avatar avatar-large" src="(/media/[^"]+)"', page.text)
        assert found, f"no photo on the profile served by {app.port}"
        sources.add(found.group(1))
    assert len(sources) == 1
    photo = get(cluster.port, sources.pop())
    assert photo.status == 200 and photo.headers["content-type"].startswith("image/")
    # Private uploads (imports, exports) are never served as media.
    assert get(cluster.port, "/media/private/policy-exports/x.csv").status == 404


def test_each_task_runs_once_with_two_workers(cluster, stack):
    run, n = f"once{uuid.uuid4().hex[:6]}", 60
    stack.db.django(ENQUEUE_EMAILS.format(n=n, run=run))

    def all_sent():
        return sum(1 for a in stack.emails() if a.startswith(run)) == n

    wait_until(all_sent, 90, 0.5, "the emails")
    time.sleep(2)  # a second copy would come now
    received = {a: c for a, c in stack.emails().items() if a.startswith(run)}
    workers = stack.db.sql(
        "SELECT worker_ids::text, COUNT(*) FROM django_tasks_database_dbtaskresult "
        "WHERE args_kwargs::text LIKE %s GROUP BY 1",
        (f"%{run}-%",),
    )
    print(f"\n[fault] tasks per worker: {dict(workers)}")
    assert len(received) == n and set(received.values()) == {1}


def test_the_join_limit_counts_each_visitor_not_the_proxy(cluster, stack):
    finals = []
    for number in range(6):  # six visitors from six addresses, one join each
        browser = Browser(cluster.port, source=next_source())
        email = f"proxy{uuid.uuid4().hex[:6]}-{number}@fault.example.org"
        answers = join(browser, stack.data["parent_role"], email)
        assert [a.status for a in answers[:3]] == [200, 302, 302]
        finals.append(answers[-1].status)
    # BEHIND_PROXY=1: each visitor is the address nginx appended, not nginx itself.
    assert finals == [302] * 6, finals


def test_a_made_up_forwarded_for_header_does_not_dodge_the_newsletter_limit(cluster):
    browser = Browser(cluster.port, source=next_source())
    browser.get("/library/newsletter/")
    statuses = []
    for number in range(12):  # the limit is 10 sign-ups per address in 10 minutes
        headers = browser._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"198.51.100.{number + 1}",
            }
        )
        body = f"email=xff{number}-{uuid.uuid4().hex[:6]}%40fault.example.org&language=en"
        statuses.append(
            request(cluster.port, "POST", "/library/newsletter/", body.encode(), headers,
                    source=browser.source).status
        )  # fmt: skip
    assert statuses[:10] == [200] * 10, statuses
    # The made-up entries come before the one nginx appends, and are never used.
    assert statuses[10:] == [429, 429], statuses
