"""A community's page lists its next published events (kindred.library.sections)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindred.library.tests.factories import community_with, make_event


def test_the_community_page_shows_its_upcoming_events_only(client, alice, bob):
    community = community_with(alice, bob)
    soon = make_event(community, proposer=alice, title="Baby and me play group")
    make_event(
        community, proposer=alice, title="Last month's picnic", starts_in=dt.timedelta(days=-30)
    )
    make_event(community, proposer=bob, title="Bob's proposed sing-along")  # waits for review
    elsewhere = community_with(bob, name="Bronx Babies")
    make_event(elsewhere, proposer=bob, title="Bronx story time")
    body = client.get(community.get_absolute_url()).content.decode()
    assert 'id="community-events"' in body and "Upcoming events" in body
    assert f'href="{soon.get_absolute_url()}"' in body and "Baby and me play group" in body
    assert "Last month" not in body and "sing-along" not in body and "Bronx story" not in body
    assert "No events planned yet" not in body


def test_the_dates_and_words_follow_the_visitors_language(client, alice):
    community = community_with(alice)
    make_event(community, proposer=alice, starts_in=dt.timedelta(days=400))
    client.cookies["kindred_language"] = "es"
    body = client.get(community.get_absolute_url()).content.decode()
    assert "Próximos eventos" in body and " de 20" in body  # "3 de diciembre de 2027"
    assert "En persona" in body


def test_a_community_without_events_is_invited_to_propose_one(client, alice):
    community = community_with(alice)
    body = client.get(community.get_absolute_url()).content.decode()
    assert "No events planned yet." in body
    assert f'href="/library/events/new/?host=community:{community.pk}"' in body


def test_the_section_costs_the_same_queries_however_many_events(client, alice):
    community = community_with(alice)
    make_event(community, proposer=alice)
    client.get(community.get_absolute_url())  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(community.get_absolute_url())
    for n in range(8):
        make_event(community, proposer=alice, title=f"Play group {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(community.get_absolute_url()).content.decode()
    assert len(many) == len(one)
    assert body.count('class="muted"><time') == 5
