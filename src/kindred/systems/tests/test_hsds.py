"""The /api/hsds/ responses conform to the HSDS 3.1 JSON Schemas shipped in systems/data."""

import json
from pathlib import Path

import pytest

from kindred.places.services import lookup_zip
from kindred.systems import services
from kindred.systems.hsds_schema import page_fields, problems
from kindred.systems.models import Schedule, Service
from kindred.systems.tests.factories import make_service, need

EXAMPLES = Path(__file__).parent / "hsds_examples"


@pytest.fixture
def listed(program, rosa):
    location = services.create_location(
        organization=program,
        name="Family Center",
        zip_code=lookup_zip("74106"),
        address_1="1 Greenwood Ave",
    )
    service = make_service(
        program,
        rosa,
        locations=[location],
        url="https://visits.example.org",
        schedules=[
            {
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00",
                "closes_at": "17:00",
                "description": "Weekdays",
            }
        ],
    )
    make_service(
        program,
        rosa,
        name="Doula circle",
        needs=[need("doula-care")],
        min_age_months=None,
        max_age_months=None,
        phone="",
    )
    return service


def test_the_schemas_accept_the_specifications_own_example():
    assert problems(json.loads((EXAMPLES / "service_full.json").read_text()), "service") == []


def test_services_list_is_paginated_and_each_item_is_an_hsds_service(client, listed):
    data = client.get("/api/hsds/services?per_page=1").json()
    assert page_fields() <= set(data)
    assert (data["total_items"], data["total_pages"], data["size"]) == (2, 2, 1)
    assert data["first_page"] and not data["last_page"] and not data["empty"]
    for item in data["contents"]:
        assert problems(item, "service") == []
    last = client.get("/api/hsds/services?per_page=1&page=2").json()
    assert last["last_page"] and not last["first_page"]


def test_full_services_validate_with_all_related_tables(client, listed):
    data = client.get("/api/hsds/services?full=true").json()
    for item in data["contents"]:
        assert problems(item, "service") == []
    one = client.get(f"/api/hsds/services/{listed.pk}").json()
    assert problems(one, "service") == []
    assert one["minimum_age"] == 0 and one["maximum_age"] == 2
    assert {a["taxonomy_term"]["code"] for a in one["attributes"]} >= {
        "perinatal-mental-health",
        "accepting",
    }
    assert one["service_areas"][0]["uri"].endswith("40143")
    assert one["schedules"][0]["byday"] == "MO,WE"
    location = one["service_at_locations"][0]["location"]
    assert problems(location, "location") == []
    assert location["addresses"][0]["postal_code"] == "74106"


def test_filters_combine_with_and(client, listed):
    doula = need("doula-care")
    data = client.get(f"/api/hsds/services?taxonomy_term_id={doula.hsds_id}").json()
    assert [s["name"] for s in data["contents"]] == ["Doula circle"]
    assert client.get("/api/hsds/services?search=doula&postcode=74103").json()["total_items"] == 1
    assert client.get("/api/hsds/services?postcode=10001").json()["empty"] is True
    assert client.get("/api/hsds/services?organization_id=nope").json()["total_items"] == 0


def test_organizations_and_service_at_locations_validate(client, listed):
    orgs = client.get("/api/hsds/organizations").json()
    assert orgs["total_items"] == 1
    assert problems(orgs["contents"][0], "organization") == []
    one = client.get(f"/api/hsds/organizations/{orgs['contents'][0]['id']}").json()
    assert problems(one, "organization") == [] and len(one["services"]) == 2
    sals = client.get("/api/hsds/service_at_locations").json()
    assert sals["total_items"] == 1 and page_fields() <= set(sals)
    for item in sals["contents"]:
        assert problems(item, "service_at_location") == []
    sal = client.get(f"/api/hsds/service_at_locations/{sals['contents'][0]['id']}").json()
    assert problems(sal, "service_at_location") == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services/not-a-uuid",
        "/api/hsds/services/00000000-0000-0000-0000-000000000000",
        "/api/hsds/organizations/x",
        "/api/hsds/service_at_locations/x",
    ],
)
def test_unknown_ids_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_inactive_services_are_not_published(client, listed):
    Service.objects.filter(pk=listed.pk).update(status="inactive")
    assert client.get(f"/api/hsds/services/{listed.pk}").status_code == 404
    assert client.get("/api/hsds/services").json()["total_items"] == 1


def test_bad_paging_is_refused_with_a_reason(client, db):
    assert client.get("/api/hsds/services?page=0").status_code == 422
    assert client.get("/api/hsds/services?per_page=1000").status_code == 422


def test_the_root_says_which_hsds_version(client, db):
    assert client.get("/api/hsds/").json()["version"] == "3.1"


def test_schedule_times_are_hh_mm(listed):
    assert Schedule.objects.get().opens_at.strftime("%H:%M") == "09:00"
