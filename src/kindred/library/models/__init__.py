"""The library's models, split by sub-area; import them from here."""

from kindred.library.models.campaigns import Campaign, CampaignActivity, ReferralCode, SuggestedPost
from kindred.library.models.events import RSVP, CalendarFeed, Event, TrustedHost
from kindred.library.models.newsletter import NewsletterDelivery, NewsletterIssue, Subscriber
from kindred.library.models.resources import (
    Audience,
    Resource,
    ResourceAudience,
    ResourceReview,
    ResourceSearchEntry,
)
from kindred.library.models.stories import Story

__all__ = [
    "RSVP",
    "Audience",
    "CalendarFeed",
    "Campaign",
    "CampaignActivity",
    "Event",
    "NewsletterDelivery",
    "NewsletterIssue",
    "ReferralCode",
    "Resource",
    "ResourceAudience",
    "ResourceReview",
    "ResourceSearchEntry",
    "Story",
    "Subscriber",
    "SuggestedPost",
    "TrustedHost",
]
