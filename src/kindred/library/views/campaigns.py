from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.library import services
from kindred.library.access import get_campaign_for
from kindred.library.charts import line_chart
from kindred.library.decorators import capture_referral
from kindred.library.forms import CampaignForm, SuggestedPostForm
from kindred.library.models import Campaign, CampaignActivity, ReferralCode
from kindred.network.models import Community


def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.visible_to(request.user).select_related("community")
    can_create = request.user.is_authenticated and (
        request.user.is_staff
        or Community.objects.filter(
            memberships__user=request.user,
            memberships__role="organizer",
            memberships__status="active",
        ).exists()
    )
    return render(
        request,
        "library/campaign_list.html",
        {"campaigns": list(campaigns[:100]), "can_create": can_create},
    )


def _share_links(request, campaign: Campaign) -> list[ReferralCode]:
    """The share links this person already has: their own and their communities'."""
    if not request.user.is_authenticated:
        return []
    codes = ReferralCode.objects.filter(campaign=campaign, user=request.user)
    organizing = Community.objects.filter(
        memberships__user=request.user, memberships__role="organizer", memberships__status="active"
    )
    codes = codes | ReferralCode.objects.filter(campaign=campaign, community__in=organizing)
    return list(codes.select_related("campaign", "community", "user"))


@capture_referral
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug)
    can_edit = campaign.can_edit(request.user)
    public_code = None
    if campaign.status == Campaign.Status.ACTIVE:
        public_code = services.referral_code_for(campaign)
    context = {
        "campaign": campaign,
        "resources": list(campaign.resources.published().prefetch_related("audience_rows")),
        "posts": list(campaign.posts.all()),
        "share_links": _share_links(request, campaign),
        "public_code": public_code,
        "can_edit": can_edit,
        "post_form": SuggestedPostForm() if can_edit else None,
        "organizing": list(
            Community.objects.filter(
                memberships__user=request.user,
                memberships__role="organizer",
                memberships__status="active",
            )
        )
        if request.user.is_authenticated
        else [],
    }
    return render(request, "library/campaign_detail.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(
        request.POST or None, user=request.user, initial={"starts_on": timezone.localdate()}
    )
    # Campaigns are run by communities: only their organizers (and staff) start one.
    if not request.user.is_staff and not form.fields["community"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data["community"]
        if community is None and not request.user.is_staff:
            form.add_error("community", _("Please choose the community running this campaign."))
        else:
            campaign = services.create_campaign(
                by=request.user,
                resources=data.pop("resource_addresses"),
                **{name: data[name] for name in services.campaigns.CAMPAIGN_FIELDS},
            )
            messages.success(request, _("Campaign saved as a draft. Add posts, then launch it."))
            return redirect(campaign)
    return render(request, "library/campaign_form.html", {"form": form})


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, write=True)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_campaign(
            campaign,
            by=request.user,
            resources=data.pop("resource_addresses"),
            **{name: data[name] for name in services.campaigns.CAMPAIGN_FIELDS},
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(campaign)
    return render(request, "library/campaign_form.html", {"form": form, "campaign": campaign})


@require_POST
@login_required
def campaign_launch(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, write=True)
    try:
        services.launch_campaign(campaign, by=request.user)
        messages.success(request, _("Your campaign is live. Share your link!"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(campaign)


@require_POST
@login_required
def campaign_end(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, write=True)
    services.end_campaign(campaign, by=request.user)
    messages.success(request, _("The campaign has ended. Its report stays available."))
    return redirect(campaign)


@require_POST
@login_required
def campaign_post_add(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, write=True)
    form = SuggestedPostForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_suggested_post(campaign, by=request.user, **form.cleaned_data)
        messages.success(request, _("The post is in the share kit."))
        return redirect(campaign)
    context = {
        "campaign": campaign,
        "resources": list(campaign.resources.published()),
        "posts": list(campaign.posts.all()),
        "share_links": _share_links(request, campaign),
        "can_edit": True,
        "post_form": form,
        "organizing": [],
    }
    return render(request, "library/campaign_detail.html", context, status=400)


@require_POST
@login_required
def campaign_post_delete(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, write=True)
    post = get_object_or_404(campaign.posts, pk=post_id)
    services.remove_suggested_post(post, by=request.user)
    messages.success(request, _("The post was removed from the share kit."))
    return redirect(campaign)


@require_POST
@login_required
def campaign_share(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a share link that credits this person, or a community they organize."""
    campaign = get_campaign_for(request.user, slug)
    if campaign.status != Campaign.Status.ACTIVE:
        messages.error(request, _("Share links work while the campaign is running."))
        return redirect(campaign)
    community_id = request.POST.get("community", "")
    if community_id:
        community = get_object_or_404(Community, pk=community_id)
        if not community.can_organize(request.user):
            raise PermissionDenied
        services.referral_code_for(campaign, community=community)
    else:
        services.referral_code_for(campaign, user=request.user)
    messages.success(request, _("Your share link is ready. Copy it below."))
    return redirect(f"{campaign.get_absolute_url()}#share")


@login_required
def campaign_reach(request: HttpRequest, slug: str) -> HttpResponse:
    """Visits, joins and sign-ups from the campaign's share links, over time and by who
    shared them."""
    campaign = get_campaign_for(request.user, slug, write=True)
    reach = services.campaign_reach(campaign)
    chart = line_chart(reach["buckets"], CampaignActivity.Kind.choices)
    return render(
        request,
        "library/campaign_reach.html",
        {"campaign": campaign, "reach": reach, "chart": chart},
    )
