"""Sessions are Django's database sessions that also know whose they are: a signed-in
request reads its session and its person in one prepared statement, and every check Django
makes on that person still runs."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.core.models import Session
from kindred.core.sessions import SessionStore, user_loaded_with_session

User = get_user_model()
SETTINGS = "/accounts/settings/"


def test_a_saved_session_reads_back_and_an_expired_one_does_not(db):
    store = SessionStore()
    store["answer"] = {"n": 42, "text": "ñ"}
    store.save()
    key = store.session_key

    assert SessionStore(key)["answer"] == {"n": 42, "text": "ñ"}
    assert Session.objects.get(session_key=key).user_id is None

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("no-such-key-0123456789abcdef").load() == {}


def test_signing_in_and_out_works_through_the_site(client_as, alice):
    client = client_as(alice)
    key = client.session.session_key
    assert Session.objects.get(session_key=key).user_id == alice.pk
    assert client.get(SETTINGS).status_code == 200
    client.logout()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(SETTINGS).status_code == 302


def _user_of(client):
    """``request.user`` as the middleware finds it for a request carrying client's cookie,
    and the queries that took."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from kindred.core.sessions import AuthenticationMiddleware

    request = RequestFactory().get(SETTINGS)
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with CaptureQueriesContext(connection) as queries:
        user = request.user
        user.is_authenticated  # noqa: B018 - resolves the lazy user
    return request, user, [q["sql"] for q in queries]


def test_the_session_and_its_person_are_read_in_one_statement(client_as, alice):
    request, user, queries = _user_of(client_as(alice))
    assert user.is_authenticated and user.pk == alice.pk and user.email == alice.email
    assert len(queries) == 1
    assert "core_session" in queries[0] and "accounts_user" in queries[0]
    # Handed out once, to the request's own lookup: a later read is a fresh one.
    assert request.session.loaded_user is None
    assert user_loaded_with_session(User, alice.pk) is None


def test_a_changed_password_still_signs_other_sessions_out(client_as, alice):
    client = client_as(alice)
    alice.set_password("a-brand-new-passphrase-2026")
    alice.save()
    _, user, _ = _user_of(client)
    assert not user.is_authenticated
    assert client.get(SETTINGS).status_code == 302


def test_a_deactivated_person_is_signed_out(client_as, alice):
    client = client_as(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    _, user, _ = _user_of(client)
    assert not user.is_authenticated


def test_deleting_an_account_ends_its_sessions(client_as, alice, bob):
    client_as(alice), client_as(alice)
    client_as(bob)
    assert Session.objects.filter(user=alice).count() == 2
    alice.delete()
    assert Session.objects.filter(user_id=alice.pk).count() == 0
    assert Session.objects.filter(user=bob).count() == 1


def test_a_session_read_in_one_request_is_never_handed_to_another(client_as, alice):
    client = client_as(alice)
    store = SessionStore(client.session.session_key)
    store.load()
    assert store.loaded_user.pk == alice.pk
    # Outside a request finding its user, no lookup gets it.
    assert user_loaded_with_session(User, alice.pk) is None
    assert User.objects.get(pk=alice.pk) is not store.loaded_user


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_upgrade_keeps_valid_sessions_and_whose_they_are(db, alice, signed_in):
    data = {"_auth_user_id": str(alice.pk)} if signed_in else {"theme": "dark"}
    old = DjangoSessionStore()
    DjangoSession.objects.create(
        session_key="k" * 32,
        session_data=old.encode(data),
        expire_date=timezone.now() + timedelta(days=1),
    )
    DjangoSession.objects.create(
        session_key="x" * 32,
        session_data=old.encode(data),
        expire_date=timezone.now() - timedelta(days=1),
    )
    migration = importlib.import_module("kindred.core.migrations.0004_session_with_user")
    migration.copy_sessions(apps, SimpleNamespace(connection=connection))

    copied = Session.objects.get()
    assert copied.session_key == "k" * 32
    assert copied.user_id == (alice.pk if signed_in else None)
    assert SessionStore("k" * 32).load() == data
