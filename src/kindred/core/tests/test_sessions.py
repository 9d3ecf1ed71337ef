"""Sessions are Django's database sessions, read with a prepared statement."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from kindred.core.sessions import SessionStore


def test_a_saved_session_reads_back_and_an_expired_one_does_not(db):
    store = SessionStore()
    store["answer"] = {"n": 42, "text": "ñ"}
    store.save()
    key = store.session_key

    assert SessionStore(key)["answer"] == {"n": 42, "text": "ñ"}

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("no-such-key-0123456789abcdef").load() == {}


def test_signing_in_and_out_works_through_the_site(client_as, alice):
    client = client_as(alice)
    assert client.get("/accounts/settings/").status_code == 200
    client.logout()
    assert client.get("/accounts/settings/").status_code == 302
