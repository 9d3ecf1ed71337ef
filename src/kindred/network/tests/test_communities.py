import pytest

from kindred.network.models import CommunityMembership, Post
from kindred.network.tests.factories import (
    make_community,
    make_member,
    role,
    sector,
)


@pytest.fixture
def community(alice, bob, charlie):
    make_member(alice, name="Alice Organizer")
    make_member(bob, name="Bob Member")
    make_member(charlie, name="Charlie Outsider")
    community = make_community("Tulsa County Families", organizer=alice)
    CommunityMembership.objects.create(community=community, user=bob, status="active")
    return community


def test_open_community_join_is_immediate(client_as, community, charlie):
    response = client_as(charlie).post(f"/network/communities/{community.slug}/join/", follow=True)
    assert "Welcome to Tulsa County Families" in response.content.decode()
    assert community.memberships.get(user=charlie).status == "active"


def test_questions_then_organizer_welcomes(client_as, community, alice, charlie):
    community.join_policy = "questions"
    community.join_questions = "What brings you here?"
    community.save()
    url = f"/network/communities/{community.slug}/join/"
    body = client_as(charlie).post(url, {"answers": ""}).content.decode()
    assert "This field is required" in body
    assert not community.memberships.filter(user=charlie).exists()
    client_as(charlie).post(url, {"answers": "I am a doula"})
    membership = community.memberships.get(user=charlie)
    assert membership.status == "pending" and membership.answers == "I am a doula"
    assert (
        client_as(charlie).get(f"/network/communities/{community.slug}/members/").status_code == 403
    )
    requests_page = client_as(alice).get(f"/network/communities/{community.slug}/members/")
    assert "I am a doula" in requests_page.content.decode()
    client_as(alice).post(
        f"/network/communities/{community.slug}/members/{membership.pk}/", {"answer": "accept"}
    )
    membership.refresh_from_db()
    assert membership.status == "active" and membership.joined_at


def test_member_cannot_decide(client_as, community, bob, charlie):
    membership = CommunityMembership.objects.create(community=community, user=charlie)
    response = client_as(bob).post(
        f"/network/communities/{community.slug}/members/{membership.pk}/", {"answer": "accept"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_posts_are_for_members_only(client, client_as, community, alice, bob, charlie):
    url = f"/network/communities/{community.slug}/posts/"
    client_as(alice).post(url, {"kind": "announcement", "title": "Picnic", "body": "Saturday!"})
    client_as(bob).post(url, {"kind": "announcement", "title": "Bob news", "body": "Hello"})
    client_as(charlie).post(url, {"title": "Spam", "body": "Buy"})
    assert list(Post.objects.values_list("title", "kind")) == [
        ("Bob news", "discussion"),  # members cannot announce: their post is a discussion
        ("Picnic", "announcement"),
    ]
    page = community.get_absolute_url()
    assert "Picnic" in client_as(bob).get(page).content.decode()
    assert "Picnic" not in client_as(charlie).get(page).content.decode()
    assert "Picnic" not in client.get(page).content.decode()


def test_html_in_posts_is_stripped(client_as, community, bob):
    client_as(bob).post(
        f"/network/communities/{community.slug}/posts/",
        {"title": "<b>Hi</b>", "body": "<img src=x onerror=alert(1)>Hello"},
    )
    post = Post.objects.get()
    assert (post.title, post.body) == ("Hi", "Hello")


def add_people(community, start, count, doula, health):
    for n in range(start, start + count):
        person = make_member(
            name=f"Person {n:02}",
            email=f"p{n}@example.org",
            roles=[doula],
            sectors=[health],
            visibility="public" if n % 2 else "hidden",
        )
        CommunityMembership.objects.create(community=community, user=person.user, status="active")


def test_page_shows_people_by_role_and_sector_respecting_visibility(
    client, client_as, community, bob, django_assert_max_num_queries
):
    doula, health = role("doula"), sector("health")
    bob.profile.roles.add(doula)
    bob.profile.sectors.add(health)
    add_people(community, 0, 20, doula, health)
    with django_assert_max_num_queries(20):
        response = client.get(community.get_absolute_url())
    body = response.content.decode()
    assert "Person 01" in body and "Person 00" not in body  # hidden
    assert "Bob Member" not in body  # members-only profile, anonymous viewer
    assert "Doula" in body and "kindred-map" in body
    body = client_as(bob).get(community.get_absolute_url()).content.decode()
    assert "Bob Member" in body


def test_page_query_count_does_not_grow_with_members(
    client_as, community, bob, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doula, health = role("doula"), sector("health")
    add_people(community, 0, 5, doula, health)
    client = client_as(bob)
    client.get(community.get_absolute_url())  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(community.get_absolute_url())
    add_people(community, 5, 30, doula, health)
    with django_assert_num_queries(len(few)):
        client.get(community.get_absolute_url())


def test_nesting_and_peers_show_on_the_page(client, community):
    state = make_community("Oklahoma", level="state", county=None)
    peer = make_community("Tulsa Doulas", level="topic", county=None)
    community.parents.add(state)
    community.peers.add(peer)
    body = client.get(community.get_absolute_url()).content.decode()
    assert "Oklahoma" in body and "Tulsa Doulas" in body
    assert "Tulsa County Families" in client.get(state.get_absolute_url()).content.decode()
    assert "Tulsa County Families" in client.get(peer.get_absolute_url()).content.decode()


def test_list_filters_by_level_and_state(client, community, django_assert_max_num_queries):
    make_community("Bronx Babies", county=None, state=None, level="city")
    with django_assert_max_num_queries(8):
        body = client.get("/network/communities/", {"state": "OK"}).content.decode()
    assert "Tulsa County Families" in body and "Bronx Babies" not in body
    body = client.get("/network/communities/", {"level": "city"}, HTTP_HX_REQUEST="true")
    text = body.content.decode()
    assert "Bronx Babies" in text and "<html" not in text


def test_member_starts_a_community_with_a_zip(client_as, community, bob):
    response = client_as(bob).post(
        "/network/communities/new/",
        {"name": "Bronx Parents", "level": "county", "area_zip": "10451", "join_policy": "open"},
    )
    created = community.__class__.objects.get(name="Bronx Parents")
    assert response["Location"] == created.get_absolute_url()
    assert created.county.name == "Bronx County"
    assert created.memberships.get().role == "organizer"


def test_local_community_needs_a_zip(client_as, community, bob):
    response = client_as(bob).post(
        "/network/communities/new/", {"name": "Somewhere", "level": "city", "join_policy": "open"}
    )
    assert "Give a ZIP code in the area" in response.content.decode()
    assert not community.__class__.objects.filter(name="Somewhere").exists()


def test_only_organizer_cannot_leave(client_as, community, alice):
    body = (
        client_as(alice)
        .post(f"/network/communities/{community.slug}/leave/", follow=True)
        .content.decode()
    )
    assert "only organizer" in body
    assert community.memberships.filter(user=alice).exists()


def test_organizer_edits_and_links_peers_member_cannot(client_as, community, alice, bob):
    peer = make_community("Oklahoma County Baby Network", county=None)
    state = make_community("Oklahoma ERH Network", level="state", county=None)
    data = {
        "name": "Tulsa County Families",
        "description": "<b>All</b> welcome",
        "join_policy": "open",
        "join_questions": "",
        "peers": [peer.pk],
        "parents": [state.pk],
    }
    url = f"/network/communities/{community.slug}/edit/"
    assert client_as(bob).post(url, data).status_code == 403
    assert client_as(alice).post(url, data).status_code == 302
    community.refresh_from_db()
    assert community.description == "All welcome"
    assert list(community.peers.all()) == [peer] and list(peer.peers.all()) == [community]
    assert list(community.parents.all()) == [state]


def test_a_community_cannot_nest_inside_its_own_child(client_as, community, alice):
    child = make_community("Tulsa City", level="city", organizer=alice)
    child.parents.add(community)
    data = {
        "name": community.name,
        "description": "",
        "join_policy": "open",
        "join_questions": "",
        "parents": [child.pk],
    }
    response = client_as(alice).post(f"/network/communities/{community.slug}/edit/", data)
    assert response.status_code == 200
    assert "cannot be part of itself" in response.content.decode()
    assert not community.parents.exists()


def test_other_areas_add_sections_and_empty_ones_are_left_out(client, community, monkeypatch):
    from kindred.network import sections

    monkeypatch.setattr(sections, "_providers", [])

    @sections.register_community_section
    def events(request, c):
        return sections.CommunitySection(key="events", title="Events", html="<p>Picnic</p>")

    @sections.register_community_section
    def policies(request, c):
        return None

    body = client.get(community.get_absolute_url()).content.decode()
    assert 'id="community-events"' in body and "<p>Picnic</p>" in body
    assert "community-policies" not in body


def test_list_counts_members_of_the_page_only_in_fixed_queries(
    client, community, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/network/communities/")
    with CaptureQueriesContext(connection) as few:
        body = client.get("/network/communities/").content.decode()
    assert "2 members" in body  # the organizer and Bob; pending people do not count
    doula, health = role("doula"), sector("health")
    add_people(community, 0, 6, doula, health)
    for n in range(30):
        make_community(f"Circle {n:02}", level="topic", county=None)
    with django_assert_num_queries(len(few)):
        body = client.get("/network/communities/").content.decode()
    assert "Circle 00" in body and "31 communities" in body
    body = client.get("/network/communities/", {"level": "county"}).content.decode()
    assert "8 members" in body


def _role_counts(client, community):
    page = client.get(f"/network/communities/{community.slug}/")
    assert page.status_code == 200
    return {r.slug: r.n for r in page.context["role_counts"]}, page.context["member_count"]


def test_a_large_communitys_summary_is_kept_a_few_minutes_per_kind_of_viewer(
    client, client_as, community, bob, monkeypatch
):
    from django.core.cache import cache

    from kindred.network.views import communities

    cache.clear()
    doula = role("doula")
    for n in range(2):
        person = make_member(email=f"d{n}@example.org", name=f"Dee {n}", roles=[doula])
        person.visibility = "public" if n == 0 else "members"
        person.save()
        CommunityMembership.objects.create(community=community, user=person.user, status="active")

    monkeypatch.setattr(communities, "LARGE_COMMUNITY", 3)
    # Visitors count public profiles only; members also members-only profiles.
    assert _role_counts(client, community) == ({"doula": 1}, 4)
    assert _role_counts(client_as(bob), community) == ({"doula": 2}, 4)

    late = make_member(email="late@example.org", name="Late Joiner", roles=[doula])
    CommunityMembership.objects.create(community=community, user=late.user, status="active")
    # The member count is live; the breakdown waits for the kept summary to expire.
    assert _role_counts(client_as(bob), community) == ({"doula": 2}, 5)
    cache.clear()
    assert _role_counts(client_as(bob), community) == ({"doula": 3}, 5)


def test_a_kept_summary_never_shows_one_members_hidden_profile_to_another(
    client_as, community, alice, bob, monkeypatch
):
    from django.core.cache import cache

    from kindred.network.views import communities

    cache.clear()
    monkeypatch.setattr(communities, "LARGE_COMMUNITY", 1)
    hidden = make_member(email="quiet@example.org", name="Quiet Person", visibility="hidden")
    CommunityMembership.objects.create(community=community, user=hidden.user, status="active")
    # The hidden member builds the kept summary first; it must not carry their profile.
    client_as(hidden.user).get(f"/network/communities/{community.slug}/")
    page = client_as(bob).get(f"/network/communities/{community.slug}/")
    assert "Quiet Person" not in page.text
    assert hidden not in page.context["people"]


def test_a_small_communitys_summary_is_counted_on_every_visit(client_as, community, bob):
    doula = role("doula")
    assert _role_counts(client_as(bob), community)[0].get("doula") is None
    person = make_member(email="dee@example.org", name="Dee", roles=[doula])
    CommunityMembership.objects.create(community=community, user=person.user, status="active")
    assert _role_counts(client_as(bob), community) == ({"doula": 1}, 3)
