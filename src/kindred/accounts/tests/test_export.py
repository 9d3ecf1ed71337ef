import json

from allauth.account.models import EmailAddress
from django.test import override_settings

from kindred.accounts.tests.helpers import PASSWORD, activate_totp
from kindred.core.audit import log_action


def download(client):
    response = client.get("/accounts/settings/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="kindred-my-data-')
    return json.loads(response.content)


def test_the_export_holds_my_account_and_nobody_elses(client_as, alice, bob):
    EmailAddress.objects.create(user=alice, email="alice@work.example", verified=False)
    log_action(alice, "thing.made", bob, colour="green")
    log_action(bob, "thing.made", alice, colour="blue")

    data = download(client_as(alice))

    assert data["format"] == "kindred-personal-data"
    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["name"] == "Alice Owner"
    assert data["email_addresses"] == [
        {"email": "alice@example.org", "primary": True, "verified": True},
        {"email": "alice@work.example", "primary": False, "verified": False},
    ]
    assert data["two_factor_authentication"] == {"enabled": False, "methods": []}
    assert [(e["action"], e["details"]) for e in data["audit_events"]] == [
        ("thing.made", {"colour": "green"})
    ]
    text = json.dumps(data)
    assert "bob@example.org" not in text
    assert "blue" not in text


def test_the_export_says_mfa_is_on_but_never_holds_secrets(client_as, alice):
    secret = activate_totp(alice)

    data = download(client_as(alice))

    assert data["two_factor_authentication"]["enabled"] is True
    assert secret not in json.dumps(data)
    assert "password" not in json.dumps(data)


def test_the_export_lists_my_sign_ins(client, alice):
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})

    data = download(client)

    assert len(data["sign_ins"]) == 1
    assert data["sign_ins"][0]["ip_address"] == "127.0.0.1"


def section_for_tests(user):
    return "test_section", {"email_seen": user.email}


@override_settings(PERSONAL_DATA_EXPORTERS=[f"{__name__}.section_for_tests"])
def test_other_apps_add_sections_through_the_registry(client_as, alice):
    data = download(client_as(alice))

    assert data["test_section"] == {"email_seen": "alice@example.org"}


def test_post_works_too_and_anonymous_people_must_sign_in(client, client_as, alice):
    assert client_as(alice).post("/accounts/settings/my-data/").status_code == 200
    response = client.get("/accounts/settings/my-data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
