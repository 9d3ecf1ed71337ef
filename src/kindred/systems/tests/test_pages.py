"""Every systems page renders for the people who may see it (and the layout holds)."""

from datetime import date

import pytest

from kindred.systems import services
from kindred.systems.tests.factories import make_path


@pytest.fixture
def world(clinic, program, service, alice, bob):
    commitment = services.create_commitment(
        actor=alice,
        organization=clinic,
        kind="data",
        title="Close the loop",
        milestones=[("Start", date(2026, 1, 1))],
    )
    path = make_path()
    referral = services.create_referral(
        created_by=bob,
        from_organization=clinic,
        service=service,
        subject_kind="family",
        subject_ref="x",
        shared_info={"first_name": "Ana"},
        consent_to_share=True,
        urgency="routine",
        note="",
    )
    return {"commitment": commitment, "path": path, "referral": referral}


def test_public_pages_render(client, world, service):
    commitment, path = world["commitment"], world["path"]
    for url in [
        "/systems/",
        "/systems/commitments/",
        "/systems/commitments/map/",
        commitment.get_absolute_url(),
        "/systems/learning/",
        path.get_absolute_url(),
        "/systems/learning/competencies/",
        f"/systems/learning/{path.slug}/modules/1/",
        "/systems/services/",
        service.get_absolute_url(),
        "/systems/certificates/",
        "/systems/referrals/metrics/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<h1" in response.content


def test_member_and_admin_pages_render(client_as, world, clinic, program, service, alice, rosa):
    admin = client_as(alice)
    for url in [
        "/systems/",
        "/systems/commitments/new/",
        world["commitment"].get_absolute_url(),
        f"/systems/organizations/{clinic.slug}/services/",
        f"/systems/organizations/{clinic.slug}/services/new/",
        f"/systems/organizations/{clinic.slug}/services/import/",
        f"/systems/organizations/{clinic.slug}/learning/",
        f"/systems/services/{service.pk}/refer/",
        "/systems/referrals/sent/",
    ]:
        assert admin.get(url).status_code == 200, url
    receiver = client_as(rosa)
    for url in [
        f"/systems/services/{service.pk}/edit/",
        "/systems/referrals/",
        world["referral"].get_absolute_url(),
    ]:
        assert receiver.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in_for_private_pages(client, world, service):
    for url in [
        "/systems/referrals/",
        world["referral"].get_absolute_url(),
        "/systems/commitments/new/",
        f"/systems/services/{service.pk}/refer/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
