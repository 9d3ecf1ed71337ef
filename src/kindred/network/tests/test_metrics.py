"""Network-health metrics on small graphs whose values are worked out by hand, and the
snapshot the background task saves."""

import random

import networkx as nx
import pytest
from django.core.cache import cache

from kindred.core.models import TaskProgress
from kindred.core.progress import start_progress
from kindred.network import metrics, partners
from kindred.network.models import CommunityMembership, NetworkMetrics
from kindred.network.tasks import compute_network_metrics
from kindred.network.tests.factories import (
    make_community,
    make_member,
    make_organization,
    sector,
)
from kindred.places.models import State

HEALTH, EDUCATION = 1, 2


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_star_is_fully_centralized_with_one_broker():
    # Centre 1 and leaves 2..5: 4 ties of the 10 possible.
    nodes = {1: {HEALTH}, 2: {HEALTH}, 3: {HEALTH}, 4: {EDUCATION}, 5: set()}
    result = metrics.graph_metrics(
        {k: frozenset(v) for k, v in nodes.items()}, [(1, 2), (1, 3), (1, 4), (1, 5)]
    )
    assert result["density"] == pytest.approx(4 / 10)
    assert result["components"] == 1 and result["largest_component"] == 5
    assert result["isolates"] == 0
    # Freeman: sum(4 - d) = 3 * 3 = ... (4-4) + 4 * (4-1) = 12, over (n-1)(n-2) = 12
    assert result["degree_centralization"] == pytest.approx(1.0)
    # 1-2 and 1-3 stay in health, 1-4 crosses, 1-5 has no sector and is left out
    assert (result["ties_within_sector"], result["ties_across_sectors"]) == (2, 1)
    assert result["cross_sector_share"] == pytest.approx(1 / 3)
    assert result["ei_index"] == pytest.approx((1 - 2) / 3)
    # every one of the 6 pairs of leaves goes through the centre: normalized betweenness 1
    assert result["brokers"] == [[1, pytest.approx(1.0)]]
    assert result["betweenness_sources"] is None


def test_components_isolates_and_an_outward_looking_network():
    # A triangle, a pair, and an organization with no partner yet.
    nodes = {1: {1}, 2: {2}, 3: {3}, 4: {1}, 5: {1}, 6: {2}}
    edges = [(1, 2), (2, 3), (1, 3), (4, 5)]
    result = metrics.graph_metrics({k: frozenset(v) for k, v in nodes.items()}, edges)
    assert result["density"] == pytest.approx(4 / 15)
    assert (result["components"], result["largest_component"], result["isolates"]) == (3, 3, 1)
    # degrees 2,2,2,1,1,0: sum(2 - d) = 4, over 5 * 4
    assert result["degree_centralization"] == pytest.approx(0.2)
    assert (result["ties_within_sector"], result["ties_across_sectors"]) == (1, 3)
    assert result["ei_index"] == pytest.approx(0.5)
    assert result["brokers"] == []  # nobody sits between two others


def test_a_path_has_two_brokers_and_sectors_shared_count_as_within():
    nodes = {1: {1, 2}, 2: {2}, 3: {3}, 4: {3, 1}}
    result = metrics.graph_metrics(
        {k: frozenset(v) for k, v in nodes.items()}, [(1, 2), (2, 3), (3, 4)]
    )
    assert result["degree_centralization"] == pytest.approx(2 / 6)
    # 2 lies between (1,3) and (1,4); normalized by C(3, 2) = 3 pairs without it
    assert result["brokers"] == [
        [2, pytest.approx(2 / 3, abs=1e-6)],
        [3, pytest.approx(2 / 3, abs=1e-6)],
    ]
    # 1-2 share sector 2, 3-4 share sector 3, 2-3 cross
    assert result["ei_index"] == pytest.approx((1 - 2) / 3)


def test_tiny_and_empty_networks_have_no_undefined_numbers():
    assert metrics.graph_metrics({}, [])["density"] is None
    one = metrics.graph_metrics({7: frozenset()}, [])
    assert one["density"] is None and one["degree_centralization"] is None
    assert one["components"] == 1 and one["isolates"] == 1
    two = metrics.graph_metrics({1: frozenset(), 2: frozenset()}, [(1, 2), (2, 1), (1, 1)])
    assert two["ties"] == 1 and two["density"] == 1.0
    assert two["ei_index"] is None and two["cross_sector_share"] is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brandes_over_sparse_matrices_matches_networkx(seed):
    graph = nx.gnm_random_graph(40, 70, seed=seed)
    graph.add_node(40)  # an isolate
    n = graph.number_of_nodes()
    ours = metrics.brandes_betweenness(n, list(graph.edges()), list(range(n)), batch=7)
    expected = nx.betweenness_centrality(graph)
    scale = 1 / ((n - 1) * (n - 2))
    for node in graph:
        assert ours[node] * scale == pytest.approx(expected[node], abs=1e-6)


def test_sampled_betweenness_still_finds_the_bridge():
    graph = nx.barbell_graph(12, 1)  # two cliques joined through node 12
    nodes = {node: frozenset() for node in graph}
    result = metrics.graph_metrics(nodes, list(graph.edges()), sources=6, seed=4)
    assert result["betweenness_sources"] == 6
    # 11, 12 and 13 all lie between the two cliques (143, 144 and 143 pairs exactly)
    assert {pk for pk, _score in result["brokers"][:3]} == {11, 12, 13}


def test_layout_is_deterministic_and_keeps_the_best_connected():
    rng = random.Random(3)
    nodes = {i: frozenset() for i in range(30)}
    edges = [(0, i) for i in range(1, 10)] + [
        (rng.randrange(30), rng.randrange(30)) for _ in range(20)
    ]
    first = metrics.graph_layout(nodes, edges, limit=8)
    assert first == metrics.graph_layout(nodes, edges, limit=8)
    assert len(first["nodes"]) == 8 and 0 in [node[0] for node in first["nodes"]]
    for _pk, x, y, _degree in first["nodes"]:
        assert 0 <= x <= metrics.GRAPH_WIDTH and 0 <= y <= metrics.GRAPH_HEIGHT


def test_suppression_hides_1_to_10_people():
    assert [metrics.suppress(n) for n in (0, 1, 10, 11, 250)] == [0, None, None, 11, 250]


@pytest.fixture
def network(alice, bob):
    """Three Oklahoma organizations and one in Illinois; health-care and education."""
    health, education = sector("health-care"), sector("early-care-education")
    clinic = make_organization("Tulsa Clinic", admin=alice, sectors=[health])
    school = make_organization("Tulsa Early School", admin=alice, sectors=[education])
    doulas = make_organization("Tulsa Doulas", admin=alice, sectors=[health])
    chicago = make_organization(
        "Chicago Families", admin=bob, sectors=[education], zip_code=_zip("60614")
    )
    for first, second in ((clinic, school), (clinic, doulas), (clinic, chicago)):
        partners.record_partnership(
            actor=alice, organization=first, partner=second, types=["referrals"]
        )
    ties = {
        p.org_b_id if p.org_a_id == clinic.pk else p.org_a_id: p
        for p in partners.partnerships_of(clinic)
    }
    scores = {name: 2 for name in partners.SCORE_FIELDS}
    partners.rate_partner(partnership=ties[school.pk], rater_org=clinic, actor=alice, scores=scores)
    partners.rate_partner(
        partnership=ties[school.pk],
        rater_org=school,
        actor=alice,
        scores={**scores, "value_influence": 4, "value_resources": 4, "value_involvement": 4},
    )
    return clinic, school, doulas, chicago


def _zip(code):
    from kindred.places.services import lookup_zip

    return lookup_zip(code)


def test_national_snapshot_from_the_database(network):
    clinic, school, doulas, chicago = network
    snapshot = metrics.compute_metrics(metrics.Scope.national())
    assert (snapshot.node_count, snapshot.edge_count) == (4, 3)
    data = snapshot.data
    assert data["density"] == pytest.approx(3 / 6)
    assert data["brokers"][0]["slug"] == clinic.slug
    # ties: clinic-school and clinic-chicago cross (health/education), clinic-doulas within
    assert data["ei_index"] == pytest.approx((2 - 1) / 3)
    assert data["mean_trust"] == pytest.approx(2.0) and data["mean_value"] == pytest.approx(3.0)
    assert data["ratings"] == 2
    assert {node[0] for node in data["graph"]["nodes"]} == {o.pk for o in network}
    assert snapshot.computed_at is not None


def test_state_and_community_scopes_hold_their_own_organizations(network, alice, bob, charlie):
    clinic, school, doulas, chicago = network
    oklahoma = State.objects.get(usps="OK")
    state = metrics.compute_metrics(metrics.Scope.for_state(oklahoma))
    assert (state.node_count, state.edge_count) == (3, 2)
    assert state.state == oklahoma and state.scope == "state"
    # a community where only the clinic's and the school's people are members
    community = make_community("Tulsa Partners", organizer=charlie)
    make_member(alice, name="Alice", organization=clinic)
    CommunityMembership.objects.create(community=community, user=alice, status="active")
    snapshot = metrics.compute_metrics(metrics.Scope.for_community(community))
    # alice administers clinic, school and doulas: all three take part
    assert snapshot.node_count == 3 and snapshot.community == community
    assert metrics.Scope.for_community(community).latest() == snapshot


def test_the_task_reports_progress_and_links_to_the_page(network, alice):
    progress = start_progress(alice, "Measuring")
    compute_network_metrics.enqueue(kind="state", key="OK", progress_id=str(progress.pk))
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.result_url == "/network/health/states/ok/"
    assert NetworkMetrics.objects.filter(scope="state", state__usps="OK").count() == 1


def test_counts_by_role_sector_place_and_month(network, alice, bob):
    make_member(alice, name="Alice", sectors=[sector("health-care")])
    make_member(bob, name="Bob", zip_code="60614", sectors=[sector("health-care")])
    counts = metrics.compute_counts(metrics.Scope.national())
    assert counts["members"] == 2 and counts["organizations"] == 4 and counts["partnerships"] == 3
    assert counts["members_by_place"] == {"OK": 1, "IL": 1}
    assert counts["members_by_sector"] == {"health-care": 2}
    assert counts["organizations_by_sector"] == {"health-care": 2, "early-care-education": 2}
    assert counts["members_growth"][-1] == 2 and len(counts["months"]) == metrics.GROWTH_MONTHS
    state = metrics.compute_counts(metrics.Scope.for_state(State.objects.get(usps="OK")))
    assert state["place_level"] == "county" and state["members"] == 1
    assert state["members_by_place"] == {"40143": 1}  # Tulsa County
