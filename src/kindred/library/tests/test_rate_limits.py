"""Anonymous forms that store something or send email are limited per address."""

from django.core import mail

from kindred.library.models import RSVP, Story, Subscriber
from kindred.library.tests.factories import community_with, make_event
from kindred.library.tests.test_stories import story_form

LIMITS = {"story": (2, 600), "rsvp": (2, 600), "newsletter": (2, 600)}


def test_a_third_story_from_one_address_waits_and_keeps_what_was_typed(client, db, settings):
    settings.ANONYMOUS_RATE_LIMITS = LIMITS
    for number in range(2):
        response = client.post("/library/stories/new/", story_form(title=f"Story {number}"))
        assert response.status_code == 200
    response = client.post("/library/stories/new/", story_form(title="One more song"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait ten minutes" in page
    assert 'value="One more song"' in page
    assert Story.objects.count() == 2
    # Another address is not held back.
    other = client.post("/library/stories/new/", story_form(), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200 and Story.objects.count() == 3


def test_guest_rsvps_are_limited_per_address(client, alice, bob, settings):
    settings.ANONYMOUS_RATE_LIMITS = LIMITS
    community = community_with(alice, bob)
    event = make_event(community, proposer=alice, mode="online")
    url = f"{event.get_absolute_url()}rsvp/"
    for number in range(2):
        client.post(url, {"name": "Guest", "email": f"guest{number}@example.org"})
    sent = len(mail.outbox)
    response = client.post(url, {"name": "Guest", "email": "guest9@example.org"})
    assert response.status_code == 429
    assert "Please wait ten minutes" in response.content.decode()
    assert RSVP.objects.filter(event=event).count() == 2
    assert len(mail.outbox) == sent


def test_newsletter_sign_ups_are_limited_per_address(client, db, settings):
    settings.ANONYMOUS_RATE_LIMITS = LIMITS
    for number in range(2):
        client.post(
            "/library/newsletter/", {"email": f"reader{number}@example.org", "language": "en"}
        )
    sent = len(mail.outbox)
    response = client.post("/library/newsletter/", {"email": "flood@example.org", "language": "en"})
    assert response.status_code == 429
    assert 'value="flood@example.org"' in response.content.decode()
    assert not Subscriber.objects.filter(email="flood@example.org").exists()
    assert len(mail.outbox) == sent
