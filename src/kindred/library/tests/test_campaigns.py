"""Campaigns: organizers launch them, share links credit whoever spread them, and the
reach page shows visits, joins and sign-ups over time."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from kindred.library import services
from kindred.library.models import Campaign, CampaignActivity, ReferralCode
from kindred.library.tests.factories import community_with, make_event, make_resource


@pytest.fixture
def community(alice, bob):
    return community_with(alice, bob)


@pytest.fixture
def campaign(alice, community):
    campaign = services.create_campaign(
        by=alice,
        title="Talk, sing, play",
        core_message="Every conversation with your baby builds their brain.",
        community=community,
        starts_on=timezone.localdate() - dt.timedelta(days=5),
        resources=[make_resource("Talking with your baby")],
    )
    services.add_suggested_post(campaign, by=alice, language="es", text="Cada conversación cuenta.")
    services.launch_campaign(campaign, by=alice)
    return campaign


def test_organizer_creates_and_launches(client_as, alice, community):
    resource = make_resource("Songs for babies")
    response = client_as(alice).post(
        "/library/campaigns/new/",
        {
            "title": "Sing with me",
            "core_message": "Songs are conversations.",
            "community": community.pk,
            "starts_on": timezone.localdate().isoformat(),
            "resource_addresses": f"http://127.0.0.1:8000{resource.get_absolute_url()}\n",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.status == "draft"
    assert list(campaign.resources.all()) == [resource]
    client_as(alice).post(
        f"/library/campaigns/{campaign.slug}/posts/", {"language": "en", "text": "Sing today!"}
    )
    client_as(alice).post(f"/library/campaigns/{campaign.slug}/launch/")
    campaign.refresh_from_db()
    assert campaign.status == "active" and campaign.posts.count() == 1


def test_members_cannot_start_campaigns_for_a_community(client_as, bob, community):
    assert client_as(bob).get("/library/campaigns/new/").status_code == 403


def test_unknown_resource_addresses_are_explained(client_as, alice, community):
    response = client_as(alice).post(
        "/library/campaigns/new/",
        {
            "title": "Sing with me",
            "core_message": "Songs are conversations.",
            "community": community.pk,
            "starts_on": timezone.localdate().isoformat(),
            "resource_addresses": "/library/resources/does-not-exist/",
        },
    )
    assert "These are not published resources: does-not-exist" in response.content.decode()
    assert not Campaign.objects.exists()


def test_empty_campaign_cannot_launch(client_as, alice, community):
    campaign = services.create_campaign(
        by=alice,
        title="Empty",
        core_message="…",
        community=community,
        starts_on=timezone.localdate(),
    )
    response = client_as(alice).post(f"/library/campaigns/{campaign.slug}/launch/", follow=True)
    assert "Add at least one resource or suggested post" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_draft_is_hidden_and_report_is_for_organizers(
    client, client_as, alice, bob, charlie, community
):
    draft = services.create_campaign(
        by=alice,
        title="Secret plan",
        core_message="Soon",
        community=community,
        starts_on=timezone.localdate(),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client_as(charlie).get(draft.get_absolute_url()).status_code == 404
    assert client_as(alice).get(f"{draft.get_absolute_url()}reach/").status_code == 200
    assert client_as(bob).get(f"{draft.get_absolute_url()}reach/").status_code == 404


def test_share_link_credits_the_community_for_visits_joins_and_signups(
    client, client_as, alice, charlie, campaign, community
):
    client_as(alice).post(f"{campaign.get_absolute_url()}share/", {"community": community.pk})
    code = ReferralCode.objects.get(community=community)
    page = client_as(alice).get(campaign.get_absolute_url()).content.decode()
    assert code.share_url in page

    # A visitor arrives through the link (twice: one visit per session is counted).
    client.get(f"{campaign.get_absolute_url()}?ref={code.code}")
    client.get(f"{campaign.get_absolute_url()}?ref={code.code}")
    # ...subscribes to the newsletter...
    client.post("/library/newsletter/", {"email": "new@example.org", "language": "en"})
    # ...and later joins: the network's join flow calls attribute_join.
    request = RequestFactory().get("/")
    request.session = client.session
    services.attribute_join(request, charlie)
    services.attribute_join(request, charlie)  # counted once

    kinds = sorted(campaign.activity.values_list("kind", flat=True))
    assert kinds == ["join", "signup", "visit"]
    assert set(campaign.activity.values_list("referral", flat=True)) == {code.pk}

    report = client_as(alice).get(f"{campaign.get_absolute_url()}reach/").content.decode()
    assert community.name in report
    assert '<polyline class="series-join"' in report
    assert "1 visits, 1 joins and 1 sign-ups" in report


def test_member_share_link_and_event_rsvp_signup(
    client, client_as, alice, bob, campaign, community
):
    client_as(bob).post(f"{campaign.get_absolute_url()}share/")
    code = ReferralCode.objects.get(user=bob)
    event = make_event(community, proposer=alice)
    client.get(f"{event.get_absolute_url()}?ref={code.code}")
    client.post(f"{event.get_absolute_url()}rsvp/", {"name": "Gina", "email": "gina@example.org"})
    signup = campaign.activity.get(kind="signup")
    assert signup.referral == code and signup.detail == "event"
    reach = services.campaign_reach(campaign)
    assert reach["referrers"][0]["label"] == bob.get_full_name()


def test_bad_or_stale_codes_count_nothing(client, alice, campaign):
    client.get(f"{campaign.get_absolute_url()}?ref=nope")
    client.get(f"{campaign.get_absolute_url()}?ref={'x' * 500}")
    services.end_campaign(campaign, by=alice)
    code = services.referral_code_for(campaign)
    client.get(f"{campaign.get_absolute_url()}?ref={code.code}")
    assert not CampaignActivity.objects.exists()


def test_outsider_cannot_make_a_link_for_someone_elses_community(
    client_as, charlie, campaign, community
):
    response = client_as(charlie).post(
        f"{campaign.get_absolute_url()}share/", {"community": community.pk}
    )
    assert response.status_code == 403
    assert not ReferralCode.objects.filter(community=community).exists()


def test_reach_groups_by_week_for_long_campaigns(alice, campaign):
    campaign.starts_on = timezone.localdate() - dt.timedelta(days=200)
    campaign.save(update_fields=["starts_on"])
    code = services.referral_code_for(campaign)
    for days_ago in (150, 149, 10):
        services.record_activity(
            campaign, "visit", referral=code, when=timezone.now() - dt.timedelta(days=days_ago)
        )
    reach = services.campaign_reach(campaign)
    assert reach["step"] == 7 and reach["totals"]["visit"] == 3
    assert sum(bucket["visit"] for bucket in reach["buckets"]) == 3


def test_share_kit_shows_posts_in_both_languages(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Cada conversación cuenta." in page and 'lang="es"' in page
