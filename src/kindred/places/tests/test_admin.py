import pytest
from allauth.mfa.models import Authenticator

from kindred.places.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_client, admin_user):
    # Staff must use MFA before reaching the admin (RequireMFAMiddleware).
    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={})
    return admin_client


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/places/state/?q=okla", "Oklahoma"),
        ("/admin/places/county/?q=tulsa", "Tulsa County"),
        ("/admin/places/zipcode/?q=74103", "Tulsa County"),
    ],
)
def test_staff_can_browse_and_search_reference_data(admin_client, url, expected):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_reference_data_is_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/places/state/add/").status_code == 403
    response = admin_client.post("/admin/places/state/40/change/", {"name": "Changed"})
    assert response.status_code == 403
    assert State.objects.get(usps="OK").name == "Oklahoma"
