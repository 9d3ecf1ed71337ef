"""Events: hosting and review, RSVPs with a waitlist, notices, calendars and JSON-LD."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.utils import timezone

from kindred.library import services
from kindred.library.models import RSVP, Event, TrustedHost
from kindred.library.tests.factories import community_with, make_event
from kindred.network.tests.factories import make_organization


@pytest.fixture
def community(alice, bob):
    """alice organizes; bob is a member; charlie is an outsider."""
    return community_with(alice, bob)


def event_form(community, **overrides) -> dict:
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    data = {
        "host": f"community:{community.pk}" if community else "",
        "title": "Storytime in Spanish",
        "description": "Cuentos y canciones para bebés.",
        "mode": "in_person",
        "venue_name": "Central Library",
        "address": "400 Civic Center",
        "zip": "74103",
        "start": f"{day}T10:00",
        "end": f"{day}T11:00",
        "timezone": "America/Chicago",
        "capacity": "20",
        "language": "es",
    }
    data.update(overrides)
    return data


def test_organizer_publishes_at_once_with_place_and_time_zone(client_as, alice, community):
    response = client_as(alice).post("/library/events/new/", event_form(community))
    event = Event.objects.get()
    assert response.status_code == 302 and event.status == "scheduled"
    assert event.host_community == community and event.approved_by == alice
    assert event.state.usps == "OK" and event.zip_code_id == "74103"
    # 10:00 in Chicago, stored in UTC.
    assert event.local_start.hour == 10 and event.starts_at.utcoffset() == dt.timedelta(0)


def test_member_proposes_and_organizer_approves(client, client_as, alice, bob, community):
    client_as(bob).post("/library/events/new/", event_form(community, title="Dads' walk"))
    event = Event.objects.get()
    assert event.status == "proposed"
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Dads&#x27; walk" in client_as(alice).get("/library/events/review/").content.decode()
    mail.outbox.clear()
    client_as(alice).post(f"{event.get_absolute_url()}approve/", {"trust": "1"})
    event.refresh_from_db()
    assert event.status == "scheduled" and event.approved_by == alice
    assert mail.outbox[0].to == [bob.email]
    # bob is now a trusted host: his next event skips review.
    assert TrustedHost.objects.filter(user=bob, community=community).exists()
    client_as(bob).post("/library/events/new/", event_form(community, title="Second walk"))
    assert Event.objects.get(title="Second walk").status == "scheduled"


def test_member_cannot_approve_and_decline_needs_a_note(client_as, alice, bob, community):
    event = make_event(community, proposer=bob)
    assert event.status == "proposed"
    assert client_as(bob).post(f"{event.get_absolute_url()}approve/").status_code == 403
    response = client_as(alice).post(
        f"{event.get_absolute_url()}decline/", {"note": ""}, follow=True
    )
    assert "Please tell the host why" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "proposed"
    client_as(alice).post(f"{event.get_absolute_url()}decline/", {"note": "Same day as our fair."})
    event.refresh_from_db()
    assert event.status == "declined" and event.review_note == "Same day as our fair."


def test_outsider_without_a_community_is_told_to_join_one(client_as, charlie, community):
    response = client_as(charlie).get("/library/events/new/")
    assert response.status_code == 403 and "Join a community first" in response.content.decode()


def test_outsider_cannot_post_to_a_community_they_are_not_in(client_as, charlie, community):
    community_with(charlie, name="Charlie's circle")  # charlie may host there only
    response = client_as(charlie).post("/library/events/new/", event_form(community))
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "2020-01-01T09:00"}, "must end after it starts"),
        ({"start": "2020-01-01T09:00", "end": "2020-01-01T10:00"}, "time in the future"),
        ({"mode": "online", "online_url": ""}, "needs a meeting link"),
        ({"venue_name": "", "address": ""}, "say where people should come"),
        ({"zip": "00000"}, "do not know this ZIP code"),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"capacity": "-3"}, "greater than or equal to 0"),
    ],
)
def test_bad_event_input_is_explained(client_as, alice, community, overrides, message):
    response = client_as(alice).post("/library/events/new/", event_form(community, **overrides))
    body = response.content.decode()
    assert message in body and "Storytime in Spanish" in body
    assert not Event.objects.exists()


def test_rsvp_over_capacity_goes_to_waitlist_and_is_promoted(
    client, client_as, alice, bob, charlie, community
):
    event = make_event(community, proposer=alice, capacity=1)
    client_as(bob).post(f"{event.get_absolute_url()}rsvp/")
    response = client_as(charlie).post(f"{event.get_absolute_url()}rsvp/", follow=True)
    assert "you are on the waitlist" in response.content.decode()
    client.post(
        f"{event.get_absolute_url()}rsvp/", {"name": "Guest Gina", "email": "gina@example.org"}
    )
    statuses = dict(event.rsvps.values_list("email", "status"))
    assert statuses == {
        bob.email: "going",
        charlie.email: "waitlisted",
        "gina@example.org": "waitlisted",
    }
    mail.outbox.clear()
    client_as(bob).post(f"{event.get_absolute_url()}rsvp/cancel/")
    statuses = dict(event.rsvps.values_list("email", "status"))
    # The first on the waitlist moves up, and only them.
    assert statuses == {
        bob.email: "cancelled",
        charlie.email: "going",
        "gina@example.org": "waitlisted",
    }
    assert [message.to for message in mail.outbox] == [[charlie.email]]
    assert "A place opened for you" in mail.outbox[0].subject


def test_rsvp_twice_makes_no_duplicate(client_as, alice, bob, community):
    event = make_event(community, proposer=alice)
    for _attempt in range(2):
        client_as(bob).post(f"{event.get_absolute_url()}rsvp/")
    assert event.rsvps.count() == 1


def test_guest_rsvp_needs_name_and_email_and_gets_a_manage_link(client, alice, community):
    event = make_event(community, proposer=alice, mode="online")
    response = client.post(f"{event.get_absolute_url()}rsvp/", {"name": "", "email": "nope"})
    assert (
        response.status_code == 400 and "Enter a valid email address" in response.content.decode()
    )
    assert not event.rsvps.exists()
    client.post(f"{event.get_absolute_url()}rsvp/", {"name": "Gina", "email": "Gina@Example.org"})
    rsvp = event.rsvps.get()
    assert rsvp.email == "gina@example.org" and rsvp.status == "going"
    body = mail.outbox[-1].body
    assert event.online_url in body  # the meeting link goes to people with a place
    manage = re.search(r"http://127.0.0.1:8000(/library/rsvp/\S+)", body).group(1)
    client.post(manage)
    rsvp.refresh_from_db()
    assert rsvp.status == "cancelled"
    assert client.get(manage[:-3] + "xx/").status_code == 400


def test_meeting_link_is_only_for_people_with_a_place(client, client_as, alice, bob, community):
    event = make_event(community, proposer=alice, mode="online")
    assert event.online_url not in client.get(event.get_absolute_url()).content.decode()
    assert event.online_url not in client.get("/events.ics").content.decode()
    client_as(bob).post(f"{event.get_absolute_url()}rsvp/")
    assert event.online_url in client_as(bob).get(event.get_absolute_url()).content.decode()


def test_time_change_notifies_everyone_coming(client_as, alice, bob, community):
    event = make_event(community, proposer=alice)
    services.rsvp_to_event(event, email=bob.email, name="Bob", user=bob)
    mail.outbox.clear()
    form = event_form(community, title=event.title, description=event.description)
    del form["host"]
    day = (timezone.localdate() + dt.timedelta(days=12)).isoformat()
    form.update(start=f"{day}T15:00", end=f"{day}T16:00")
    client_as(alice).post(f"{event.get_absolute_url()}edit/", form)
    event.refresh_from_db()
    assert event.sequence == 1 and event.local_start.hour == 15
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert mail.outbox[0].subject.startswith("Changed:")


def test_cancellation_notifies_and_updates_calendars(
    client, client_as, alice, bob, charlie, community
):
    event = make_event(community, proposer=alice)
    services.rsvp_to_event(event, email=bob.email, name="Bob", user=bob)
    assert client_as(charlie).post(f"{event.get_absolute_url()}cancel/").status_code == 403
    mail.outbox.clear()
    client_as(alice).post(f"{event.get_absolute_url()}cancel/")
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert mail.outbox[0].to == [bob.email] and mail.outbox[0].subject.startswith("Cancelled:")
    feed = client.get("/events.ics").content.decode()
    assert "STATUS:CANCELLED" in feed and "SEQUENCE:1" in feed


def test_reminders_go_once_a_day_before(alice, bob, community):
    soon = make_event(community, proposer=alice, starts_in=dt.timedelta(hours=20))
    later = make_event(community, proposer=alice, title="Later", starts_in=dt.timedelta(days=5))
    for event in (soon, later):
        services.rsvp_to_event(event, email=bob.email, name="Bob", user=bob)
    mail.outbox.clear()
    assert services.send_due_reminders() == 1
    assert services.send_due_reminders() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Reminder:")
    assert RSVP.objects.get(event=soon).reminded_at


def test_site_feed_is_valid_icalendar(client, alice, community):
    event = make_event(
        community, proposer=alice, title="Songs, rhymes; and play", description="A " * 80
    )
    make_event(community, proposer=alice, title="Old one", starts_in=dt.timedelta(days=-400))
    response = client.get("/events.ics")
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert f"UID:{event.uid}@127.0.0.1" in body
    assert "SUMMARY:Songs\\, rhymes\\; and play" in body
    assert "Old one" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", body)


def test_community_feed_only_has_that_community(client, alice, community):
    other = community_with(alice, name="Other place")
    make_event(community, proposer=alice, title="Ours")
    make_event(other, proposer=alice, title="Theirs")
    body = client.get(f"/library/communities/{community.slug}/events.ics").content.decode()
    assert "SUMMARY:Ours" in body and "Theirs" not in body


def test_member_feed_is_secret_and_resettable(client, client_as, alice, bob, community):
    event = make_event(community, proposer=alice, mode="hybrid")
    services.rsvp_to_event(event, email=bob.email, name="Bob", user=bob)
    page = client_as(bob).get("/library/calendar/").content.decode()
    url = re.search(r"(/library/calendar/[\w-]+\.ics)", page).group(1)
    body = client.get(url).content.decode().replace("\r\n ", "")  # unfold long lines
    assert event.title in body and event.online_url in body
    client_as(bob).post("/library/calendar/")
    assert client.get(url).status_code == 404


def test_event_page_has_schema_org_json_ld(client, alice, community):
    event = make_event(community, proposer=alice, capacity=10, zip_code=None, address="1 Main St")
    page = client.get(event.get_absolute_url()).content.decode()
    block = (
        page.split('<script type="application/ld+json"', 1)[1]
        .split(">", 1)[1]
        .split("</script>")[0]
    )
    data = json.loads(block)
    assert data["@type"] == "Event" and data["name"] == event.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["organizer"]["name"] == community.name
    assert data["startDate"].endswith(("-05:00", "-06:00"))  # Chicago time


def test_add_to_calendar_for_one_event(client, alice, community):
    event = make_event(community, proposer=alice)
    response = client.get(f"{event.get_absolute_url()}event.ics")
    assert response.status_code == 200 and response.content.decode().count("BEGIN:VEVENT") == 1


def test_organization_hosts_events(client_as, alice, bob):
    organization = make_organization(admin=alice)
    response = client_as(alice).post(
        "/library/events/new/", event_form(None, host=f"organization:{organization.pk}")
    )
    event = Event.objects.get()
    assert response.status_code == 302 and event.host_organization == organization
    assert event.status == "scheduled"


def test_event_list_upcoming_past_and_mode(client, alice, community, django_assert_max_num_queries):
    make_event(community, proposer=alice, title="Online circle", mode="online")
    make_event(community, proposer=alice, title="Park meetup")
    make_event(community, proposer=alice, title="Last year", starts_in=dt.timedelta(days=-300))
    with django_assert_max_num_queries(8):
        body = client.get("/library/events/").content.decode()
    assert "Online circle" in body and "Park meetup" in body and "Last year" not in body
    body = client.get("/library/events/", {"mode": "online"}).content.decode()
    assert "Online circle" in body and "Park meetup" not in body
    assert "Last year" in client.get("/library/events/", {"when": "past"}).content.decode()


def test_reminder_command(alice, bob, community):
    from io import StringIO

    from django.core.management import call_command

    event = make_event(community, proposer=alice, starts_in=dt.timedelta(hours=3))
    services.rsvp_to_event(event, email=bob.email, name="Bob", user=bob)
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert out.getvalue().startswith("1 reminders queued")
