import pytest
from django.urls import reverse

from kindred.places.sections import register_state_section, unregister_state_section

pytestmark = pytest.mark.django_db

INDEX = "/places/"
MALFORMED = "A ZIP code has 5 digits, like 74103."
HTMX_SUBMIT = {"HX-Request": "true", "HX-Trigger": "zip-lookup-form", "HX-Target": "zip-result"}
UNKNOWN = "We could not find ZIP code 00000. Check the number, or enter a nearby ZIP code."


def test_the_index_lists_every_state_and_territory(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["states"]) == 56
    assert '<a href="/places/ok/">Oklahoma</a>' in html
    # The table is the alternative to the map, with row headers.
    assert '<th scope="row"><a href="/places/pr/">Puerto Rico</a></th>' in html
    # The map links every state, and the territories it cannot draw are listed beside it.
    assert html.count('class="map-link"') == 51
    off_map = [state.usps for state in response.context["off_map"]]
    assert off_map == ["AS", "GU", "MP", "PR", "VI"]


def test_the_index_works_signed_in_too(client_as, alice):
    response = client_as(alice).get(INDEX)
    assert response.status_code == 200


def test_zip_lookup_without_javascript(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(INDEX, {"zip": "74103"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ZIP code 74103 is in Tulsa, Tulsa County, Oklahoma." in html
    assert 'value="74103"' in html


@pytest.mark.parametrize(
    ("raw", "message"),
    [("abcde", MALFORMED), ("1234", MALFORMED), ("123456", MALFORMED), ("00000", UNKNOWN)],
)
def test_zip_lookup_without_javascript_explains_bad_input(client, raw, message):
    response = client.get(INDEX, {"zip": raw})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message in html
    assert f'value="{raw}"' in html  # what they typed stays in the box
    assert response.context["zip_code"] is None


def test_zip_lookup_asks_for_a_zip_code_when_empty(client):
    response = client.get(INDEX, {"zip": ""})
    assert "Enter a ZIP code. It has 5 digits, like 74103." in response.content.decode()


def test_zip_lookup_with_htmx_returns_only_the_result(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(INDEX, {"zip": "00901"}, headers=HTMX_SUBMIT)
    html = response.content.decode()
    assert "ZIP code 00901 is in San Juan, San Juan Municipio, Puerto Rico." in html
    assert "<html" not in html and "<form" not in html


@pytest.mark.parametrize(("raw", "message"), [("abcde", MALFORMED), ("00000", UNKNOWN)])
def test_zip_lookup_with_htmx_explains_bad_input(client, raw, message):
    response = client.get(INDEX, {"zip": raw}, headers=HTMX_SUBMIT)
    assert f'<p class="zip-error">{message}</p>' in response.content.decode()


def test_live_lookup_waits_until_five_digits_are_typed(client):
    typing = {**HTMX_SUBMIT, "HX-Trigger": "id_zip"}
    assert "zip-error" not in client.get(INDEX, {"zip": "741"}, headers=typing).content.decode()
    letters = client.get(INDEX, {"zip": "74a"}, headers=typing).content.decode()
    assert MALFORMED in letters
    done = client.get(INDEX, {"zip": "74103"}, headers=typing).content.decode()
    assert "Tulsa County" in done


def test_other_htmx_requests_get_the_whole_page(client):
    response = client.get(INDEX, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<h1>States and territories</h1>" in response.content.decode()


def test_the_zip_field_is_wired_for_htmx(client):
    html = client.get(INDEX).content.decode()
    assert 'hx-get="/places/"' in html
    assert 'hx-target="#zip-result"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="postal-code"' in html
    assert 'id="zip-result"' in html and 'role="status"' in html


def test_a_state_page(client, django_assert_max_num_queries):
    # The places part takes 2 queries; the areas' sections (registered by home) add a fixed
    # number of their own, whatever the data size.
    with django_assert_max_num_queries(30):
        response = client.get("/places/ok/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Oklahoma</h1>" in html
    assert len(response.context["counties"]) == 77
    assert '<th scope="row">Tulsa County</th>' in html
    assert 'id="county-map"' in html
    assert html.count('class="map-area map-') == 77
    # Every section says what it holds, or how to start when it holds nothing yet.
    assert [section.key for section in response.context["sections"]][:1] == ["network"]


@pytest.mark.parametrize("usps", ["ok", "OK", "Ok"])
def test_state_codes_are_case_insensitive(client, usps):
    assert client.get(f"/places/{usps}/").status_code == 200


@pytest.mark.parametrize("usps", ["zz", "okla", "4"])
def test_an_unknown_state_is_404(client, usps):
    assert client.get(f"/places/{usps}/").status_code == 404


def test_a_territory_page_lists_its_county_equivalents_without_a_map(client):
    response = client.get("/places/pr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["counties"]) == 78
    assert "There is no map of Puerto Rico yet." in html
    assert 'id="county-map"' not in html
    assert '<th scope="row">San Juan Municipio</th>' in html


def test_the_state_url_helper():
    from kindred.places.models import State

    assert (
        State(usps="OK").get_absolute_url() == "/places/ok/" == reverse("places:state", args=["ok"])
    )


@pytest.fixture
def sections():
    def items(request, state):
        return {"items": [f"{state.usps} item one", f"{state.usps} item two"]}

    register_state_section(
        key="test-full",
        title="Things here",
        template="places/tests/section.html",
        get_context=items,
        order=1,
    )
    register_state_section(
        key="test-empty",
        title="Nothing yet",
        template="places/tests/section.html",
        get_context=lambda request, state: {"items": []},
        empty_text="No gatherings in this state yet.",
        order=2,
    )
    yield
    unregister_state_section("test-full")
    unregister_state_section("test-empty")


def test_other_areas_add_sections_to_a_state_page(client, sections, settings, tmp_path):
    template_dir = tmp_path / "templates" / "places" / "tests"
    template_dir.mkdir(parents=True)
    (template_dir / "section.html").write_text(
        "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]},
    ]
    response = client.get("/places/ok/")
    html = response.content.decode()
    keys = [section.key for section in response.context["sections"]]
    assert keys[:2] == ["test-full", "test-empty"]  # the lowest order comes first
    assert '<h2 id="test-full-heading">Things here</h2>' in html
    assert "<li>OK item one</li>" in html
    assert '<h2 id="test-empty-heading">Nothing yet</h2>' in html
    assert "No gatherings in this state yet." in html
    assert "just getting started" not in html
    # Sections come before the long county table.
    assert html.index("test-full-heading") < html.index("counties-heading")


def test_the_pages_are_translated(client):
    response = client.get("/places/ok/", headers={"accept-language": "es"})
    html = response.content.decode()
    assert "Condados" in html
    response = client.get(INDEX, {"zip": "abcde"}, headers={"accept-language": "es"})
    assert "Un código postal (ZIP) tiene 5 dígitos, como 74103." in response.content.decode()
