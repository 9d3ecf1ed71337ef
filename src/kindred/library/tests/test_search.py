"""Ranked full-text search: the same behaviour on SQLite (FTS5) and PostgreSQL."""

from io import StringIO

import pytest
from django.core.management import call_command

from kindred.library import services
from kindred.library.models import Resource
from kindred.library.search import (
    ResourceFilters,
    count_matches,
    rebuild_index,
    search,
    search_resources,
)
from kindred.library.tests.factories import make_resource, topic
from kindred.library.text import index_terms, query_terms


@pytest.fixture
def shelf(db):
    play = topic("play", "Play", "Juego")
    sleep = topic("sleep", "Sleep", "Sueño")
    return {
        "guide_es": make_resource(
            "Guía de conversaciones con tu bebé",
            language="es",
            type="conversation_guide",
            summary="Ideas para hablar y jugar cada día.",
            body="Las conversaciones sencillas, como cantar o nombrar lo que ven, "
            "fortalecen el vínculo.",
            audiences=["parents"],
            topics=[play],
        ),
        "talk_en": make_resource(
            "Talking with your baby",
            summary="Everyday conversations build strong bonds.",
            body="Serve and return: notice, respond, take turns.",
            audiences=["parents", "clinicians"],
            topics=[play],
        ),
        "sleep_en": make_resource(
            "Calm bedtime routines",
            summary="Soothing a fussy baby at night.",
            body="A warm bath, a song and a story. Conversation can wait until morning.",
            audiences=["parents"],
            topics=[sleep],
        ),
        "brief": make_resource(
            "Paid family leave and early relational health",
            type="policy_brief",
            summary="What states can do.",
            body="Policy options for legislators.",
            audiences=["policymakers"],
        ),
        "draft": make_resource(
            "Unpublished conversation notes", status="draft", summary="Draft conversations."
        ),
    }


def slugs(queryset) -> list[str]:
    return [resource.slug for resource in queryset]


def test_spanish_stemming_finds_the_plural(shelf):
    # "conversación" (singular, accented) finds "conversaciones".
    found = slugs(search_resources("conversación", {"language": "es"}))
    assert found == [shelf["guide_es"].slug]


def test_one_query_matches_both_languages_through_stems(shelf):
    found = slugs(search_resources("conversation", {}))
    assert shelf["guide_es"].slug in found and shelf["talk_en"].slug in found
    assert shelf["draft"].slug not in found  # drafts are never public


def test_title_matches_rank_first(shelf):
    found = slugs(search_resources("bedtime", {}))
    assert found[0] == shelf["sleep_en"].slug
    ranked = slugs(search_resources("conversations", {"language": "en"}))
    # "Talking with your baby" has it in the summary; "Calm bedtime" only in the body.
    assert ranked.index(shelf["talk_en"].slug) < ranked.index(shelf["sleep_en"].slug)


def test_every_word_must_match_when_some_resource_has_them_all(shelf):
    assert slugs(search_resources("fussy night", {})) == [shelf["sleep_en"].slug]


def test_any_word_will_do_when_no_resource_has_them_all(shelf):
    found = slugs(search_resources("fussy legislators", {}))
    assert sorted(found) == sorted([shelf["sleep_en"].slug, shelf["brief"].slug])
    assert count_matches("fussy legislators") == 2


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"audience": "clinicians"}, ["talk_en"]),
        ({"audience": "policymakers"}, ["brief"]),
        ({"language": "es"}, ["guide_es"]),
        ({"topic": "sleep"}, ["sleep_en"]),
        ({"type": "policy_brief"}, ["brief"]),
        ({"audience": "parents", "topic": "play", "language": "en"}, ["talk_en"]),
    ],
)
def test_filters_without_a_query(shelf, filters, expected):
    assert sorted(slugs(search_resources("", filters))) == sorted(
        shelf[key].slug for key in expected
    )


def test_unknown_filter_values_are_ignored(shelf):
    filters = ResourceFilters.from_mapping({"audience": "aliens", "language": "xx"})
    assert filters == ResourceFilters()
    assert len(search_resources("", filters)) == 4


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR OR", "NEAR(", "*", "col:", "-", "the", "😀", "a" * 300, "' OR 1=1 --"]
)
def test_odd_queries_never_fail(shelf, query):
    list(search_resources(query, {}))


def test_stop_words_alone_list_nothing_odd(shelf):
    # "the" is a stop word; searching it alone still runs (no crash), matching nothing.
    assert slugs(search_resources("the", {})) == []


def test_updates_reach_the_index(shelf, alice):
    resource = shelf["brief"]
    services.update_resource(
        resource, editor=alice, summary="Help for grandparents raising toddlers."
    )
    assert slugs(search_resources("grandparents", {})) == [resource.slug]


def test_rebuild_index_keeps_results(shelf):
    before = slugs(search_resources("conversation", {}))
    rebuild_index()
    assert slugs(search_resources("conversation", {})) == before


def test_search_terms_helpers():
    assert index_terms("Las conversaciones con mi bebé", "es").split() == [
        "convers",
        "beb",
    ]  # "las" is a stop word
    assert {"convers"} <= query_terms("Conversación")[0]


def test_library_page_searches_in_spanish(client, shelf, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/library/", {"q": "conversación", "language": "es"})
    body = response.content.decode()
    assert "Guía de conversaciones con tu bebé" in body
    assert "Talking with your baby" not in body


def test_library_page_htmx_returns_the_results_only(client, shelf):
    response = client.get("/library/", {"q": "bedtime"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body
    assert "Calm bedtime routines" in body


def test_related_resources_share_topics(shelf):
    extra = make_resource("Play ideas for toddlers", topics=[topic("play")])
    related = slugs(services.related_resources(shelf["talk_en"]))
    assert related == [extra.slug]


# --- The stable API ---------------------------------------------------------------------


def test_api_lists_with_pagination_fields(client, shelf):
    data = client.get("/api/library/resources", {"page_size": 2}).json()
    assert data["count"] == 4 and data["pages"] == 2 and data["page"] == 1
    assert data["previous"] is None and "page=2" in data["next"]
    item = data["items"][0]
    for key in (
        "slug",
        "title",
        "summary",
        "type",
        "audiences",
        "topics",
        "language",
        "url",
        "reading_level",
        "published",
    ):
        assert key in item
    second = client.get(data["next"]).json()
    assert second["page"] == 2 and second["next"] is None and second["previous"]


def test_api_searches_and_filters(client, shelf):
    data = client.get(
        "/api/library/resources", {"q": "conversación", "language": "es", "audience": "parents"}
    ).json()
    assert [item["slug"] for item in data["items"]] == [shelf["guide_es"].slug]
    item = data["items"][0]
    assert item["type"] == "conversation_guide" and item["audiences"] == ["parents"]
    assert item["topics"][0]["slug"] == "play"
    assert item["reading_level"]["label"] in {"easy", "plain", "technical"}
    assert client.get("/api/library/resources", {"topic": "sleep"}).json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [{"audience": "aliens"}, {"language": "fr"}, {"page": 0}, {"page_size": 1000}, {"type": "x"}],
)
def test_api_refuses_bad_parameters(client, shelf, params):
    response = client.get("/api/library/resources", params)
    assert response.status_code == 422


def test_api_page_past_the_end_is_404(client, shelf):
    assert client.get("/api/library/resources", {"page": 9}).status_code == 404


def test_api_detail_hides_drafts(client, shelf):
    assert client.get(f"/api/library/resources/{shelf['draft'].slug}").status_code == 404
    detail = client.get(f"/api/library/resources/{shelf['talk_en'].slug}").json()
    assert detail["body_markdown"].startswith("Serve and return")


def test_broad_searches_rank_the_newest_window(shelf, monkeypatch):
    monkeypatch.setattr("kindred.library.search.RANK_WINDOW", 2)
    for number in range(3):
        make_resource(f"Baby songs number {number}")
    found = search("baby songs", {})
    # Four match ("Calm bedtime routines" has a baby and a song too); the newest two are
    # ranked and paged, and the page says there are more.
    assert found.capped and found.count == 2
    assert count_matches("baby songs") == 4
    assert sorted(slugs(found.results)) == ["baby-songs-number-1", "baby-songs-number-2"]


def test_archiving_and_publishing_update_the_index(shelf, alice, staff):
    resource = shelf["sleep_en"]
    services.archive_resource(resource, by=staff)
    assert slugs(search_resources("bedtime", {})) == []
    draft = shelf["draft"]
    services.submit_resource_for_review(draft, by=staff)
    services.review_resource(draft, reviewer=staff, approve=True)
    assert draft.slug in slugs(search_resources("unpublished conversation", {}))


def test_search_within_another_set_for_reviewers(shelf):
    drafts = search_resources("conversation", {}, queryset=Resource.objects.filter(status="draft"))
    assert slugs(drafts) == [shelf["draft"].slug]


def test_rebuild_command(shelf):
    out = StringIO()
    call_command("rebuild_library_index", stdout=out)
    assert "indexed" in out.getvalue() or "Nothing to do" in out.getvalue()
    assert slugs(search_resources("bedtime", {})) == [shelf["sleep_en"].slug]
