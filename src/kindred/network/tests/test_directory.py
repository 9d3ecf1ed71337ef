import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindred.core.models import Sector
from kindred.network.models import Block, CommunityMembership
from kindred.network.tests.factories import (
    make_community,
    make_member,
    make_organization,
    role,
    sector,
    topic,
)


@pytest.fixture
def directory(db):
    doula, parent = role("doula"), role("parent")
    health, education = sector("health"), sector("education")
    literacy = topic("early-literacy")
    people = {
        "ana": make_member(
            name="Ana Pública",
            email="ana@example.org",
            roles=[doula],
            sectors=[health],
            topics=[literacy],
            visibility="public",
        ),
        "ben": make_member(
            name="Ben Members", email="ben@example.org", roles=[parent], visibility="members"
        ),
        "cy": make_member(
            name="Cy Hidden", email="cy@example.org", roles=[doula], visibility="hidden"
        ),
        "dee": make_member(
            name="Dee Unlisted",
            email="dee@example.org",
            roles=[doula],
            visibility="public",
            listed=False,
        ),
        "eve": make_member(
            name="Eve Bronx",
            email="eve@example.org",
            roles=[doula],
            sectors=[education],
            zip_code="10451",
            visibility="public",
        ),
        "fay": make_member(
            name="Fay Broken Arrow",
            email="fay@example.org",
            roles=[doula],
            zip_code="74012",
            visibility="public",
        ),
    }
    people["ana"].languages.add("es")
    return people


def names(response) -> set[str]:
    body = response.content.decode()
    candidates = [
        "Ana Pública",
        "Ben Members",
        "Cy Hidden",
        "Dee Unlisted",
        "Eve Bronx",
        "Fay Broken Arrow",
    ]
    return {name for name in candidates if name in body}


def test_visitors_see_only_public_listed_people(client, directory):
    assert names(client.get("/network/directory/")) == {
        "Ana Pública",
        "Eve Bronx",
        "Fay Broken Arrow",
    }


def test_members_also_see_members_only_profiles(client_as, directory, alice):
    assert names(client_as(alice).get("/network/directory/")) == {
        "Ana Pública",
        "Ben Members",
        "Eve Bronx",
        "Fay Broken Arrow",
    }


def test_filters_by_text_role_sector_place_language_topic(client, directory):
    get = lambda **q: names(client.get("/network/directory/", q))  # noqa: E731
    assert get(q="publica") == {"Ana Pública"}  # accents and case do not matter
    assert get(q="BRONX") == {"Eve Bronx"}
    assert get(role="doula", state="NY") == {"Eve Bronx"}
    assert get(sector="health") == {"Ana Pública"}
    assert get(language="es") == {"Ana Pública"}
    assert get(topic="early-literacy") == {"Ana Pública"}
    assert get(state="OK", county="40143") == {"Ana Pública", "Fay Broken Arrow"}  # Tulsa
    assert get(state="OK", county="40109") == set()  # Oklahoma County
    assert get(near="74103", miles="25") == {"Ana Pública", "Fay Broken Arrow"}
    assert get(near="74103", miles="5") == {"Ana Pública"}


def test_bad_filter_values_are_explained_not_fatal(client, directory):
    response = client.get("/network/directory/", {"near": "00000", "role": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "We could not find ZIP code 00000" in body
    assert "Ana Pública" in body


def test_people_who_blocked_you_are_not_listed(client_as, directory, alice):
    make_member(alice, name="Alice")
    Block.objects.create(blocker=directory["ana"].user, blocked=alice)
    assert "Ana Pública" not in names(client_as(alice).get("/network/directory/"))


def test_organizations_by_place_served(client, directory):
    from kindred.places.models import State

    served = make_organization("Statewide Doulas", zip_code=None)
    served.states_served.add(State.objects.get(usps="OK"))
    make_organization("Bronx Baby Bridge", zip_code=None)
    body = client.get("/network/directory/", {"kind": "organizations", "state": "OK"})
    text = body.content.decode()
    assert "Statewide Doulas" in text and "Bronx Baby Bridge" not in text


def test_htmx_gets_only_the_results(client, directory):
    response = client.get("/network/directory/", {"q": "ana"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Ana Pública" in body and "<html" not in body and 'id="results"' in body
    assert 'id="county-field" hx-swap-oob="true"' in body


def test_page_works_without_javascript_as_a_get_form(client, directory):
    body = client.get("/network/directory/").content.decode()
    assert 'method="get"' in body and 'action="/network/directory/"' in body


def test_query_count_is_fixed_whatever_the_size(client_as, directory, alice):
    client = client_as(alice)
    client.get("/network/directory/")
    with CaptureQueriesContext(connection) as small:
        client.get("/network/directory/", {"role": "doula"})
    for n in range(40):
        make_member(
            name=f"More {n:02}",
            email=f"more{n}@example.org",
            roles=[role("doula")],
            sectors=[sector("health")],
            visibility="public",
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get("/network/directory/", {"role": "doula"})
    assert "More 00" in response.content.decode()
    assert len(large) == len(small)
    assert len(large) <= 25


def test_csv_export_for_organizers_only_with_what_they_may_see(client_as, directory, alice, bob):
    make_member(alice, name="Alice")
    make_community("Tulsa County Families", organizer=alice)
    assert client_as(bob).get("/network/directory/export.csv").status_code == 403
    response = client_as(alice).get("/network/directory/export.csv", {"role": "doula"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Name"
    exported = {row[0] for row in rows[1:]}
    assert exported == {"Ana Pública", "Eve Bronx", "Fay Broken Arrow"}
    assert "ana@example.org" not in str(rows)  # no email addresses


def test_csv_cells_cannot_become_formulas(client_as, directory, alice):
    make_member(alice, name="Alice")
    make_community("Tulsa County Families", organizer=alice)
    make_member(name="=HYPERLINK(1)", email="evil@example.org", visibility="public")
    response = client_as(alice).get("/network/directory/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_pending_organizer_cannot_export(client_as, directory, alice, bob):
    make_member(alice, name="Alice")
    community = make_community("Tulsa County Families", organizer=alice)
    CommunityMembership.objects.create(community=community, user=bob, role="organizer")
    assert client_as(bob).get("/network/directory/export.csv").status_code == 403


def test_deactivated_accounts_leave_the_directory_and_come_back(client, directory):
    user = directory["ana"].user
    user.is_active = False
    user.save()
    assert "Ana Pública" not in names(client.get("/network/directory/"))
    assert "Ana Pública" not in names(client.get("/network/directory/", {"q": "ana"}))
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert "Ana Pública" in names(client.get("/network/directory/"))


def test_saving_an_account_without_changing_is_active_costs_no_query(directory):
    user = directory["ana"].user
    with CaptureQueriesContext(connection) as queries:
        user.save(update_fields=["last_login"])  # what every sign-in does
        user.save()
    assert not any("network_memberprofile" in q["sql"] for q in queries)


def test_broad_searches_are_counted_up_to_a_cap(client, directory, monkeypatch):
    from kindred.network.views import directory as views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    body = client.get("/network/directory/").content.decode()
    assert "2+ people" in body and "add a filter" in body
    assert len(names(client.get("/network/directory/"))) == 2  # the first two, by name
    body = client.get("/network/directory/", {"role": "doula", "state": "NY"}).content.decode()
    assert "1 person" in body and "add a filter" not in body
    body = client.get("/network/directory/", {"kind": "organizations"}).content.decode()
    assert "0 organizations" in body


def test_filters_on_several_terms_list_each_person_once(client, directory):
    ana = directory["ana"]
    ana.roles.add(role("parent"))
    ana.sectors.add(sector("education"))
    ana.languages.add("en")
    body = client.get(
        "/network/directory/", {"role": "doula", "sector": "health", "language": "es"}
    ).content.decode()
    assert "1 person" in body and body.count('href="' + ana.get_absolute_url()) == 1


def test_common_words_find_the_same_people(client, directory, monkeypatch):
    from kindred.network import search

    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # every word counts as common
    get = lambda **q: names(client.get("/network/directory/", q))  # noqa: E731
    assert get(q="publica") == {"Ana Pública"}
    assert get(q="fay broken") == {"Fay Broken Arrow"}
    assert get(q="b") == {"Eve Bronx", "Fay Broken Arrow"}
    monkeypatch.setattr(search, "FEW_MATCHES", 1)  # "b" is common, "eve" is rare
    assert get(q="b eve") == {"Eve Bronx"}


def test_filter_drop_downs_keep_the_choice_and_follow_vocabulary_changes(client, directory):
    page = client.get("/network/directory/", {"state": "OK"}).content.decode()
    assert '<option value="OK" selected>' in page
    assert "Tulsa County</option>" in page  # the chosen state's counties
    sector = Sector.objects.create(slug="faith", name_en="Faith communities", sort_order=99)
    page = client.get("/network/directory/").content.decode()
    assert f'<option value="{sector.slug}">Faith communities</option>' in page
    assert '<option value="OK" selected>' not in page
