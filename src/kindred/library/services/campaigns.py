from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.slugs import unique_slug
from kindred.library.models import Campaign, CampaignActivity, ReferralCode, SuggestedPost
from kindred.library.services.resources import apply_changes

# The share-link code a visitor arrived with, kept in their session until they join.
SESSION_KEY = "library_referral"
VISITS_KEY = "library_referral_visits"
CAMPAIGN_FIELDS = {"title", "core_message", "description", "community", "starts_on", "ends_on"}


@transaction.atomic
def create_campaign(
    *,
    by,
    title: str,
    core_message: str,
    starts_on: dt.date,
    description: str = "",
    community=None,
    ends_on: dt.date | None = None,
    resources=(),
) -> Campaign:
    campaign = Campaign(
        title=title,
        slug=unique_slug(Campaign, title),
        core_message=core_message,
        description=description,
        community=community,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    campaign.full_clean()
    campaign.save()
    campaign.resources.set(resources)
    log_action(by, "campaign.created", campaign)
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, *, by, resources=None, **fields) -> Campaign:
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = apply_changes(campaign, fields)
    if changed:
        campaign.save(update_fields=changed)
    if resources is not None:
        campaign.resources.set(resources)
    log_action(by, "campaign.updated", campaign, fields=sorted(changed))
    return campaign


@transaction.atomic
def launch_campaign(campaign: Campaign, *, by) -> Campaign:
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("This campaign has already been launched."))
    if not campaign.resources.exists() and not campaign.posts.exists():
        raise ValidationError(
            _(
                "Add at least one resource or suggested post before launching, so people have "
                "something to share."
            )
        )
    campaign.status = Campaign.Status.ACTIVE
    campaign.save(update_fields=["status"])
    referral_code_for(campaign)
    log_action(by, "campaign.launched", campaign)
    return campaign


@transaction.atomic
def end_campaign(campaign: Campaign, *, by) -> Campaign:
    campaign.status = Campaign.Status.ENDED
    campaign.ends_on = campaign.ends_on or timezone.localdate()
    campaign.save(update_fields=["status", "ends_on"])
    log_action(by, "campaign.ended", campaign)
    return campaign


@transaction.atomic
def add_suggested_post(
    campaign: Campaign, *, by, language: str, text: str, image=None, image_alt: str = ""
) -> SuggestedPost:
    post = SuggestedPost(
        campaign=campaign,
        language=language,
        text=text,
        image_alt=image_alt,
        sort_order=campaign.posts.count(),
    )
    if image:
        post.image = image
    post.full_clean(exclude=["image"])
    post.save()
    log_action(by, "campaign.post_added", campaign, post=post.pk)
    return post


@transaction.atomic
def remove_suggested_post(post: SuggestedPost, *, by) -> None:
    log_action(by, "campaign.post_removed", post.campaign, post=post.pk)
    post.delete()


def referral_code_for(campaign: Campaign, *, user=None, community=None) -> ReferralCode:
    """The share-link code that credits ``user`` or ``community`` (or the campaign itself
    when neither is given), made on first use."""
    lookup = {"campaign": campaign, "user": user, "community": community}
    existing = ReferralCode.objects.filter(**lookup).first()
    if existing:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(code=secrets.token_urlsafe(6), **lookup)
        except IntegrityError:
            existing = ReferralCode.objects.filter(**lookup).first()
            if existing:
                return existing
    raise RuntimeError("Could not make a unique referral code.")


def record_activity(
    campaign: Campaign,
    kind: str,
    *,
    referral: ReferralCode | None = None,
    user=None,
    detail: str = "",
    when=None,
) -> CampaignActivity | None:
    """Count one visit, join or sign-up for a campaign (a join only once per person)."""
    try:
        with transaction.atomic():
            return CampaignActivity.objects.create(
                campaign=campaign,
                referral=referral,
                kind=kind,
                user=user,
                detail=detail,
                created=when or timezone.now(),
            )
    except IntegrityError:
        return None


def record_visit(request, code: str) -> CampaignActivity | None:
    """A visitor followed a share link: remember its code and count one visit per session."""
    referral = (
        ReferralCode.objects.select_related("campaign")
        .filter(code=code[:16], campaign__status=Campaign.Status.ACTIVE)
        .first()
    )
    if referral is None:
        return None
    request.session[SESSION_KEY] = referral.code
    seen = request.session.get(VISITS_KEY, [])
    if referral.code in seen:
        return None
    request.session[VISITS_KEY] = [*seen, referral.code][-20:]
    return record_activity(referral.campaign, CampaignActivity.Kind.VISIT, referral=referral)


def _session_referral(request) -> ReferralCode | None:
    code = getattr(request, "session", {}).get(SESSION_KEY)
    if not code:
        return None
    return ReferralCode.objects.select_related("campaign").filter(code=code).first()


def attribute_join(request, user) -> CampaignActivity | None:
    """Credit the share link this visitor arrived with for their joining the network.

    The network join flow calls this once the account exists. It does nothing when the
    visitor did not come through a share link, and counts a person once per campaign.
    """
    referral = _session_referral(request)
    if referral is None:
        return None
    activity = record_activity(
        referral.campaign, CampaignActivity.Kind.JOIN, referral=referral, user=user
    )
    if activity:
        log_action(user, "campaign.join_attributed", referral.campaign, code=referral.code)
    return activity


def attribute_signup(request, *, detail: str, user=None) -> CampaignActivity | None:
    """Credit the visitor's share link for a sign-up (newsletter, an event)."""
    referral = _session_referral(request)
    if referral is None:
        return None
    user = user if getattr(user, "is_authenticated", False) else None
    return record_activity(
        referral.campaign,
        CampaignActivity.Kind.SIGNUP,
        referral=referral,
        user=user,
        detail=detail,
    )


def campaign_reach(campaign: Campaign) -> dict:
    """Visits, joins and sign-ups per day (per week for long campaigns), with totals and
    a row per referrer, for the campaign's report."""
    rows = (
        campaign.activity.annotate(day=TruncDate("created", tzinfo=timezone.get_current_timezone()))
        .values("day", "kind")
        .annotate(n=Count("id"))
    )
    counts = {(row["day"], row["kind"]): row["n"] for row in rows}
    first = min([campaign.starts_on, *(day for day, _kind in counts)])
    last = max([campaign.ends_on or timezone.localdate(), *(day for day, _kind in counts)])
    step = 7 if (last - first).days > 90 else 1
    kinds = [kind for kind, _label in CampaignActivity.Kind.choices]
    buckets = []
    day = first
    while day <= last:
        span = [day + dt.timedelta(days=offset) for offset in range(step)]
        buckets.append(
            {
                "day": day,
                **{kind: sum(counts.get((d, kind), 0) for d in span) for kind in kinds},
            }
        )
        day += dt.timedelta(days=step)
    totals = {kind: sum(bucket[kind] for bucket in buckets) for kind in kinds}
    by_referrer = (
        campaign.activity.values("referral")
        .annotate(**{kind: Count("id", filter=Q(kind=kind)) for kind in kinds})
        .order_by("-join", "-signup", "-visit")
    )
    referrals = ReferralCode.objects.select_related("community", "user").in_bulk(
        [row["referral"] for row in by_referrer if row["referral"]]
    )
    referrers = [
        {
            "label": referrals[row["referral"]].credit_label
            if row["referral"] in referrals
            else _("Unknown"),
            **{kind: row[kind] for kind in kinds},
        }
        for row in by_referrer
    ]
    return {"buckets": buckets, "step": step, "totals": totals, "referrers": referrers}
