import pytest

from kindred.places.services import lookup_zip
from kindred.systems import services
from kindred.systems.models import Service
from kindred.systems.services import SystemsError
from kindred.systems.tests.factories import make_service, need


@pytest.fixture
def directory(program, rosa, clinic, alice):
    make_service(program, rosa)
    make_service(
        program,
        rosa,
        name="Familias Doula Care",
        needs=[need("doula-care")],
        languages=["es"],
        capacity="full",
    )
    make_service(
        clinic,
        alice,
        name="Chicago Play Group",
        needs=[need("parenting-groups")],
        counties=[lookup_zip("60614").county],
        min_age_months=12,
        max_age_months=36,
    )


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?need=doula-care", "Familias Doula Care", "Tulsa Moms"),
        ("?zip=60614", "Chicago Play Group", "Tulsa Moms"),
        ("?age_months=30", "Chicago Play Group", "Tulsa Moms"),
        ("?language=es&zip=74103", "Familias Doula Care", "Chicago Play"),
        ("?q=play+group", "Chicago Play Group", "Familias"),
    ],
)
def test_search_by_need_place_age_language_and_words(
    client, directory, query, shown, hidden, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        body = client.get("/systems/services/" + query).content.decode()
    assert shown in body and hidden not in body


def test_an_unknown_zip_gets_a_clear_message(client, directory):
    body = client.get("/systems/services/?zip=00000").content.decode()
    assert "We could not find ZIP code 00000" in body


def test_htmx_gets_only_the_results(client, directory):
    response = client.get("/systems/services/?need=doula-care", HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Familias Doula Care" in response.content


def test_matching_services_put_accepting_first_and_fit_the_child(directory):
    found = services.matching_services(
        zip_code="74103", need=["perinatal-mental-health", "doula-care"], age_months=3
    )
    assert [s.name for s in found] == ["Tulsa Moms Mental Health", "Familias Doula Care"]
    assert services.matching_services(zip_code="74103", need="doula-care", language="ko") == []
    assert services.matching_services(zip_code="bad", need="doula-care")  # ignored, not refused


def test_needs_for_result_maps_observation_codes():
    assert services.needs_for_result(["epds:support", "safety"]) == [
        "perinatal-mental-health",
        "home-visiting",
        "safety",
    ]


def test_an_admin_lists_and_edits_a_service(program, rosa, client_as):
    client = client_as(rosa)
    url = f"/systems/organizations/{program.slug}/services/new/"
    data = {
        "name": "Baby Cafe",
        "description": "Breastfeeding support.",
        "needs": [need("infant-feeding").pk],
        "min_age_months": "6",
        "max_age_months": "2",
        "cost": "free",
        "capacity": "accepting",
        "status": "active",
        "accepts_referrals": "on",
        "counties_text": "74103",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "must not be below the youngest" in response.content.decode()
    assert not Service.objects.exists()
    response = client.post(url, {**data, "max_age_months": "12"})
    service = Service.objects.get()
    assert response.status_code == 302 and service.counties.get().fips == "40143"
    response = client.post(
        f"/systems/services/{service.pk}/edit/",
        {**data, "max_age_months": "18", "counties_text": "40143, 40109"},
    )
    service.refresh_from_db()
    assert service.max_age_months == 18 and service.counties.count() == 2


def test_capacity_updates_are_post_only_and_for_admins(service, rosa, bob, client_as):
    url = f"/systems/services/{service.pk}/capacity/"
    assert client_as(rosa).get(url).status_code == 405
    assert client_as(bob).post(url, {"capacity": "full"}).status_code == 403
    client_as(rosa).post(url, {"capacity": "waitlist"})
    service.refresh_from_db()
    assert service.capacity == "waitlist"


def test_outsiders_cannot_list_services_for_an_organization(program, charlie, client_as):
    assert (
        client_as(charlie).get(f"/systems/organizations/{program.slug}/services/new/").status_code
        == 403
    )


def test_a_service_needs_a_need(program, rosa):
    with pytest.raises(SystemsError, match="at least one need"):
        make_service(program, rosa, needs=[])


def test_inactive_services_are_hidden_from_the_public(client, service):
    Service.objects.filter(pk=service.pk).update(status="inactive")
    assert client.get(service.get_absolute_url()).status_code == 404


def test_the_directory_speaks_spanish(client, directory):
    body = client.get("/systems/services/?need=doula-care", HTTP_ACCEPT_LANGUAGE="es").content
    text = body.decode()
    assert "Buscar servicios" in text and "Sin cupo por ahora" in text
