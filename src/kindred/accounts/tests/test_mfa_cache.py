"""RequireMFAMiddleware remembers "may pass" for a while, and forgets it at once when
anything that decides it changes: a must-use-MFA person without an app still goes to set-up."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindred.accounts.services import create_account
from kindred.accounts.tests.helpers import PASSWORD, activate_totp

SETUP_URL = "/accounts/mfa-required/"


@pytest.fixture
def staff(db):
    return create_account(
        "nia@example.org", PASSWORD, name="Nia Staff", verified=True, is_staff=True
    )


def _authenticator_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/places/").status_code == 200
    return [q["sql"] for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_the_decision_is_remembered_between_requests(client_as, staff):
    activate_totp(staff)
    client = client_as(staff)
    assert len(_authenticator_queries(client)) == 1

    assert _authenticator_queries(client) == []


def test_removing_the_app_sends_staff_back_to_set_up_at_once(client_as, staff):
    activate_totp(staff)
    client = client_as(staff)
    assert client.get("/").status_code == 200

    Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).delete()

    assert client.get("/")["Location"] == SETUP_URL
    assert client.get("/")["Location"] == SETUP_URL  # "must set up" is never cached


def test_deactivating_the_app_through_the_pages_forgets_the_decision(client, staff):
    activate_totp(staff)
    Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).delete()
    client.force_login(staff)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/").status_code == 200

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=staff).exists()
    assert client.get("/")["Location"] == SETUP_URL


def test_a_member_made_staff_is_sent_to_set_up_at_once(client_as, alice):
    client = client_as(alice)
    assert client.get("/").status_code == 200  # remembered: alice may pass

    alice.is_staff = True
    alice.save(update_fields=["is_staff"])

    assert client.get("/")["Location"] == SETUP_URL


def test_a_new_required_relation_is_noticed_at_once(client_as, alice, settings):
    # Any relation on User works like site staff; authenticators stand in for it here,
    # with recovery codes only (no app), so alice must then set one up.
    settings.MFA_REQUIRED_RELATIONS = ["authenticator_set"]
    client = client_as(alice)
    assert client.get("/").status_code == 200

    Authenticator.objects.create(user=alice, type=Authenticator.Type.RECOVERY_CODES, data={})

    assert client.get("/")["Location"] == SETUP_URL


def test_the_decision_expires(client_as, alice, settings, monkeypatch):
    from kindred.accounts import middleware

    client = client_as(alice)
    assert client.get("/").status_code == 200
    # A change no signal reports (e.g. a raw UPDATE, or another process with its own cache).
    type(alice).objects.filter(pk=alice.pk).update(is_staff=True)
    assert client.get("/").status_code == 200

    middleware.forget_mfa_decision(alice.pk)  # what MFA_DECISION_SECONDS later amounts to

    assert client.get("/")["Location"] == SETUP_URL
