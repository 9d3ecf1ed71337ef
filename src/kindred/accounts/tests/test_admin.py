import pytest
from allauth.account.models import EmailAddress

from kindred.accounts.models import User
from kindred.accounts.services import create_account
from kindred.accounts.tests.helpers import PASSWORD, activate_totp


@pytest.fixture
def admin_client(client_as, db):
    root = create_account("root@example.org", PASSWORD, verified=True, is_staff=True)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    activate_totp(root)
    return client_as(root)


def test_the_user_list_searches_and_filters(
    admin_client, alice, bob, django_assert_max_num_queries
):
    activate_totp(alice)

    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/accounts/user/", {"q": "alice"})
    body = response.content.decode()
    assert "alice@example.org" in body
    assert "bob@example.org" not in body

    response = admin_client.get("/admin/accounts/user/", {"mfa": "no"})
    body = response.content.decode()
    assert "bob@example.org" in body
    assert "alice@example.org" not in body


def test_the_change_page_has_no_username(admin_client, alice):
    response = admin_client.get(f"/admin/accounts/user/{alice.pk}/change/")

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert 'name="username"' not in response.content.decode()


def test_adding_a_user_with_an_email_only(admin_client, db):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.org",
            "name": "New Person",
            "usable_password": "true",
            "password1": "a long new password 9",
            "password2": "a long new password 9",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.check_password("a long new password 9")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("new@example.org", True, False)


def test_members_cannot_open_the_admin(client_as, alice):
    assert client_as(alice).get("/admin/").status_code == 302
    assert client_as(alice).get("/admin/login/").status_code == 403
