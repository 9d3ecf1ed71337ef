"""A clinician refers a family from a visit's result page; the program sees it in its inbox."""

from kindred.core.models import AuditEvent
from kindred.observe.tests.factories import add_staff, make_encounter, make_family, make_site
from kindred.systems.models import Referral
from kindred.systems.tests.factories import make_org, make_service


def _setup(alice, bob):
    site = make_site("Riverside Pediatrics")
    add_staff(site, alice)
    family = make_family(
        site,
        by=alice,
        caregiver_name="Ana Torres",
        phone="918-555-0199",
        contact_preference="phone",
    )
    encounter = make_encounter(family, alice, "phq-9")
    program = make_org("Tulsa Family Support", admin=bob, sectors=("community-services",))
    service = make_service(program, bob)
    return encounter, family, service


def test_a_clinician_sends_a_referral_with_the_familys_consent(alice, bob, client_as):
    encounter, family, service = _setup(alice, bob)
    response = client_as(alice).post(
        f"/observe/visits/{encounter.pk}/referral/",
        {"service": service.pk, "urgency": "routine", "consent_to_share": "yes", "note": "Hi"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.service == service and referral.subject_ref == family.code
    # Only the minimum: a first name, never the full name or the child's birth date.
    assert referral.shared_info["first_name"] == "Ana"
    assert "Torres" not in str(referral.shared_info)
    assert AuditEvent.objects.filter(verb="referral.sent").exists()


def test_without_consent_nothing_is_sent(alice, bob, client_as):
    encounter, _family, service = _setup(alice, bob)
    response = client_as(alice).post(
        f"/observe/visits/{encounter.pk}/referral/", {"service": service.pk}, follow=True
    )
    assert Referral.objects.count() == 0
    assert "has not agreed to share" in response.content.decode()


def test_another_sites_clinician_cannot_refer_this_family(alice, bob, charlie, client_as):
    encounter, _family, service = _setup(alice, bob)
    other = make_site("Other Clinic")
    add_staff(other, charlie)
    response = client_as(charlie).post(
        f"/observe/visits/{encounter.pk}/referral/",
        {"service": service.pk, "consent_to_share": "yes"},
    )
    assert response.status_code == 404
    assert Referral.objects.count() == 0
