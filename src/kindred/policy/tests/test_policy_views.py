from datetime import date

import pytest

from kindred.policy.models import Policy
from kindred.policy.tests.factories import jurisdiction, make_policy, topic


@pytest.fixture
def policies(db):
    made = [
        make_policy(),
        make_policy(
            slug="tx-doula",
            title_en="Texas doula coverage",
            title_es="Cobertura de doulas en Texas",
            jurisdiction=jurisdiction("TX"),
            identifier="HB 9",
            topics=[topic("doula-care")],
            history=[
                {"status": "in_effect", "date": date(2025, 1, 1), "source_title": "Texas HHSC"}
            ],
        ),  # fmt: skip
        make_policy(
            slug="us-leave",
            title_en="Federal leave",
            jurisdiction=jurisdiction("US"),
            history=[{"status": "enacted", "date": date(2024, 5, 1), "source_title": "Congress"}],
        ),
        make_policy(slug="hidden", title_en="Unpublished draft"),
    ]
    Policy.objects.filter(slug="hidden").update(is_published=False)
    return made


def test_the_list_shows_published_policies(client, policies, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        body = client.get("/policy/").content.decode()
    assert "Oklahoma paid leave" in body
    assert "Texas doula coverage" in body
    assert "Unpublished draft" not in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?q=doula", "Texas doula coverage", "Oklahoma paid leave"),
        ("?q=SB+1", "Oklahoma paid leave", "Texas doula coverage"),
        ("?status=in_effect", "Texas doula coverage", "Oklahoma paid leave"),
        ("?topic=doula-care", "Texas doula coverage", "Federal leave"),
        ("?jurisdiction=us-ok", "Oklahoma paid leave", "Federal leave"),
        ("?policy_type=bill&position=support&jurisdiction=us", "Federal leave", "Texas doula"),
    ],
)
def test_filters_and_search(client, policies, query, shown, hidden):
    body = client.get("/policy/" + query).content.decode()
    assert shown in body
    assert hidden not in body


def test_htmx_gets_only_the_results(client, policies):
    response = client.get("/policy/?q=doula", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<section id="results"')
    assert "Texas doula coverage" in body


def test_staff_see_unpublished_policies(client_as, staff, policies):
    assert "Unpublished draft" in client_as(staff).get("/policy/").content.decode()


def test_the_policy_page_shows_its_timeline_and_sources(client, policies):
    body = client.get("/policy/p/ok-paid-leave/").content.decode()
    assert "Introduced" in body
    assert 'href="https://example.org/sb1"' in body
    assert "Our position: Support" in body
    assert "Record a status change" not in body  # only staff


def test_unpublished_policy_is_404_for_the_public(client, policies):
    assert client.get("/policy/p/hidden/").status_code == 404


def test_fictional_policies_say_so(client, db):
    make_policy(slug="made-up", is_fictional=True)
    assert "fictional policy" in client.get("/policy/p/made-up/").content.decode()


def test_the_matrix_shows_status_per_state_and_topic(client, policies):
    response = client.get("/policy/matrix/")
    body = response.content.decode()
    assert '<th scope="row">Oklahoma</th>' in body
    assert "/policy/p/ok-paid-leave/" in body
    assert "/policy/p/tx-doula/" in body


def test_the_topic_map_has_tiles_and_a_table(client, policies):
    body = client.get("/policy/map/paid-family-leave/").content.decode()
    assert 'class="tile r6 c3 tile-pending"' in body  # Oklahoma, introduced
    assert "Federal leave" in body  # the federal policy is listed beside the map
    assert "<table>" in body


def test_an_unknown_topic_map_is_404(client, db):
    assert client.get("/policy/map/not-a-topic/").status_code == 404


def test_the_api_lists_policies_with_history_and_sources(client, policies):
    data = client.get("/api/policy/policies?topic=paid-family-leave").json()
    assert data["count"] == 2
    item = next(i for i in data["items"] if i["slug"] == "ok-paid-leave")
    assert item["jurisdiction"]["ocd_id"] == "ocd-division/country:us/state:ok"
    assert item["history"][0]["status"] == "introduced"
    assert item["history"][0]["source_url"] == "https://example.org/sb1"
    assert item["sources"][0]["title"] == "Oklahoma Legislature"
    assert item["summary_es"] == "Licencia pagada para madres y padres."


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("?jurisdiction=OK", {"ok-paid-leave"}),
        ("?jurisdiction=ocd-division/country:us/state:tx", {"tx-doula"}),
        ("?status=enacted", {"us-leave"}),
        ("?q=doula", {"tx-doula"}),
    ],
)
def test_the_api_filters(client, policies, query, slugs):
    data = client.get("/api/policy/policies" + query).json()
    assert {item["slug"] for item in data["items"]} == slugs


@pytest.mark.parametrize(
    ("query", "field"),
    [("?topic=nope", "topic"), ("?jurisdiction=zz-nowhere", "jurisdiction"),
     ("?status=asleep", "status"), ("?page=zero", "page")],
)  # fmt: skip
def test_the_api_names_a_bad_filter(client, policies, query, field):
    response = client.get("/api/policy/policies" + query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_the_api_pages_with_bounded_queries(client, db, django_assert_max_num_queries):
    for n in range(30):
        make_policy(slug=f"p{n}", title_en=f"Policy {n:02d}")
    with django_assert_max_num_queries(10):
        first = client.get("/api/policy/policies").json()
    assert (first["count"], first["pages"], len(first["items"])) == (30, 2, 25)
    assert len(client.get("/api/policy/policies?page=2").json()["items"]) == 5


def test_the_api_lists_open_actions(client, db):
    from kindred.policy.models import AdvocacyAction
    from kindred.policy.tests.factories import make_action

    make_action()
    make_action(slug="closed", status=AdvocacyAction.Status.CLOSED)
    data = client.get("/api/policy/actions").json()
    assert [item["slug"] for item in data["items"]] == ["ok-letter"]
    assert data["items"][0]["sign_url"] == "/api/policy/actions/ok-letter/sign"


def test_the_openapi_schema_documents_the_sign_body(client, db):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/policy/actions/{slug}/sign"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["name", "email", "zip"]
    assert {"201", "200", "409", "422", "429"} <= set(operation["responses"])
