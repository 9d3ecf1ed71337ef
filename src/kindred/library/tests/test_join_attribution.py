"""A visitor who arrives through a campaign's share link and then joins the network is
credited to the community that shared it (the network calls NETWORK_JOINED_HOOKS)."""

from kindred.library.models import ReferralCode
from kindred.library.tests.test_campaigns import campaign, community  # noqa: F401 - fixtures
from kindred.network.tests.test_join import step1, step2, step3, vocab  # noqa: F401 - fixtures


def test_joining_through_a_share_link_is_attributed(client, client_as, alice, campaign, vocab):  # noqa: F811
    client_as(alice).post(
        f"{campaign.get_absolute_url()}share/", {"community": campaign.community.pk}
    )
    code = ReferralCode.objects.get(community=campaign.community)
    client.get(f"{campaign.get_absolute_url()}?ref={code.code}")

    step1(client, vocab)
    step2(client)
    assert step3(client, email="joiner@example.org").status_code == 302

    join = campaign.activity.get(kind="join")
    assert join.referral == code and join.user.email == "joiner@example.org"
