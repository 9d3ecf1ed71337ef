import pytest
from django.db import IntegrityError, transaction

from kindred.network.models import (
    Block,
    Connection,
    Language,
    MemberProfile,
    Organization,
    Partnership,
    PartnershipRating,
    Visibility,
)


def test_languages_are_seeded(db):
    assert Language.objects.filter(code__in=["en", "es"]).count() == 2


def test_connection_to_yourself_is_refused_by_the_database(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(from_user=alice, to_user=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=alice, blocked=alice)


def test_partnership_is_stored_once_per_pair_in_order(db):
    one = Organization.objects.create(name="One", slug="one")
    two = Organization.objects.create(name="Two", slug="two")
    a, b = Partnership.ordered(two, one)
    assert (a, b) == (one, two)
    Partnership.objects.create(org_a=a, org_b=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(org_a=two, org_b=one)


def test_rating_scores_are_means_and_bounded(db):
    one = Organization.objects.create(name="One", slug="one")
    two = Organization.objects.create(name="Two", slug="two")
    partnership = Partnership.objects.create(org_a=one, org_b=two)
    scores = dict(
        trust_openness=4,
        trust_reliability=3,
        trust_shared_mission=2,
        value_influence=1,
        value_resources=1,
        value_involvement=4,
    )
    rating = PartnershipRating.objects.create(
        partnership=partnership, rater_org=one, rated_org=two, **scores
    )
    assert rating.trust == 3
    assert rating.value == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipRating.objects.create(
            partnership=partnership, rater_org=two, rated_org=one, **{**scores, "trust_openness": 5}
        )


def test_profile_visibility(alice, bob, charlie):
    from django.contrib.auth.models import AnonymousUser

    public = MemberProfile.objects.create(user=alice, display_name="A", visibility="public")
    members = MemberProfile.objects.create(user=bob, display_name="B", visibility="members")
    hidden = MemberProfile.objects.create(user=charlie, display_name="C", visibility="hidden")
    assert set(MemberProfile.objects.visible_to(AnonymousUser())) == {public}
    assert set(MemberProfile.objects.visible_to(alice)) == {public, members}
    assert set(MemberProfile.objects.visible_to(charlie)) == {public, members, hidden}
    assert hidden.visibility == Visibility.HIDDEN
