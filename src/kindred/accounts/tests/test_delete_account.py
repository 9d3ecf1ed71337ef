from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessLog

from kindred.accounts.models import User
from kindred.accounts.tests.helpers import PASSWORD, activate_totp
from kindred.core.audit import log_action
from kindred.core.models import AuditEvent

CONFIRM = "/accounts/settings/delete/confirm/"


def confirmation(**overrides):
    data = {"email": "alice@example.org", "password": PASSWORD, "understand": "on"}
    data.update(overrides)
    return data


def test_the_confirmation_page_explains_and_asks(client_as, alice):
    response = client_as(alice).get("/accounts/settings/delete/")

    body = response.content.decode()
    assert response.status_code == 200
    assert f'action="{CONFIRM}"' in body
    assert 'name="password"' in body


def test_deleting_removes_the_account_and_keeps_the_audit_trail_de_identified(client, alice, bob):
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    activate_totp(alice)
    log_action(alice, "thing.made", bob)
    log_action(bob, "thing.looked_at", alice)
    bobs_event = AuditEvent.objects.get(actor=bob)

    response = client.post(CONFIRM, confirmation())

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="alice@example.org").exists()
    assert not EmailAddress.objects.filter(email="alice@example.org").exists()
    assert not Authenticator.objects.exists()
    assert not AccessLog.objects.filter(username="alice@example.org").exists()
    deleted = AuditEvent.objects.get(verb="account.deleted")
    assert (deleted.actor, deleted.actor_label, deleted.target_label) == (
        None,
        "deleted user",
        "deleted user",
    )
    made = AuditEvent.objects.get(verb="thing.made")
    assert (made.actor, made.actor_label) == (None, "deleted user")
    assert AuditEvent.objects.get(pk=bobs_event.pk).target_label == "deleted user"
    assert (
        "alice"
        not in " ".join(
            f"{e.actor_label} {e.target_label}" for e in AuditEvent.objects.all()
        ).lower()
    )
    # Nobody else's account is touched.
    assert User.objects.filter(pk=bob.pk).exists()
    assert AuditEvent.objects.get(pk=bobs_event.pk).actor == bob


def test_a_wrong_confirmation_changes_nothing(client_as, alice):
    client = client_as(alice)
    for bad, message in [
        (confirmation(email="bob@example.org"), "This is not the email address of your account."),
        (confirmation(password="not it"), "This password is not correct."),
        (confirmation(understand=""), "Please tick this box to confirm."),
    ]:
        response = client.post(CONFIRM, bad)

        assert response.status_code == 200
        body = response.content.decode()
        assert 'class="error-summary"' in body
        assert message in body
    assert User.objects.filter(pk=alice.pk).exists()
    assert not AuditEvent.objects.filter(verb="account.deleted").exists()
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_only_administrator_cannot_delete_their_account(client_as, alice):
    alice.is_superuser = True
    alice.save(update_fields=["is_superuser"])
    activate_totp(alice)

    response = client_as(alice).post(CONFIRM, confirmation())

    assert response.status_code == 200
    assert "only administrator" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_get_on_the_delete_endpoint_is_not_allowed(client_as, alice):
    assert client_as(alice).get(CONFIRM).status_code == 405


def test_anonymous_people_are_sent_to_sign_in(client, db):
    for response in [
        client.get("/accounts/settings/delete/"),
        client.post(CONFIRM, confirmation()),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
