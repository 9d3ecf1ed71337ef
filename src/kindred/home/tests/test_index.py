from kindred.home.stats import home_stats
from kindred.network.models import MemberProfile


def test_home_shows_live_numbers(client, db):
    stats = home_stats()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    # Each figure is what the database holds now, not a number written into the page.
    assert f'<span class="stat">{stats["people"]}</span>' in body
    assert f'<span class="stat">{stats["policies"]}</span>' in body


def test_a_new_member_moves_the_number(client, alice):
    before = home_stats()["people"]
    MemberProfile.objects.create(user=alice, display_name="Alice")
    assert home_stats()["people"] == before + 1
    assert f'<span class="stat">{before + 1}</span>' in client.get("/").content.decode()


def test_home_offers_join_and_sign_in_to_visitors(client, db):
    body = client.get("/").content.decode()
    assert 'href="/network/join/"' in body
    assert 'href="/accounts/login/"' in body


def test_home_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        client.get("/")
