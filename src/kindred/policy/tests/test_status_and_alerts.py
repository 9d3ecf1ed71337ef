from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.policy import services, tasks
from kindred.policy.models import Policy, StatusChange, Subscription
from kindred.policy.tests.factories import jurisdiction, make_policy, topic

URL = "/policy/p/ok-paid-leave/status/"
CHANGE = {
    "status": "in_committee",
    "date": "2026-02-01",
    "source_title": "Oklahoma Senate journal",
    "source_url": "https://example.org/journal",
    "note_en": "Referred to committee.",
    "note_es": "Enviado a comisión.",
}


@pytest.fixture
def policy(db):
    return make_policy()


def subscriber(email, **kwargs):
    subscription, _ = services.subscribe(email=email, **kwargs)
    services.confirm_subscription(subscription)
    mail.outbox.clear()
    return subscription


def test_staff_record_a_change_with_a_source_and_subscribers_hear(client_as, staff, policy):
    subscriber("topic@example.org", topic=topic())
    subscriber("state@example.org", jurisdiction=jurisdiction("OK"))
    subscriber("es@example.org", language="es")
    subscriber("other-topic@example.org", topic=topic("doula-care"))
    subscriber("other-state@example.org", jurisdiction=jurisdiction("TX"))
    response = client_as(staff).post(URL, CHANGE)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.status, policy.status_date) == ("in_committee", date(2026, 2, 1))
    assert policy.last_verified == timezone.localdate()
    change = StatusChange.objects.get(status="in_committee")
    assert change.source_url == "https://example.org/journal"
    assert change.recorded_by == staff
    assert {m.to[0] for m in mail.outbox} == {
        "topic@example.org", "state@example.org", "es@example.org"
    }  # fmt: skip
    english = next(m for m in mail.outbox if m.to == ["topic@example.org"])
    assert english.subject == "Oklahoma paid leave: In committee"
    assert "Oklahoma Senate journal" in english.body
    assert "/policy/alerts/" in english.extra_headers["List-Unsubscribe"]
    spanish = next(m for m in mail.outbox if m.to == ["es@example.org"])
    assert spanish.subject == "Licencia pagada de Oklahoma: En comisión"
    assert "Enviado a comisión." in spanish.body
    assert AuditEvent.objects.filter(verb="policy.status_changed").count() == 1


def test_seeded_history_does_not_claim_a_check_today(policy):
    assert policy.last_verified is None


def test_a_change_without_a_source_is_refused(client_as, staff, policy):
    response = client_as(staff).post(URL, CHANGE | {"source_title": ""})
    assert response.status_code == 422
    assert "Source" in response.content.decode()
    assert StatusChange.objects.count() == 1
    assert Policy.objects.get().status == "introduced"


def test_a_change_in_the_future_is_refused(client_as, staff, policy):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as(staff).post(URL, CHANGE | {"date": tomorrow})
    assert response.status_code == 422
    assert StatusChange.objects.count() == 1


def test_an_older_step_fills_the_history_without_changing_status(client_as, staff, policy):
    subscriber("topic@example.org", topic=topic())
    client_as(staff).post(URL, CHANGE | {"status": "proposed", "date": "2025-12-01"})
    assert Policy.objects.get().status == "introduced"
    assert StatusChange.objects.count() == 2
    assert mail.outbox == []


def test_only_staff_record_changes(client, client_as, bob, policy):
    assert client.post(URL, CHANGE).status_code == 302  # to sign-in
    assert client_as(bob).post(URL, CHANGE).status_code == 403
    assert client_as(bob).get(URL).status_code == 405
    assert StatusChange.objects.count() == 1


def test_staff_see_the_form_on_the_policy_page(client_as, staff, policy):
    assert (
        "Record a status change" in client_as(staff).get(policy.get_absolute_url()).content.decode()
    )


def test_a_visitor_subscribes_and_must_confirm(client, policy):
    response = client.post(
        "/policy/alerts/",
        {"email": "new@example.org", "topic": topic().pk, "frequency": "immediate"},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    assert mail.outbox[0].to == ["new@example.org"]
    assert subscription.token in mail.outbox[0].body
    confirm = f"/policy/alerts/{subscription.token}/confirm/"
    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_confirmed  # a GET (a mail scanner) confirms nothing
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_a_member_subscribing_their_own_address_is_confirmed_at_once(client_as, bob, policy):
    client_as(bob).post(
        "/policy/alerts/",
        {"email": "bob@example.org", "jurisdiction": jurisdiction("OK").pk,
         "frequency": "weekly"},
    )  # fmt: skip
    subscription = Subscription.objects.get()
    assert subscription.is_confirmed and subscription.user == bob
    assert mail.outbox == []


def test_a_bad_subscription_keeps_the_form(client, policy):
    response = client.post("/policy/alerts/", {"email": "not-an-email", "frequency": "daily"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_unsubscribing_deletes_the_subscription(client, policy):
    subscription = subscriber("leave@example.org")
    page = f"/policy/alerts/{subscription.token}/"
    assert "leave@example.org" in client.get(page).content.decode()
    client.post(page)
    assert not Subscription.objects.exists()


def test_the_weekly_digest_lists_changes_since_the_last_one(policy):
    subscription = subscriber("weekly@example.org", frequency="weekly", topic=topic())
    services.record_status_change(
        policy, status="in_committee", date=date(2026, 2, 1), source_title="Senate journal"
    )
    assert mail.outbox == []  # weekly subscribers get no immediate email
    assert tasks.send_weekly_digests.call() == 1
    assert "Oklahoma paid leave" in mail.outbox[0].body
    assert "Senate journal" in mail.outbox[0].body
    subscription.refresh_from_db()
    assert subscription.last_digest_at is not None
    assert tasks.send_weekly_digests.call() == 0  # nothing new since


def test_the_atom_feed_lists_changes(client, policy):
    response = client.get("/policy/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Oklahoma paid leave (Oklahoma): Introduced</title>" in body
    assert client.get("/policy/feed.atom?topic=doula-care").content.decode().count("<entry>") == 0


def test_the_icalendar_feed_has_each_hearing(client, policy):
    starts = timezone.now() + timedelta(days=3)
    services.add_hearing(policy, title="Committee hearing; public, welcome", starts_at=starts,
                         location="Room 5, Capitol")  # fmt: skip
    response = client.get("/policy/hearings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Committee hearing\\; public\\, welcome\r\n" in body
    assert "LOCATION:Room 5\\, Capitol" in body
    assert f"DTSTART:{starts.astimezone(__import__('datetime').UTC):%Y%m%dT%H%M%SZ}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_an_alert_task_run_again_sends_only_what_is_missing(client_as, staff, policy):
    from kindred.policy.models import AlertDelivery

    first = subscriber("first@example.org", topic=topic())
    subscriber("second@example.org", jurisdiction=jurisdiction("OK"))
    client_as(staff).post(URL, CHANGE)
    change = StatusChange.objects.get(status="in_committee")
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert AlertDelivery.objects.filter(change=change).count() == 2

    # The worker died after the first email: only its delivery had been recorded.
    AlertDelivery.objects.exclude(subscription=first).delete()
    mail.outbox.clear()
    assert tasks.notify_status_change.call(change.pk) == 1
    assert [m.to[0] for m in mail.outbox] == ["second@example.org"]
    # And once everything went out, a rerun sends nothing.
    assert tasks.notify_status_change.call(change.pk) == 0
    assert len(mail.outbox) == 1
