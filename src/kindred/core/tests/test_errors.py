"""A broken database answers 503 with Retry-After; anything else broken answers 500."""

import pytest
from django.db import OperationalError
from django.urls import path

from kindred.urls import urlpatterns as kindred_urlpatterns


def _database_down(request):
    raise OperationalError("connection refused")


def _bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("down/", _database_down),
    path("api/down/", _database_down),
    path("bug/", _bug),
    *kindred_urlpatterns,  # the error page's context processors reverse the real URLs
]
handler500 = "kindred.core.views.error_500"

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_database_outage_is_503_with_retry_after(client, db):
    response = client.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "out of reach for a moment" in page and "nothing you sent before was lost" in page


def test_database_outage_on_the_api_is_json(client, db):
    response = client.get("/api/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.json()["detail"]


def test_other_failures_stay_500_without_retry_after(client, db):
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()
