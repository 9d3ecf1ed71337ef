"""Families: register, see, edit, consent; the access rule (site staff only)."""

import datetime as dt

from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.observe.models import Consent, Family


def _form(**overrides):
    data = {
        "caregiver_name": "María López",
        "caregiver_relationship": "mother",
        "child_name": "Sofía",
        "child_dob": (timezone.localdate() - dt.timedelta(days=70)).isoformat(),
        "due_date": "",
        "gestational_age_weeks": "",
        "language": "es",
        "contact_preference": "text",
        "phone": "555-0101",
        "email": "",
    }
    data.update(overrides)
    return data


def test_clinician_registers_a_family(client_as, staff, site):
    response = client_as(staff["clinician"]).post(
        f"/observe/sites/{site.slug}/families/new/", _form()
    )
    family = Family.objects.get()
    assert response.status_code == 302 and response.url == family.get_absolute_url()
    assert family.site == site and family.language == "es"
    event = AuditEvent.objects.get(verb="family.created")
    assert event.target_label == f"Family {family.code}"  # never a name in the log
    assert "María" not in str(event.details)


def test_bad_family_input_keeps_what_was_typed(client_as, staff, site):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client_as(staff["clinician"]).post(
        f"/observe/sites/{site.slug}/families/new/",
        _form(child_dob=future, gestational_age_weeks="12"),
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    assert "between 22 and 44" in response.text
    assert "María López" in response.text
    assert not Family.objects.exists()


def test_read_only_staff_cannot_register(client_as, staff, site):
    response = client_as(staff["read_only"]).post(
        f"/observe/sites/{site.slug}/families/new/", _form()
    )
    assert response.status_code == 403
    assert not Family.objects.exists()


def test_family_page_is_audited_with_ip(client_as, staff, family):
    response = client_as(staff["read_only"]).get(
        f"/observe/families/{family.pk}/", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.filter(verb="family.viewed").latest("created")
    assert event.actor == staff["read_only"] and event.details["ip"] == "10.1.2.3"


def test_other_sites_family_is_404_with_an_audit_entry(client_as, staff, family):
    response = client_as(staff["outsider"]).get(f"/observe/families/{family.pk}/")
    assert response.status_code == 404
    denied = AuditEvent.objects.get(verb="observe.access_denied")
    assert denied.actor == staff["outsider"] and denied.details["id"] == str(family.pk)


def test_network_staff_see_no_family_unless_site_staff(client_as, family, django_user_model):
    from kindred.observe.tests.factories import with_totp

    admin = with_totp(django_user_model.objects.create_user("net@example.org", "x", is_staff=True))
    assert client_as(admin).get(f"/observe/families/{family.pk}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, family):
    response = client.get(f"/observe/families/{family.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_site_staff_must_set_up_mfa(client_as, site, django_user_model):
    from kindred.observe.services import add_site_member

    newcomer = django_user_model.objects.create_user("new@example.org", "x")
    add_site_member(site, newcomer, role="clinician")
    assert newcomer.must_use_mfa
    response = client_as(newcomer).get(f"/observe/sites/{site.slug}/")
    assert response.status_code == 302 and "mfa" in response.url


def test_consent_is_recorded_and_withdrawn(client_as, staff, family):
    client = client_as(staff["clinician"])
    url = f"/observe/families/{family.pk}/consents/"
    client.post(url, {"kind": "research", "granted": "yes", "version": "2026-1"})
    consent = Consent.objects.get()
    assert consent.recorded_by == staff["clinician"] and family.allows("research")
    client.post(f"{url}{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not family.allows("research")


def test_consent_needs_post(client_as, staff, family):
    assert (
        client_as(staff["clinician"]).get(f"/observe/families/{family.pk}/consents/").status_code
        == 405
    )


def test_corrected_age_for_a_baby_born_early(site, staff):
    from kindred.observe.tests.factories import make_family

    family = make_family(site, age_days=70, gestational_age_weeks=32)
    assert family.age_days() == 70 and family.corrected_age_days() == 14
    assert family.is_preterm


def test_family_list_bounded_queries(client_as, staff, site, django_assert_max_num_queries):
    from kindred.observe.tests.factories import make_family

    for n in range(30):
        make_family(site, caregiver_name=f"Caregiver {n}")
    client = client_as(staff["clinician"])
    with django_assert_max_num_queries(12):
        response = client.get(f"/observe/sites/{site.slug}/families/")
    assert response.status_code == 200 and "30 families" in response.text
    htmx = client.get(f"/observe/sites/{site.slug}/families/?q=Caregiver 1", HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.text and "Caregiver 1" in htmx.text


def test_research_use_follows_the_latest_consent(staff, site, family):
    from kindred.observe.services import record_consent, withdraw_consent
    from kindred.observe.tests.factories import make_family

    other = make_family(site)
    record_consent(other, kind="research", granted=False, version="1", by=staff["clinician"])
    consent = record_consent(
        family, kind="research", granted=True, version="1", by=staff["clinician"]
    )
    assert list(Family.objects.with_research_consent()) == [family]
    withdraw_consent(consent, by=staff["clinician"])
    assert not Family.objects.with_research_consent().exists()


def test_openapi_schema_lists_the_observe_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/observe/instruments",
        "/api/observe/score",
        "/api/observe/instruments/{slug}/questionnaire",
        "/api/observe/instruments/{slug}/redcap",
    } <= paths
