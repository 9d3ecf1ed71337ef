from django.core import mail

from kindred.accounts.tests.helpers import PASSWORD, link_in


def test_sign_in_page_uses_the_kindred_layout(client, db):
    response = client.get("/accounts/login/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in body  # base.html
    assert '<label for="id_login">' in body
    assert 'href="/accounts/password/reset/"' in body
    assert 'href="/accounts/signup/"' in body


def test_a_wrong_password_explains_and_signs_nobody_in(client, alice):
    response = client.post("/accounts/login/", {"login": alice.email, "password": "nope"})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert 'value="alice@example.org"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_and_sign_out(client, alice):
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)

    # Signing out is a POST; a GET only asks to confirm.
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert client.session["_auth_user_id"] == str(alice.pk)
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "Alice@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0].body, "/accounts/password/reset/key/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(
        set_url, {"password1": "a brand new phrase 88", "password2": "a brand new phrase 88"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a brand new phrase 88")


def test_password_reset_for_an_unknown_address_looks_the_same(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    # No hint whether the address has an account (ACCOUNT_PREVENT_ENUMERATION).
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


def test_change_password(client_as, alice):
    client = client_as(alice)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "tea by the river 31",
            "password2": "tea by the river 31",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("tea by the river 31")
    # A security notice goes to the account's address.
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_change_password_with_the_wrong_current_password_changes_nothing(client_as, alice):
    response = client_as(alice).post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "tea by the river 31",
            "password2": "tea by the river 31",
        },
    )

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
