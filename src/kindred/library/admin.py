from django.contrib import admin

from kindred.library import search
from kindred.library.models import (
    RSVP,
    Campaign,
    CampaignActivity,
    Event,
    NewsletterIssue,
    ReferralCode,
    Resource,
    ResourceAudience,
    ResourceReview,
    Story,
    Subscriber,
    SuggestedPost,
    TrustedHost,
)


class AudienceInline(admin.TabularInline):
    model = ResourceAudience
    extra = 0


class ReviewInline(admin.TabularInline):
    model = ResourceReview
    extra = 0
    raw_id_fields = ["reviewer", "assigned_by"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "language", "status", "published_at"]
    list_filter = ["status", "type", "language"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["author"]
    filter_horizontal = ["topics"]
    readonly_fields = ["reading_ease", "reading_grade", "translation_group"]
    inlines = [AudienceInline, ReviewInline]

    # Edits here bypass the services, so keep the SQLite search index in step by hand.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.index_resources([form.instance])

    def delete_model(self, request, obj):
        search.unindex_resources([obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        search.unindex_resources(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "teller_role", "attribution", "status", "state", "created"]
    list_filter = ["status", "teller_role", "attribution", "language"]
    search_fields = ["title", "teller_name"]
    raw_id_fields = ["submitted_by", "moderated_by", "county"]


class PostInline(admin.StackedInline):
    model = SuggestedPost
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["community", "created_by"]
    filter_horizontal = ["resources"]
    inlines = [PostInline]


@admin.register(ReferralCode)
class ReferralCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "campaign", "community", "user", "created"]
    raw_id_fields = ["campaign", "community", "user"]


@admin.register(CampaignActivity)
class CampaignActivityAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "detail", "created"]
    list_filter = ["kind"]
    raw_id_fields = ["campaign", "referral", "user"]


class RSVPInline(admin.TabularInline):
    model = RSVP
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "host_community", "host_organization", "mode", "status", "starts_at"]
    list_filter = ["status", "mode", "language"]
    search_fields = ["title"]
    raw_id_fields = [
        "host_community",
        "host_organization",
        "proposed_by",
        "approved_by",
        "zip_code",
        "county",
    ]
    inlines = [RSVPInline]


@admin.register(TrustedHost)
class TrustedHostAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "organization", "created"]
    raw_id_fields = ["user", "community", "organization", "granted_by"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "status", "created", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    raw_id_fields = ["user"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "language", "status", "sent_at", "recipient_count"]
    list_filter = ["status", "language"]
