from django.contrib import admin

from kindred.network.models import (
    Block,
    Community,
    CommunityMembership,
    Connection,
    Language,
    MemberProfile,
    NetworkMetrics,
    Organization,
    OrganizationMembership,
    Partnership,
    PartnershipRating,
    Post,
    SurveyRound,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es", "sort_order"]


@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "state", "county", "visibility", "listed_in_directory"]
    list_filter = ["visibility", "listed_in_directory", "roles", "sectors"]
    search_fields = ["display_name", "user__email"]
    raw_id_fields = ["user", "zip_code", "county"]
    filter_horizontal = ["roles", "sectors", "topics", "languages"]


class OrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "county", "is_verified"]
    list_filter = ["is_verified", "sectors"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["zip_code", "county", "verified_by", "created_by"]
    filter_horizontal = ["sectors", "states_served"]
    inlines = [OrganizationMembershipInline]


class CommunityMembershipInline(admin.TabularInline):
    model = CommunityMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "state", "county", "join_policy", "is_active"]
    list_filter = ["level", "join_policy", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["county", "created_by"]
    filter_horizontal = ["parents", "peers"]
    inlines = [CommunityMembershipInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "author", "created"]
    list_filter = ["kind"]
    raw_id_fields = ["community", "author"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["from_user", "to_user", "status", "created", "responded_at"]
    list_filter = ["status"]
    raw_id_fields = ["from_user", "to_user"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created"]
    raw_id_fields = ["blocker", "blocked"]


class PartnershipRatingInline(admin.TabularInline):
    model = PartnershipRating
    raw_id_fields = ["rater_org", "rated_org", "survey_round", "submitted_by"]
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["org_a", "org_b", "started", "created"]
    raw_id_fields = ["org_a", "org_b", "created_by"]
    inlines = [PartnershipRatingInline]


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "opens", "closes", "status"]
    list_filter = ["status"]
    raw_id_fields = ["community", "created_by"]


@admin.register(NetworkMetrics)
class NetworkMetricsAdmin(admin.ModelAdmin):
    list_display = ["scope", "state", "community", "computed_at", "node_count", "edge_count"]
    list_filter = ["scope"]
    raw_id_fields = ["community"]
