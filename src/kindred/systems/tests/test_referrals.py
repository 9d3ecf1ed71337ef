from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.systems import services
from kindred.systems.fhir import referral_bundle
from kindred.systems.models import Referral, ReferralEvent
from kindred.systems.services import SystemsError

SHARED = {
    "first_name": "Ana",
    "language": "es",
    "child_age_months": 4,
    "contact_method": "phone",
    "phone": "918-555-0199",
}


def send(clinic, service, user, **overrides):
    values = {
        "created_by": user,
        "from_organization": clinic,
        "service": service,
        "subject_kind": "family",
        "subject_ref": "fam-1",
        "shared_info": dict(SHARED),
        "consent_to_share": True,
        "urgency": "soon",
        "note": "Loves to sing.",
    }
    values.update(overrides)
    return services.create_referral(**values)


def test_a_referral_is_sent_with_sectors_state_and_an_email(clinic, service, bob, rosa):
    referral = send(clinic, service, bob)
    assert referral.status == "sent"
    assert referral.to_organization == service.organization
    assert (referral.from_sector.slug, referral.to_sector.slug) == ("health-care", "home-visiting")
    assert referral.crosses_sectors and referral.state.usps == "OK"
    assert referral.due_at - referral.created == timedelta(days=3)
    assert referral.events.get().status == "sent"
    # The receiving program's admin is told, without the family's details.
    assert [m.to for m in mail.outbox] == [[rosa.email]]
    assert "Ana" not in mail.outbox[0].body and "918-555" not in mail.outbox[0].body


def test_a_referral_without_consent_is_refused_and_nothing_is_saved(clinic, service, bob):
    with pytest.raises(SystemsError) as caught:
        send(clinic, service, bob, consent_to_share=False)
    assert "agreed to share" in str(caught.value)
    assert not Referral.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("shared", "message"),
    [
        ({**SHARED, "diagnosis": "x"}, "Only a first name"),
        ({**SHARED, "first_name": ""}, "first name or initials"),
        ({**SHARED, "child_age_months": 99}, "from 0 to 72"),
        ({**SHARED, "phone": "call me"}, "phone number"),
        ({"first_name": "A", "contact_method": "email", "email": "nope"}, "email address"),
    ],
)
def test_only_the_minimum_necessary_information_is_accepted(clinic, service, bob, shared, message):
    with pytest.raises(SystemsError, match=message):
        send(clinic, service, bob, shared_info=shared)
    assert not Referral.objects.exists()


def test_only_members_of_the_sending_organization_may_send(clinic, service, charlie):
    with pytest.raises(PermissionDenied):
        send(clinic, service, charlie)


def test_an_inactive_service_takes_no_referrals(clinic, service, bob):
    service.status = "inactive"
    service.save(update_fields=["status"])
    with pytest.raises(SystemsError, match="not taking referrals"):
        send(clinic, service, bob)


def test_the_receiver_accepts_and_completes_and_both_see_history(
    clinic, service, bob, rosa, client_as
):
    referral = send(clinic, service, bob)
    mail.outbox.clear()
    receiver = client_as(rosa)
    response = receiver.post(f"/systems/referrals/{referral.pk}/move/", {"status": "accepted"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.accepted_at
    assert [m.to for m in mail.outbox] == [[bob.email]]  # the sender hears back
    receiver.post(f"/systems/referrals/{referral.pk}/move/", {"status": "completed"})
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.closed_at and referral.due_at is None
    for user in (bob, rosa):
        body = client_as(user).get(referral.get_absolute_url()).content.decode()
        assert "Completed" in body and "Accepted" in body
    assert AuditEvent.objects.filter(verb="referral.viewed").count() == 2


def test_completing_a_declined_referral_is_refused(clinic, service, bob, rosa, client_as):
    referral = send(clinic, service, bob)
    receiver = client_as(rosa)
    response = receiver.post(f"/systems/referrals/{referral.pk}/move/", {"status": "declined"})
    assert response.status_code == 422
    assert "Say why you are declining" in response.content.decode()
    receiver.post(
        f"/systems/referrals/{referral.pk}/move/",
        {"status": "declined", "reason": "We serve Creek County only"},
    )
    response = receiver.post(f"/systems/referrals/{referral.pk}/move/", {"status": "completed"})
    assert response.status_code == 422
    assert "already closed" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert referral.decline_reason == "We serve Creek County only"
    assert ReferralEvent.objects.filter(referral=referral).count() == 2


def test_the_sender_may_withdraw_but_not_accept(clinic, service, bob, client_as):
    referral = send(clinic, service, bob)
    sender = client_as(bob)
    with pytest.raises(PermissionDenied):
        services.move_referral(referral=referral, actor=bob, status="accepted")
    response = sender.post(f"/systems/referrals/{referral.pk}/move/", {"status": "cancelled"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "cancelled"


def test_outsiders_cannot_see_or_move_a_referral(clinic, service, bob, charlie, client_as):
    referral = send(clinic, service, bob)
    outsider = client_as(charlie)
    assert outsider.get(referral.get_absolute_url()).status_code == 404
    assert (
        outsider.post(f"/systems/referrals/{referral.pk}/move/", {"status": "accepted"}).status_code
        == 404
    )
    assert outsider.get(f"/systems/referrals/{referral.pk}/fhir.json").status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_moves_are_post_only(clinic, service, bob, rosa, client_as):
    referral = send(clinic, service, bob)
    assert client_as(rosa).get(f"/systems/referrals/{referral.pk}/move/").status_code == 405


def test_the_inbox_flags_overdue_referrals_and_filters(
    clinic, service, bob, rosa, client_as, django_assert_max_num_queries
):
    late = send(clinic, service, bob, now=timezone.now() - timedelta(days=10))
    send(clinic, service, bob, shared_info={**SHARED, "first_name": "Bea"})
    receiver = client_as(rosa)
    with django_assert_max_num_queries(12):
        body = receiver.get("/systems/referrals/").content.decode()
    assert "Ana" in body and "Bea" in body and "Overdue" in body
    body = receiver.get("/systems/referrals/?overdue=on").content.decode()
    assert "Ana" in body and "Bea" not in body
    assert late.is_overdue
    htmx = receiver.get("/systems/referrals/?status=open", HTTP_HX_REQUEST="true")
    assert b"<html" not in htmx.content and b"Bea" in htmx.content


def test_the_sent_box_shows_the_senders_referrals_only(clinic, service, bob, rosa, client_as):
    send(clinic, service, bob)
    assert "Ana" in client_as(bob).get("/systems/referrals/sent/").content.decode()
    assert "Ana" not in client_as(rosa).get("/systems/referrals/sent/").content.decode()


def test_a_sender_outside_any_organization_still_follows_what_they_sent(
    clinic, service, client_as, django_user_model
):
    # e.g. a site clinician referring from a visit without being a member of the network
    # organization behind the site.
    nurse = django_user_model.objects.create_user(email="nurse@example.org", password="x" * 12)
    other = django_user_model.objects.create_user(email="other@example.org", password="x" * 12)
    send(clinic, service, nurse, sender_verified=True)  # as observe does for site staff
    body = client_as(nurse).get("/systems/referrals/sent/").content.decode()
    assert "Ana" in body and "You sent 1 referral" in body
    body = client_as(other).get("/systems/referrals/sent/").content.decode()
    assert "Ana" not in body and "You sent 0 referrals" in body
    # The received box is about organizations only.
    assert "Ana" not in client_as(nurse).get("/systems/referrals/").content.decode()


def test_a_member_refers_a_family_from_the_directory(clinic, service, bob, client_as):
    client = client_as(bob)
    url = f"/systems/services/{service.pk}/refer/"
    assert client.get(url).status_code == 200
    data = {
        "organization": clinic.pk,
        "subject_kind": "family",
        "first_name": "J.",
        "language": "en",
        "child_age_months": "7",
        "contact_method": "text",
        "phone": "918 555 0123",
        "urgency": "routine",
        "note": "",
    }
    response = client.post(url, data)  # no consent ticked
    assert response.status_code == 422
    assert "has not agreed to share" in response.content.decode()
    assert 'value="J."' in response.content.decode()  # what was typed is kept
    assert not Referral.objects.exists()
    response = client.post(url, {**data, "consent_to_share": "on"})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.shared_info == {
        "first_name": "J.",
        "language": "en",
        "child_age_months": 7,
        "contact_method": "text",
        "phone": "918 555 0123",
    }
    assert referral.subject_ref.startswith("k-")


def test_a_member_can_refer_themselves(clinic, service, bob, client_as):
    client_as(bob).post(
        f"/systems/services/{service.pk}/refer/",
        {
            "organization": clinic.pk,
            "subject_kind": "member",
            "first_name": "Bob",
            "contact_method": "email",
            "email": "bob@example.org",
            "urgency": "routine",
            "consent_to_share": "on",
        },
    )
    referral = Referral.objects.get()
    assert (referral.subject_kind, referral.subject_ref) == ("member", str(bob.pk))


def test_the_fhir_export_is_a_valid_service_request_and_task(clinic, service, bob, rosa, client_as):
    referral = send(clinic, service, bob)
    services.move_referral(referral=referral, actor=rosa, status="declined", reason="Full")
    response = client_as(bob).get(f"/systems/referrals/{referral.pk}/fhir.json")
    bundle = response.json()
    assert response["Content-Type"] == "application/fhir+json"
    request, task = (entry["resource"] for entry in bundle["entry"])
    assert request["resourceType"] == "ServiceRequest" and request["status"] == "revoked"
    assert request["priority"] == "urgent"
    assert task["resourceType"] == "Task" and task["status"] == "rejected"
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.pk}"
    assert task["statusReason"]["text"] == "Full"
    assert "918-555" not in str(bundle)  # contact details stay in Kindred
    referral_bundle(Referral.objects.get(), base_url="https://k.example.org")  # validates


def test_metrics_count_sector_pairs_time_to_accept_and_completion(clinic, service, bob, rosa):
    now = timezone.now()
    for n in range(12):
        referral = send(clinic, service, bob, now=now - timedelta(hours=10))
        if n < 10:
            services.move_referral(referral=referral, actor=rosa, status="accepted", now=now)
        if n < 6:
            services.move_referral(referral=referral, actor=rosa, status="completed", now=now)
    figures = services.referral_metrics()
    assert figures["total"] == 12 and figures["crossing"] == 12
    assert figures["pairs"][0]["crosses"] is True
    assert figures["median_hours_to_accept"] == 10.0
    assert figures["completion_rate"] == 60  # 6 of the 10 answered
    body = pytest.importorskip("django.test").Client().get("/systems/referrals/metrics/?state=OK")
    assert "12" in body.content.decode() and "60%" in body.content.decode()


def test_public_metrics_hide_small_counts(client, clinic, service, bob):
    send(clinic, service, bob)
    body = client.get("/systems/referrals/metrics/").content.decode()
    assert "fewer than 11" in body
    data = client.get("/api/systems/referrals/metrics").json()
    assert data["total"] == "fewer than 11" and data["completion_rate"] is None
