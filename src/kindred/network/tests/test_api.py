"""The public network API: directory entries, communities, and statistics."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from kindred.network import metrics, partners
from kindred.network.models import CommunityMembership, Organization
from kindred.network.tests.factories import (
    make_community,
    make_member,
    make_organization,
    role,
    sector,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def people(alice, bob, charlie):
    center = make_organization("Tulsa Family Center", admin=alice, sectors=[sector("health-care")])
    doula = role("doula")
    return (
        make_member(
            alice, name="Alice Public", visibility="public", roles=[doula], organization=center
        ),
        make_member(bob, name="Bob Members", visibility="members", roles=[doula]),
        make_member(charlie, name="Charlie Unlisted", visibility="public", listed=False),
    )


def test_directory_lists_only_public_listed_profiles(client, people):
    body = client.get("/api/network/directory").json()
    assert body["count"] == 1 and body["page"] == 1 and body["next"] is None
    (entry,) = body["items"]
    assert entry["name"] == "Alice Public"
    assert entry["roles"] == [{"slug": "doula", "name": "Doula"}]
    assert entry["place"] == {"state": "OK", "county": "Tulsa County", "county_fips": "40143"}
    assert entry["organizations"][0]["slug"] == "tulsa-family-center"
    assert entry["url"].endswith(f"/network/people/{people[0].pk}/")
    assert entry["languages"] == ["en"]
    assert set(entry) == {
        "id", "name", "pronouns", "bio", "roles", "sectors", "languages", "place",
        "organizations", "url",
    }  # fmt: skip
    # no email, phone or anything private
    assert "alice@example.org" not in str(body)


def test_directory_filters_and_pages(client, people):
    assert client.get("/api/network/directory?role=doula").json()["count"] == 1
    assert client.get("/api/network/directory?q=alice").json()["count"] == 1
    assert client.get("/api/network/directory?q=bob").json()["count"] == 0
    assert client.get("/api/network/directory?state=il").json()["count"] == 0
    assert client.get("/api/network/directory?role=astronaut").status_code == 422
    assert client.get("/api/network/directory?state=zz").status_code == 404
    assert client.get("/api/network/directory?page=9").status_code == 404
    assert client.get("/api/network/directory?page_size=1000").status_code == 422


def test_directory_runs_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    for n in range(8):
        make_member(
            email=f"p{n}@example.org", name=f"Public {n}", visibility="public", roles=[role()]
        )
    with django_assert_max_num_queries(10):
        assert client.get("/api/network/directory").json()["count"] == 9


def test_communities_list_and_detail(client, alice, people):
    national = make_community("Kindred National Network", organizer=alice, level="national")
    local = make_community("Tulsa County Families", organizer=alice, parents=[national])
    inactive = make_community("Old Circle", organizer=alice)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    body = client.get("/api/network/communities").json()
    assert [c["slug"] for c in body["items"]] == [national.slug, local.slug]
    item = body["items"][1]
    assert item["parents"] == [national.slug] and item["state"] == "OK"
    assert item["member_count"] is None  # 1 organizer: suppressed
    assert client.get("/api/network/communities?level=national").json()["count"] == 1
    assert client.get("/api/network/communities?level=galaxy").status_code == 422
    detail = client.get(f"/api/network/communities/{national.slug}").json()
    assert detail["children"] == [local.slug]
    assert detail["stats_url"].endswith(f"/api/network/stats?community={national.slug}")
    assert detail["health_url"].endswith(f"/network/health/communities/{national.slug}/")
    assert client.get(f"/api/network/communities/{inactive.slug}").status_code == 404


def test_stats_for_the_nation_a_state_and_a_community(client, alice, people):
    for n in range(11):
        make_member(
            email=f"m{n}@example.org", name=f"Member {n}", roles=[role("doula")],
            sectors=[sector("health-care")],
        )  # fmt: skip
    pediatrics = make_organization("Tulsa Pediatrics", admin=alice)
    partners.record_partnership(
        actor=alice,
        organization=Organization.objects.get(name="Tulsa Family Center"),
        partner=pediatrics,
        types=["referrals"],
    )
    body = client.get("/api/network/stats").json()
    assert body["scope"] == {
        "kind": "national",
        "name": "The national network",
        "state": None,
        "community": None,
    }
    assert body["members"] == 14 and body["members_suppressed"] is False
    assert body["organizations"] == 2 and body["partnerships"] == 1
    doulas = next(c for c in body["members_by_role"] if c["key"] == "doula")
    assert doulas == {"key": "doula", "name": "Doula", "count": 13, "suppressed": False}
    health = next(c for c in body["organizations_by_sector"] if c["key"] == "health-care")
    assert health["count"] == 1 and not health["suppressed"]  # organizations are not people
    assert body["place_level"] == "state"
    assert body["members_by_place"] == [
        {"key": "OK", "name": "Oklahoma", "count": 14, "suppressed": False}
    ]
    assert body["metrics"] is None
    metrics.compute_metrics(metrics.Scope.national())
    cache.clear()
    measured = client.get("/api/network/stats").json()["metrics"]
    assert measured["partnerships"] == 1 and measured["density"] == 1.0
    assert measured["computed_at"] and measured["components"] == 1
    state = client.get("/api/network/stats?state=ok").json()
    assert state["scope"]["state"] == "OK" and state["place_level"] == "county"
    assert state["members_by_place"][0]["key"] == "40143"
    assert client.get("/api/network/stats?state=zz").status_code == 404
    assert client.get("/api/network/stats?community=nowhere").status_code == 404
    assert client.get("/api/network/stats?community=x&state=OK").status_code == 422


def test_small_community_counts_are_suppressed(client, alice, bob, people):
    community = make_community("Tulsa County Families", organizer=alice)
    CommunityMembership.objects.create(
        community=community, user=bob, status="active", joined_at=timezone.now()
    )
    body = client.get(f"/api/network/stats?community={community.slug}").json()
    assert body["members"] is None and body["members_suppressed"] is True
    assert all(row["count"] is None and row["suppressed"] for row in body["members_by_role"])
    assert body["scope"]["community"] == community.slug


def test_the_schema_documents_the_network_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/network/directory",
        "/api/network/communities",
        "/api/network/communities/{slug}",
        "/api/network/stats",
    ):
        assert path in schema["paths"]
