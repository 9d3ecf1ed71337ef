"""Kindred's PostgreSQL backend: a health check without a round trip on a healthy idle
connection that still notices a connection the server ended, and prepared statements only
for the cursors that ask for them (kindred/core/db/postgresql/base.py).

Idle connections are tested on a second connection to the test database: the test's own
connection is inside its transaction."""

import select
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_base
from django.test.utils import CaptureQueriesContext

from kindred.accounts.models import User
from kindred.core.db import fast

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def second(db):
    """Another connection to the test database, in autocommit like a web request's."""
    wrapper = type(connections["default"])(dict(connection.settings_dict), alias="second")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def asked(monkeypatch):
    """Calls of Django's own check (the SELECT 1), answered 'usable'."""
    calls = []
    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", lambda s: calls.append(1) or 1)
    return calls


def _prepared_statements(wrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _end_backend(wrapper) -> None:
    """End the connection's server process from another connection, as a restart would."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # bounded: the server's message arrives at once
        if select.select([wrapper.connection.fileno()], [], [], 0.05)[0]:
            return
    raise AssertionError("the ended backend never said so")


def test_a_healthy_idle_connection_is_checked_without_a_query(second, asked):
    assert second.is_usable()
    assert asked == []  # Django's SELECT 1 was not needed


def test_a_connection_inside_a_transaction_is_checked_the_usual_way(db, asked):
    User.objects.exists()  # the test's transaction is open on the server

    assert connection.is_usable()
    assert asked == [1]


@pytest.mark.fault
def test_a_connection_the_server_ended_is_noticed_and_replaced(second):
    old = second.connection
    _end_backend(second)

    assert second.is_usable() is False

    second.health_check_enabled, second.health_check_done = True, False
    second.close_if_health_check_failed()
    with second.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert second.connection is not old


def test_only_the_fast_statements_are_prepared(db, django_user_model):
    user = django_user_model.objects.create_user("lee@example.org", "a long enough password")
    list(User.objects.filter(email="lee@example.org"))  # the ORM: bound on the client

    for _ in range(2):
        assert fast.get(User, user.pk) == user

    prepared = _prepared_statements(connection)
    assert any('FROM "accounts_user" t WHERE t."id" = $1' in text for text in prepared)
    assert not any('"accounts_user"."email" = ' in text for text in prepared)


def test_prepared_statements_show_in_the_query_log(db, django_user_model):
    user = django_user_model.objects.create_user("ana@example.org", "a long enough password")
    with CaptureQueriesContext(connection) as queries:
        fast.get(User, user.pk)
    assert queries.captured_queries[0]["sql"].endswith(f'WHERE t."id" = {user.pk}')


def test_prepared_statements_can_be_turned_off_for_a_pooler(db):
    settings_dict = {**connection.settings_dict, "PREPARED_STATEMENTS": False}
    other = type(connections["default"])(settings_dict, alias="no-prepare")
    try:
        for _ in range(3):
            with other.prepared_cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE id > %s", [0])
                assert cursor.fetchone() == (0,)
        assert _prepared_statements(other) == []
        assert other.connection.prepare_threshold is None
    finally:
        other.close()


def test_the_second_connection_prepares(second):
    for _ in range(2):
        with second.prepared_cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE id > %s", [0])
    assert any("WHERE id > $1" in text for text in _prepared_statements(second))


def test_placeholders_become_postgresqls_own_once():
    from kindred.core.db.postgresql.base import native

    assert native("SELECT %s, '100%%', %s") == "SELECT $1, '100%', $2"
    assert native("SELECT 1") == "SELECT 1"
