"""Partnerships, PARTNER-style ratings and survey rounds, through the pages.

alice administers Tulsa Family Center, bob administers Tulsa Pediatrics (its partner) and
charlie is a signed-in outsider.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.accounts.services import create_account
from kindred.core.models import AuditEvent
from kindred.network import partners
from kindred.network.models import (
    CommunityMembership,
    OrganizationMembership,
    Partnership,
    PartnershipRating,
    SurveyRound,
)
from kindred.network.tests.factories import make_community, make_member, make_organization

SCORES = {
    "trust_openness": "4",
    "trust_reliability": "3",
    "trust_shared_mission": "4",
    "value_influence": "2",
    "value_resources": "3",
    "value_involvement": "4",
}


@pytest.fixture
def orgs(alice, bob, charlie):
    center = make_organization("Tulsa Family Center", admin=alice)
    pediatrics = make_organization("Tulsa Pediatrics", admin=bob)
    library = make_organization("Tulsa Library Babies", admin=None)
    for user, org in ((alice, center), (bob, pediatrics), (charlie, None)):
        make_member(user, name=user.name, organization=org)
    return center, pediatrics, library


def record(client, org, partner_text, **extra):
    data = {"partner": partner_text, "types": ["referrals", "shared_programs"], **extra}
    return client.post(f"/network/organizations/{org.slug}/partners/new/", data, follow=True)


def test_an_admin_records_a_partnership_stored_once_in_order(client_as, alice, orgs):
    center, pediatrics, _library = orgs
    response = record(client_as(alice), pediatrics, "Tulsa Family Center")
    assert response.status_code == 403  # alice does not administer Tulsa Pediatrics
    response = record(client_as(alice), center, "tulsa pediatrics", notes="<b>Warm</b> handoffs")
    assert "Partnership with Tulsa Pediatrics recorded" in response.content.decode()
    partnership = Partnership.objects.get()
    assert (partnership.org_a, partnership.org_b) == Partnership.ordered(center, pediatrics)
    assert partnership.types == ["referrals", "shared_programs"]
    assert partnership.notes == "Warm handoffs" and partnership.created_by == alice
    assert AuditEvent.objects.filter(verb="partnership.recorded").exists()
    # the pages list it from either side, for anyone
    for org in (center, pediatrics):
        page = client_as(alice).get(f"/network/organizations/{org.slug}/partners/")
        assert page.status_code == 200
    assert (
        "Tulsa Family Center"
        in client_as(alice)
        .get(f"/network/organizations/{pediatrics.slug}/partners/")
        .content.decode()
    )


def test_recording_refuses_bad_input_and_changes_nothing(client_as, alice, bob, orgs):
    center, pediatrics, _library = orgs
    body = record(client_as(alice), center, "Nowhere Clinic").content.decode()
    assert "We could not find an organization called “Nowhere Clinic”" in body
    body = record(client_as(alice), center, "Tulsa Family Center").content.decode()
    assert "can&#x27;t be its own partner" in body
    body = (
        client_as(alice)
        .post(
            f"/network/organizations/{center.slug}/partners/new/", {"partner": "Tulsa Pediatrics"}
        )
        .content.decode()
    )
    assert "Choose at least one way you work together" in body
    assert 'value="Tulsa Pediatrics"' in body  # what was typed is kept
    assert not Partnership.objects.exists()
    record(client_as(alice), center, pediatrics.slug)
    body = record(client_as(bob), pediatrics, center.get_absolute_url()).content.decode()
    assert "already listed as a partner" in body
    assert Partnership.objects.count() == 1


def test_outsider_cannot_record_edit_or_end(client_as, charlie, alice, orgs):
    center, pediatrics, _library = orgs
    partnership = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["funding"]
    )
    outsider = client_as(charlie)
    assert record(outsider, center, "Tulsa Pediatrics").status_code == 403
    assert outsider.get(f"/network/partnerships/{partnership.pk}/edit/").status_code == 403
    assert outsider.post(f"/network/partnerships/{partnership.pk}/end/").status_code == 403
    assert outsider.get(f"/network/partnerships/{partnership.pk}/").status_code == 200
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_either_partner_edits_and_ends(client_as, alice, bob, orgs):
    center, pediatrics, _library = orgs
    partnership = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["funding"]
    )
    client_as(bob).post(
        f"/network/partnerships/{partnership.pk}/edit/",
        {"types": ["data_sharing"], "started": "2024-05-01", "notes": ""},
    )
    partnership.refresh_from_db()
    assert partnership.types == ["data_sharing"] and str(partnership.started) == "2024-05-01"
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    body = (
        client_as(bob)
        .post(
            f"/network/partnerships/{partnership.pk}/edit/",
            {"types": ["funding"], "started": future},
        )
        .content.decode()
    )
    assert "This date is in the future" in body
    partnership.refresh_from_db()
    assert partnership.types == ["data_sharing"]
    client_as(alice).post(f"/network/partnerships/{partnership.pk}/end/")
    assert not Partnership.objects.exists()


def test_each_side_rates_the_other_and_only_its_admins_see_the_answers(
    client_as, alice, bob, charlie, orgs
):
    center, pediatrics, _library = orgs
    partnership = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["referrals"]
    )
    url = f"/network/partnerships/{partnership.pk}/rate/{center.slug}/"
    assert client_as(bob).post(url, SCORES).status_code == 403  # bob answers for pediatrics
    assert client_as(charlie).get(url).status_code == 403
    client_as(alice).post(url, SCORES)
    rating = PartnershipRating.objects.get()
    assert (rating.rater_org, rating.rated_org) == (center, pediatrics)
    assert rating.trust == pytest.approx(11 / 3) and rating.value == 3
    # a second answer replaces the first
    client_as(alice).post(url, {**SCORES, "value_influence": "4"})
    assert PartnershipRating.objects.get().value_influence == 4
    page = client_as(alice).get(f"/network/partnerships/{partnership.pk}/").content.decode()
    assert "answers" in page and "ratings-caption" in page
    for other in (bob, charlie):
        page = client_as(other).get(f"/network/partnerships/{partnership.pk}/").content.decode()
        assert "ratings-caption" not in page  # one answer is never shown
        assert "Averages show once there are at least 3 ratings" in page


def test_rating_needs_every_answer_from_1_to_4(client_as, alice, orgs):
    center, pediatrics, _library = orgs
    partnership = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["referrals"]
    )
    url = f"/network/partnerships/{partnership.pk}/rate/{center.slug}/"
    body = client_as(alice).post(url, {**SCORES, "trust_openness": "5"}).content.decode()
    assert "Select a valid choice" in body
    body = client_as(alice).post(url, {"trust_openness": "3"}).content.decode()
    assert "Please choose an answer from 1 to 4" in body
    assert 'value="3" required id="id_trust_openness_2" checked' in body  # kept
    assert not PartnershipRating.objects.exists()


@pytest.fixture
def survey(alice, bob, charlie, orgs):
    """A community organized by charlie where alice's and bob's organizations take part."""
    center, pediatrics, library = orgs
    community = make_community("Tulsa County Families", organizer=charlie)
    for user in (alice, bob):
        CommunityMembership.objects.create(
            community=community, user=user, status="active", joined_at=timezone.now()
        )
    inside = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["referrals"]
    )
    # the library has no one in the community: this tie is not part of the round
    outside = partners.record_partnership(
        actor=alice, organization=center, partner=library, types=["funding"]
    )
    return community, inside, outside


def test_organizer_runs_a_round_and_sees_the_response_rate(
    client_as, alice, bob, charlie, orgs, survey
):
    community, inside, outside = survey
    assert (
        client_as(alice).get(f"/network/communities/{community.slug}/surveys/new/").status_code
        == 403
    )
    today = timezone.localdate()
    client_as(charlie).post(
        f"/network/communities/{community.slug}/surveys/new/",
        {"title": "Spring round", "opens": today.isoformat(), "closes": today.isoformat()},
    )
    survey_round = SurveyRound.objects.get()
    assert survey_round.created_by == charlie and survey_round.status == "open"
    page = client_as(charlie).get(f"/network/surveys/{survey_round.pk}/").content.decode()
    assert "0 of 2 organizations have rated all their partners" in page
    # alice's page lists her partner in the round, not the one outside it
    mine = client_as(alice).get(f"/network/surveys/{survey_round.pk}/").content.decode()
    assert "Tulsa Pediatrics" in mine and "Tulsa Library Babies" not in mine
    assert "Response rate" not in mine  # only organizers see it
    center = orgs[0]
    client_as(alice).post(
        f"/network/partnerships/{inside.pk}/rate/{center.slug}/",
        {**SCORES, "round": survey_round.pk},
    )
    assert PartnershipRating.objects.get().survey_round == survey_round
    page = client_as(charlie).get(f"/network/surveys/{survey_round.pk}/").content.decode()
    assert "1 of 2 organizations have rated all their partners" in page
    assert "50%" in page
    # a tie outside the round cannot be rated within it
    body = (
        client_as(alice)
        .post(
            f"/network/partnerships/{outside.pk}/rate/{center.slug}/",
            {**SCORES, "round": survey_round.pk},
        )
        .content.decode()
    )
    assert "not part of the survey round" in body
    assert PartnershipRating.objects.count() == 1


def test_closed_round_takes_no_answers_and_outsiders_see_nothing(
    client_as, alice, bob, charlie, survey
):
    community, inside, _outside = survey
    today = timezone.localdate()
    survey_round = partners.open_survey_round(
        community=community, actor=charlie, title="Round", opens=today, closes=today
    )
    stranger = make_member(name="Dana Stranger", email="dana@example.org").user
    assert client_as(stranger).get(f"/network/surveys/{survey_round.pk}/").status_code == 403
    assert client_as(alice).post(f"/network/surveys/{survey_round.pk}/close/").status_code == 403
    client_as(charlie).post(f"/network/surveys/{survey_round.pk}/close/")
    survey_round.refresh_from_db()
    assert survey_round.status == "closed"
    admin_of = OrganizationMembership.objects.get(user=bob, role="admin").organization
    assert partners.round_is_open(survey_round) is False
    body = (
        client_as(bob)
        .post(
            f"/network/partnerships/{inside.pk}/rate/{admin_of.slug}/",
            {**SCORES, "round": survey_round.pk},
        )
        .content.decode()
    )
    assert "This survey round is not taking answers" in body
    assert not PartnershipRating.objects.exists()


def test_round_dates_are_checked(client_as, charlie, survey):
    community, _inside, _outside = survey
    body = (
        client_as(charlie)
        .post(
            f"/network/communities/{community.slug}/surveys/new/",
            {"title": "Backwards", "opens": "2026-05-10", "closes": "2026-05-01"},
        )
        .content.decode()
    )
    assert "The round must close on or after the day it opens" in body
    assert not SurveyRound.objects.exists()


def test_averages_appear_only_with_three_ratings(alice, bob, orgs):
    center, pediatrics, library = orgs
    one = partners.record_partnership(
        actor=alice, organization=center, partner=pediatrics, types=["referrals"]
    )
    two = partners.record_partnership(
        actor=alice, organization=center, partner=library, types=["referrals"]
    )
    scores = {name: 3 for name in partners.SCORE_FIELDS}
    partners.rate_partner(partnership=one, rater_org=pediatrics, actor=bob, scores=scores)
    received = PartnershipRating.objects.filter(rated_org=center)
    assert partners.shareable_means(received) is None
    staff = create_account("staff@example.org", None, is_staff=True)
    partners.rate_partner(
        partnership=two, rater_org=library, actor=staff, scores={**scores, "trust_openness": 1}
    )
    assert partners.shareable_means(received) is None
    means = partners.rating_means(received)
    assert means["count"] == 2 and means["trust"] == pytest.approx((3 + 7 / 3) / 2, abs=0.01)


def test_partner_list_runs_a_fixed_number_of_queries(client_as, alice, orgs):
    center = orgs[0]

    def add_partners(start: int, count: int) -> int:
        for n in range(start, start + count):
            partner = make_organization(f"Partner {n}")
            partnership = partners.record_partnership(
                actor=alice, organization=center, partner=partner, types=["referrals"]
            )
            scores = {name: 3 for name in partners.SCORE_FIELDS}
            partners.rate_partner(
                partnership=partnership, rater_org=center, actor=alice, scores=scores
            )
        client = client_as(alice)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/network/organizations/{center.slug}/partners/")
        assert page.status_code == 200
        return len(queries)

    few = add_partners(0, 2)
    assert add_partners(2, 6) == few
    assert few <= 15


def test_organization_and_community_pages_link_here(client, alice, orgs):
    center = orgs[0]
    page = client.get(center.get_absolute_url()).content.decode()
    assert f"/network/organizations/{center.slug}/partners/" in page
    community = make_community("Tulsa County Families", organizer=alice)
    page = client.get(community.get_absolute_url()).content.decode()
    assert f"/network/health/communities/{community.slug}/" in page
    assert "/network/health/" in client.get("/network/directory/").content.decode()
