"""The demo tells the issue's story: a health system's commitment with progress, a
certified community health worker, and referrals across sectors at every status."""

import random

import pytest

from kindred.accounts import demo as accounts_demo
from kindred.network import demo as network_demo
from kindred.systems import demo, services
from kindred.systems.models import Certificate, Commitment, Enrolment, Referral, Service

pytestmark = pytest.mark.slow


@pytest.fixture
def seeded(db):
    for module in (accounts_demo, network_demo, demo):
        module.seed(random.Random(f"2026:{module.__name__}"), "small")


def test_the_demo_story(seeded, client):
    system = Commitment.objects.get(title__startswith="Offer relational-health observation")
    assert system.organization.name == "Green Country Health System"
    assert system.percent > 0 and system.partners.exists()
    body = client.get("/systems/commitments/").content.decode()
    assert "Offer relational-health observation" in body
    assert Service.objects.count() > 20
    certificate = Certificate.objects.get(enrolment__user__email="chw@demo.kindred.test")
    assert client.get(f"/systems/certificates/{certificate.code}/").status_code == 200
    open_path = Enrolment.objects.get(user__email="chw@demo.kindred.test", completed_at=None)
    assert services.modules_left(open_path)
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"sent", "accepted", "declined", "completed", "could_not_reach"} <= statuses
    figures = services.referral_metrics()
    assert figures["crossing"] > 0 and figures["median_hours_to_accept"] is not None
    inbox = Referral.objects.filter(to_organization__name="Tulsa Family Connections", status="sent")
    assert inbox.exists()
    # Seeding again adds nothing.
    before = Referral.objects.count()
    demo.seed(random.Random(1), "small")
    assert Referral.objects.count() == before
