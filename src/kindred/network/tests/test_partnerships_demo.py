"""Demo partnerships, ratings and the survey round the personas can try."""

import random

import pytest

from kindred.accounts import demo as accounts_demo
from kindred.network import demo, demo_partners, partners
from kindred.network.models import Organization, Partnership, PartnershipRating, SurveyRound


@pytest.mark.slow
def test_demo_partnerships_and_a_survey_round_for_the_organizer(db, monkeypatch):
    accounts_demo.seed(random.Random(1), "small")
    demo.seed(random.Random(2), "small")  # calls demo_partners.seed_partnerships
    organizations = Organization.objects.count()
    partnerships = Partnership.objects.count()
    assert organizations <= partnerships <= 2 * organizations + 3
    states = Partnership.objects.values_list("org_a__state_id", "org_b__state_id")
    within = sum(1 for a, b in states if a == b)
    assert within > partnerships // 2  # most ties stay close to home
    assert PartnershipRating.objects.filter(survey_round=None).count() > partnerships // 2
    survey_round = SurveyRound.objects.get(community__name="Tulsa County Families")
    assert partners.round_is_open(survey_round)
    grace = Organization.objects.get(name="Tulsa Family Connections")
    assert partners.round_partnerships(survey_round).filter(org_a=grace).exists() or (
        partners.round_partnerships(survey_round).filter(org_b=grace).exists()
    )
    assert not PartnershipRating.objects.filter(rater_org=grace, survey_round=survey_round)
    # the large scale adds partnerships in bulk (never a pair twice: the database would
    # refuse it); with the small demo's few organizations, only a few pairs are left
    monkeypatch.setattr(demo_partners, "LARGE_PARTNERSHIPS", 150)
    demo_partners.seed_large(random.Random(3))
    total = Partnership.objects.count()
    assert partnerships < total <= partnerships + 150
    # seeding again changes nothing
    demo_partners.seed_partnerships(random.Random(4), "small")
    assert Partnership.objects.count() == total
