"""Every allauth page Kindred uses renders inside Kindred's layout, in both languages."""

import re

import pytest

from kindred.accounts.tests.helpers import PASSWORD, activate_totp

ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-real-key/",
    "/accounts/password/reset/key/1-not-a-real-key/",
]
SIGNED_IN_PAGES = [
    "/accounts/settings/",
    "/accounts/settings/delete/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
]


def check_kindred_page(response, language="en"):
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert 'class="skip-link"' in body
    assert "/static/accounts/accounts.css" in body or "accounts/mfa_required" in body
    assert body.count("<h1") == 1
    # Strict CSP: no inline styles; every script carries the nonce.
    assert " style=" not in body
    for tag in re.findall(r"<script[^>]*>", body):
        assert "nonce=" in tag, tag
    return body


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_anonymous_pages(client, db, path, language):
    client.cookies["kindred_language"] = language
    check_kindred_page(client.get(path), language)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_signed_in_pages(client, alice, path, language):
    alice.language = language
    alice.save(update_fields=["language"])
    activate_totp(alice)
    client.force_login(alice)
    # The two-factor pages ask for the password again first (allauth's reauthentication).
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    check_kindred_page(client.get(path), language)


def test_manage_pages_lead_back_to_my_account(client_as, alice):
    body = client_as(alice).get("/accounts/password/change/").content.decode()

    assert 'class="breadcrumb"' in body
    assert 'href="/accounts/settings/"' in body


def test_the_authenticator_set_up_page(client, alice):
    client.force_login(alice)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    body = check_kindred_page(client.get("/accounts/2fa/totp/activate/"))

    assert '<img src="data:image/svg+xml;base64,' in body
    assert 'autocomplete="one-time-code"' in body
