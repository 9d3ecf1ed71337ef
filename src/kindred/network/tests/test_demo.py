import random

import pytest

from kindred.accounts import demo as accounts_demo
from kindred.network import demo
from kindred.network.models import (
    Community,
    CommunityMembership,
    Connection,
    MemberProfile,
    Organization,
    Post,
)
from kindred.places.models import State


@pytest.mark.slow
def test_small_demo_builds_a_believable_network(db):
    accounts_demo.seed(random.Random(1), "small")
    demo.seed(random.Random(2), "small")

    assert 280 <= MemberProfile.objects.count() <= 320
    assert 55 <= Organization.objects.count() <= 70
    assert Community.objects.filter(level="national").count() == 1
    states = State.objects.filter(is_territory=False)
    hubs = Community.objects.filter(level="state")
    assert hubs.count() == states.count()
    for hub in hubs:  # every state hub has demo members
        assert hub.memberships.filter(status="active").exists(), hub.name
    local = Community.objects.filter(level__in=["county", "city", "neighborhood"])
    assert local.count() >= 20
    assert all(c.parents.exists() for c in local)
    assert Post.objects.values("community").distinct().count() >= 20
    assert Connection.objects.filter(status="accepted").count() > 200

    parent = MemberProfile.objects.get(user__email="parent@demo.kindred.test")
    assert parent.county.name == "Tulsa County"
    tulsa = Community.objects.get(name="Tulsa County Families")
    assert tulsa.is_member(parent.user)
    orgadmin = MemberProfile.objects.get(user__email="orgadmin@demo.kindred.test")
    organization = Organization.objects.get(name="Tulsa Family Connections")
    assert organization.can_edit(orgadmin.user)
    assert tulsa.can_organize(orgadmin.user)
    assert CommunityMembership.objects.filter(
        user__email="advocate@demo.kindred.test", role="organizer", community__state__usps="OK"
    ).exists()

    # A doula near the Tulsa parent can be found in the directory, as the issue asks.
    assert (
        MemberProfile.objects.directory_for(parent.user)
        .filter(roles__slug="doula", county=parent.county)
        .exists()
    )

    # Seeding again changes nothing.
    demo.seed(random.Random(2), "small")
    assert Community.objects.filter(level="national").count() == 1


@pytest.mark.slow
def test_large_demo_adds_members_in_bulk(db, monkeypatch):
    # The real sizes (100,000 members...) are for the benchmarks; the code path is the same.
    monkeypatch.setattr(demo, "LARGE", {"members": 400, "organizations": 40, "connections": 900})
    accounts_demo.seed(random.Random(1), "small")
    demo.seed(random.Random(2), "small")
    before = MemberProfile.objects.count(), Connection.objects.count()
    demo.seed(random.Random(2), "large")
    assert MemberProfile.objects.count() == before[0] + 400
    assert Connection.objects.count() == before[1] + 900
    assert Organization.objects.count() >= 95
    bulk = MemberProfile.objects.filter(user__email__endswith="@large.demo.kindred.test")
    assert bulk.filter(roles__isnull=False).distinct().count() == 400
    assert bulk.filter(search_tokens__isnull=False).distinct().count() == 400
    national = Community.objects.get(level="national")
    assert national.memberships.filter(user__in=bulk.values("user")).count() == 400
    demo.seed(random.Random(2), "large")  # once only
    assert MemberProfile.objects.count() == before[0] + 400
