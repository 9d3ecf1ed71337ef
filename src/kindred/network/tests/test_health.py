"""Network health pages: national, state and community; the graph view; recomputing."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.accounts.services import create_account
from kindred.network import metrics, partners
from kindred.network.models import CommunityMembership, NetworkMetrics
from kindred.network.tests.factories import make_community, make_member, make_organization, sector
from kindred.places.services import lookup_zip


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def network(alice):
    health, education = sector("health-care"), sector("early-care-education")
    clinic = make_organization("Tulsa Clinic", admin=alice, sectors=[health])
    school = make_organization("Tulsa Early School", admin=alice, sectors=[education])
    chicago = make_organization(
        "Chicago Families", admin=alice, sectors=[education], zip_code=lookup_zip("60614")
    )
    for partner in (school, chicago):
        partners.record_partnership(
            actor=alice, organization=clinic, partner=partner, types=["referrals"]
        )
    return clinic, school, chicago


def _many_members(count: int, zip_code: str = "74103"):
    for n in range(count):
        make_member(
            email=f"member{n}.{zip_code}@example.org",
            name=f"Member {n}",
            zip_code=zip_code,
            sectors=[sector("health-care")],
        )


def test_national_page_before_and_after_measuring(client, network):
    _many_members(1)
    page = client.get("/network/health/").content.decode()
    assert "The partnership measures have not been computed yet" in page
    assert "Measure again now" not in page  # visitors cannot start it
    metrics.compute_metrics(metrics.Scope.national())
    page = client.get("/network/health/").content.decode()
    for sentence in (
        "Of all the partnerships that could exist between these organizations",
        "From −1 when every partnership stays within one sector",
        "Organizations that sit on the most paths between others",
    ):
        assert sentence in page
    assert "Tulsa Clinic" in page  # the broker
    assert 'href="/network/health/states/ok/"' in page  # the map drills into a state
    assert "Last measured" in page


def test_small_counts_are_suppressed_and_large_ones_shown(client, network):
    _many_members(3)
    page = client.get("/network/health/").content.decode()
    assert 'id="count-members"><span class="big-number">&lt;11<' in page
    assert "Oklahoma: fewer than 11 members" in page  # the map's label
    cache.clear()
    _many_members(12, zip_code="74104")
    page = client.get("/network/health/").content.decode()
    assert 'id="count-members"><span class="big-number">15<' in page
    assert "Oklahoma: 15 members" in page


def test_state_page_shows_counties(client, network):
    metrics.compute_metrics(metrics.Scope.for_state(network[0].state))
    _many_members(11)
    page = client.get("/network/health/states/ok/").content.decode()
    assert "Members by county" in page and "Tulsa" in page
    assert client.get("/network/health/states/zz/").status_code == 404


def test_community_page_and_graph(client, client_as, alice, network):
    community = make_community("Tulsa Partners", organizer=alice)
    make_member(alice, name="Alice")
    metrics.compute_metrics(metrics.Scope.for_community(community))
    assert client.get(f"/network/health/communities/{community.slug}/").status_code == 200
    graph = client.get(f"/network/health/communities/{community.slug}/graph/").content.decode()
    assert "Tulsa Clinic" in graph and 'href="/network/organizations/tulsa-clinic/"' in graph
    assert "network/graph.js" in graph and 'nonce="' in graph
    assert client.get("/network/health/communities/nowhere/").status_code == 404


def test_graph_lists_every_tie_in_a_table_with_search(client, network):
    metrics.compute_metrics(metrics.Scope.national())
    page = client.get("/network/health/graph/").content.decode()
    assert "2 partnerships" in page
    assert page.count('class="graph-node"') == 3
    found = client.get("/network/health/graph/?q=chicago").content.decode()
    assert "1 partnership" in found and "Chicago Families" in found


def test_recompute_is_for_staff_and_organizers(client, client_as, alice, bob, network):
    community = make_community("Tulsa Partners", organizer=alice)
    data = {"kind": "community", "key": community.slug}
    assert client.post("/network/health/recompute/", data).status_code == 302  # to sign in
    assert client_as(bob).post("/network/health/recompute/", data).status_code == 403
    assert (
        client_as(bob).post("/network/health/recompute/", {"kind": "national"}).status_code == 403
    )
    assert not NetworkMetrics.objects.exists()
    response = client_as(alice).post("/network/health/recompute/", data)
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")
    assert NetworkMetrics.objects.filter(community=community).count() == 1
    # the organizer sees the button on their community's page
    page = client_as(alice).get(f"/network/health/communities/{community.slug}/").content.decode()
    assert "Measure again now" in page
    staff = create_account("staff@example.org", None, is_staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client_as(staff).post("/network/health/recompute/", {"kind": "national"})
    client_as(staff).post("/network/health/recompute/", {"kind": "state", "key": "OK"})
    assert NetworkMetrics.objects.filter(scope="national").count() == 1
    assert NetworkMetrics.objects.filter(scope="state", state__usps="OK").count() == 1
    assert client_as(staff).post("/network/health/recompute/", {"kind": "x"}).status_code == 404


def test_state_hub_organizers_may_recompute_their_state(client_as, bob):
    hub = make_community("Oklahoma ERH Network", level="state", state=lookup_zip("74103").state)
    CommunityMembership.objects.create(
        community=hub, user=bob, role="organizer", status="active", joined_at=timezone.now()
    )
    assert metrics.can_recompute(bob, metrics.Scope.for_state(hub.state))
    other = lookup_zip("60614").state
    assert not metrics.can_recompute(bob, metrics.Scope.for_state(other))


def _queries(client, url: str) -> int:
    cache.clear()  # the worst case: counts computed again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(alice, start: int, count: int) -> None:
    organizations = [
        make_organization(f"Org {n}", admin=alice, sectors=[sector("health-care")])
        for n in range(start, start + count)
    ]
    for first, second in zip(organizations, organizations[1:], strict=False):
        partners.record_partnership(
            actor=alice, organization=first, partner=second, types=["referrals"]
        )
    for n in range(start, start + count):
        make_member(email=f"grow{n}@example.org", name=f"Grow {n}", sectors=[sector("health-care")])
    metrics.compute_metrics(metrics.Scope.national())
    metrics.compute_metrics(metrics.Scope.for_state(lookup_zip("74103").state))


def test_health_pages_run_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    """The same number of queries with a few organizations and members or three times as
    many, and a small number once the counts are cached."""
    urls = ["/network/health/", "/network/health/states/ok/", "/network/health/graph/"]
    _grow(alice, 0, 4)
    small = [_queries(client, url) for url in urls]
    _grow(alice, 4, 8)
    assert [_queries(client, url) for url in urls] == small
    assert max(small) <= 45
    client.get("/network/health/")
    with django_assert_max_num_queries(6):
        client.get("/network/health/")  # counts from the cache, metrics from the snapshot
