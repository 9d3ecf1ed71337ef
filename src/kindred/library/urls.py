from django.urls import path

from kindred.library.views import campaigns, events, feeds, newsletter, resources, stories

app_name = "library"

urlpatterns = [
    path("", resources.index, name="index"),
    path("review/", resources.review_queue, name="review-queue"),
    path("resources/new/", resources.resource_create, name="resource-create"),
    path("resources/<slug:slug>/", resources.resource_detail, name="resource-detail"),
    path("resources/<slug:slug>/edit/", resources.resource_edit, name="resource-edit"),
    path("resources/<slug:slug>/submit/", resources.resource_submit, name="resource-submit"),
    path("resources/<slug:slug>/reviewers/", resources.resource_assign, name="resource-assign"),
    path("resources/<slug:slug>/review/", resources.resource_review, name="resource-review"),
    path("resources/<slug:slug>/archive/", resources.resource_archive, name="resource-archive"),
    # Stories
    path("stories/", stories.story_list, name="story-list"),
    path("stories/new/", stories.story_create, name="story-create"),
    path("stories/moderation/", stories.story_moderation, name="story-moderation"),
    path("stories/<int:pk>/", stories.story_detail, name="story-detail"),
    path("stories/<int:pk>/withdraw/", stories.story_withdraw, name="story-withdraw"),
    path("stories/<int:pk>/moderate/", stories.story_moderate, name="story-moderate"),
    # Campaigns
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<slug:slug>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<slug:slug>/edit/", campaigns.campaign_edit, name="campaign-edit"),
    path("campaigns/<slug:slug>/launch/", campaigns.campaign_launch, name="campaign-launch"),
    path("campaigns/<slug:slug>/end/", campaigns.campaign_end, name="campaign-end"),
    path("campaigns/<slug:slug>/share/", campaigns.campaign_share, name="campaign-share"),
    path("campaigns/<slug:slug>/reach/", campaigns.campaign_reach, name="campaign-reach"),
    path("campaigns/<slug:slug>/posts/", campaigns.campaign_post_add, name="campaign-post-add"),
    path(
        "campaigns/<slug:slug>/posts/<int:post_id>/delete/",
        campaigns.campaign_post_delete,
        name="campaign-post-delete",
    ),
    # Events
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/review/", events.event_review, name="event-review"),
    path("events/<slug:slug>/", events.event_detail, name="event-detail"),
    path("events/<slug:slug>/edit/", events.event_edit, name="event-edit"),
    path("events/<slug:slug>/approve/", events.event_approve, name="event-approve"),
    path("events/<slug:slug>/decline/", events.event_decline, name="event-decline"),
    path("events/<slug:slug>/cancel/", events.event_cancel, name="event-cancel"),
    path("events/<slug:slug>/trust/", events.trust_host, name="event-trust"),
    path("events/<slug:slug>/rsvp/", events.event_rsvp, name="event-rsvp"),
    path("events/<slug:slug>/rsvp/cancel/", events.event_rsvp_cancel, name="event-rsvp-cancel"),
    path("events/<slug:slug>/event.ics", feeds.event_feed, name="event-ics"),
    path("rsvp/<str:token>/", events.rsvp_manage, name="rsvp-manage"),
    path("communities/<slug:slug>/events.ics", feeds.community_feed, name="community-ics"),
    path("calendar/", events.my_calendar, name="my-calendar"),
    path("calendar/<str:token>.ics", feeds.member_feed, name="member-feed"),
    # Newsletter
    path("newsletter/", newsletter.subscribe, name="newsletter"),
    path("newsletter/confirm/<str:token>/", newsletter.confirm, name="newsletter-confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/", newsletter.unsubscribe, name="newsletter-unsubscribe"
    ),
    path("newsletter/new-link/", newsletter.new_link, name="newsletter-new-link"),
    path("newsletter/issues/", newsletter.issues, name="newsletter-issues"),
    path("newsletter/issues/<int:pk>/", newsletter.issue_detail, name="newsletter-issue"),
    path("newsletter/subscribers.csv", newsletter.export, name="newsletter-export"),
]
