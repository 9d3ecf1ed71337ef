import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_states_lists_every_state_and_territory(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/api/places/states")
    assert response.status_code == 200
    states = response.json()
    assert len(states) == 56
    assert states[0] == {"fips": "01", "usps": "AL", "name": "Alabama", "is_territory": False}
    assert {"fips": "72", "usps": "PR", "name": "Puerto Rico", "is_territory": True} in states


def test_one_state_with_its_counties(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/places/states/ok")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("fips", "usps", "name", "is_territory")} == {
        "fips": "40",
        "usps": "OK",
        "name": "Oklahoma",
        "is_territory": False,
    }
    assert len(body["counties"]) == 77
    assert body["counties"][0] == {"fips": "40001", "name": "Adair County"}
    assert {"fips": "40143", "name": "Tulsa County"} in body["counties"]


def test_an_unknown_state_is_404_with_a_message(client):
    response = client.get("/api/places/states/zz")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no state or territory with the postal code zz."}


def test_counties_of_a_state(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/places/counties", {"state": "OK"})
    assert response.status_code == 200
    counties = response.json()
    assert len(counties) == 77
    assert {"fips": "40143", "name": "Tulsa County", "state": "OK"} in counties
    assert client.get("/api/places/counties", {"state": "ok"}).json() == counties


def test_all_counties(client):
    counties = client.get("/api/places/counties").json()
    assert len(counties) == 3233
    assert counties[0] == {"fips": "01001", "name": "Autauga County", "state": "AL"}


def test_counties_of_an_unknown_state_is_404(client):
    response = client.get("/api/places/counties", {"state": "ZZ"})
    assert response.status_code == 404
    assert "ZZ" in response.json()["detail"]


def test_a_zip_code(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/api/places/zip/74103")
    assert response.status_code == 200
    assert response.json() == {
        "zip": "74103",
        "city": "Tulsa",
        "state": {"fips": "40", "usps": "OK", "name": "Oklahoma"},
        "county": {"fips": "40143", "name": "Tulsa County"},
        "location": {"latitude": 36.1539, "longitude": -95.9954},
    }


def test_a_zip_plus_4_code(client):
    response = client.get("/api/places/zip/02139-4307")
    assert response.status_code == 200
    assert response.json()["county"] == {"fips": "25017", "name": "Middlesex County"}


def test_a_zip_code_without_location(client):
    from kindred.places.models import ZipCode

    code = ZipCode.objects.filter(latitude__isnull=True).values_list("code", flat=True)[0]
    body = client.get(f"/api/places/zip/{code}").json()
    assert body["location"] is None


@pytest.mark.parametrize("raw", ["abcde", "1234", "123456", "%20"])
def test_a_malformed_zip_code_is_400(client, raw):
    response = client.get(f"/api/places/zip/{raw}")
    assert response.status_code == 400
    assert response.json() == {"detail": "A ZIP code has 5 digits, like 74103."}


def test_an_unknown_zip_code_is_404(client):
    response = client.get("/api/places/zip/00000")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "We could not find ZIP code 00000. Check the number, or enter a nearby ZIP code."
    }


def test_messages_follow_the_language(client):
    response = client.get("/api/places/zip/abcde", headers={"accept-language": "es"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Un código postal (ZIP) tiene 5 dígitos, como 74103."


def test_the_openapi_document_describes_the_places_api(client):
    document = client.get("/api/openapi.json").json()
    validate(document)
    paths = document["paths"]
    for path in [
        "/api/places/states",
        "/api/places/states/{usps}",
        "/api/places/counties",
        "/api/places/zip/{zip}",
    ]:
        assert path in paths
    zip_responses = paths["/api/places/zip/{zip}"]["get"]["responses"]
    assert set(zip_responses) >= {"200", "400", "404"}
    schemas = document["components"]["schemas"]
    assert set(schemas["ZipOut"]["properties"]) == {"zip", "city", "state", "county", "location"}
    assert set(schemas["CountyOut"]["properties"]) == {"fips", "name", "state"}
    assert set(schemas["StateDetailOut"]["properties"]) == {
        "fips",
        "usps",
        "name",
        "is_territory",
        "counties",
    }
