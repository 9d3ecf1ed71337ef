import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from kindred.accounts.services import create_account
from kindred.accounts.tests.helpers import PASSWORD, activate_totp, totp_code

SETUP_URL = "/accounts/mfa-required/"


@pytest.fixture
def staff(db):
    return create_account(
        "nia@example.org", PASSWORD, name="Nia Staff", verified=True, is_staff=True
    )


@pytest.mark.parametrize("path", ["/", "/admin/", "/accounts/settings/", "/places/"])
def test_staff_without_mfa_are_sent_to_set_it_up(client_as, staff, path):
    response = client_as(staff).get(path)

    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


@pytest.mark.parametrize(
    "path",
    [SETUP_URL, "/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/healthz"],
)
def test_staff_without_mfa_can_still_set_it_up_and_sign_out(client_as, staff, path):
    response = client_as(staff).get(path)

    assert response.status_code == 200


def test_the_language_switch_still_works_for_staff_without_mfa(client_as, staff):
    response = client_as(staff).post("/language/", {"language": "es", "next": SETUP_URL})

    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


def test_the_api_answers_json_for_staff_without_mfa(client_as, staff):
    response = client_as(staff).get("/api/openapi.json")

    assert response.status_code == 403
    assert response.json()["setup_url"] == SETUP_URL


def test_htmx_requests_are_redirected_with_a_header(client_as, staff):
    response = client_as(staff).get("/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == SETUP_URL


def test_setting_up_totp_through_the_pages_lets_staff_through(client, staff):
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    # allauth asks for the password again before adding an authenticator.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert client.get("/").status_code == 200


def test_staff_with_totp_get_through(client_as, staff):
    activate_totp(staff)
    client = client_as(staff)

    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(SETUP_URL)["Location"] == "/accounts/2fa/"


def test_a_superuser_must_use_mfa_too(client_as, db):
    root = create_account("root@example.org", PASSWORD, verified=True)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])

    assert client_as(root).get("/")["Location"] == SETUP_URL


def test_members_are_not_asked_for_mfa(client_as, alice):
    assert alice.must_use_mfa is False
    assert client_as(alice).get("/").status_code == 200


def test_anyone_with_a_listed_relation_must_use_mfa(client_as, alice, settings):
    # Apps that grant access to family data list their relation (e.g. site staff); any
    # relation on User works the same, so the address relation stands in for it here.
    settings.MFA_REQUIRED_RELATIONS = ["emailaddress_set"]

    assert alice.must_use_mfa is True
    assert client_as(alice).get("/")["Location"] == SETUP_URL


def test_an_empty_listed_relation_does_not_require_mfa(client_as, alice, settings):
    settings.MFA_REQUIRED_RELATIONS = ["authenticator_set"]

    assert client_as(alice).get("/").status_code == 200


def test_sign_in_with_totp_asks_for_the_code(client, alice):
    secret = activate_totp(alice)

    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_admin_sign_in_goes_through_allauth(client, staff):
    response = client.get("/admin/login/?next=/admin/")

    # Django's password-only admin form would skip two-factor authentication.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_recovery_code_signs_in_once(client, alice):
    activate_totp(alice)
    codes = RecoveryCodes(Authenticator.objects.get(user=alice, type="recovery_codes"))
    code = codes.get_unused_codes()[0]

    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    again = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_setting_up_totp_also_gives_recovery_codes(client, alice):
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'id="recovery_codes"' in page.content.decode()
