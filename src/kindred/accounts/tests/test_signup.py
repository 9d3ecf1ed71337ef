from allauth.account.models import EmailAddress
from django.core import mail

from kindred.accounts.models import User
from kindred.accounts.services import create_account
from kindred.accounts.tests.helpers import PASSWORD, link_in

NEW_PASSWORD = "a gentle river of tea 42"


def sign_up(client, email="dana@example.org", password=NEW_PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_sign_up_sends_a_verification_email_then_the_link_signs_in(client, db):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="dana@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in until the address is verified (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert message.subject.startswith("[Kindred] ")
    link = link_in(message.body, "/accounts/confirm-email/")

    # Following the link shows a confirmation button; only the POST confirms.
    page = client.get(link)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_verified_person_can_sign_in_later(client, db):
    sign_up(client)
    client.post(link_in(mail.outbox[0].body, "/accounts/confirm-email/"))
    client.post("/accounts/logout/")

    response = client.post(
        "/accounts/login/", {"login": "Dana@Example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_an_unverified_person_cannot_sign_in_until_they_verify(client, db):
    create_account("dana@example.org", NEW_PASSWORD, verified=False)

    response = client.post(
        "/accounts/login/", {"login": "dana@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    # They get a fresh link, so nobody is stuck.
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signing_up_with_a_taken_email_creates_nothing_and_shows_a_way_in(client, alice):
    mail.outbox.clear()

    response = sign_up(client, email="ALICE@example.org", password="another tea river 77")

    # The same answer as a new sign-up (no account enumeration) ...
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    # ... and the page offers sign-in and password reset rather than an error.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'href="/accounts/login/"' in page.content.decode()
    assert 'href="/accounts/password/reset/"' in page.content.decode()
    # The owner of the address is told, with both links.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "http://testserver/accounts/login/" in mail.outbox[0].body
    assert "http://testserver/accounts/password/reset/" in mail.outbox[0].body


def test_a_bad_sign_up_keeps_what_was_typed_and_explains(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "dana@example.org", "password1": NEW_PASSWORD, "password2": "different words"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'value="dana@example.org"' in body
    assert not User.objects.exists()
    assert not mail.outbox


def test_sign_up_remembers_the_language_of_the_page(client, db):
    client.cookies["kindred_language"] = "es"

    sign_up(client)

    assert User.objects.get().language == "es"
    assert "Hola" in mail.outbox[0].body
