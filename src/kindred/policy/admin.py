from django.contrib import admin

from kindred.policy.models import (
    AdvocacyAction,
    Hearing,
    Jurisdiction,
    Official,
    Policy,
    PolicySource,
    ReferralCode,
    StatusChange,
    Subscription,
)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "ocd_id"]
    list_filter = ["level"]
    search_fields = ["name", "ocd_id"]
    raw_id_fields = ["state", "county", "parent"]


class SourceInline(admin.TabularInline):
    model = PolicySource
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    raw_id_fields = ["recorded_by"]


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title_en", "jurisdiction", "policy_type", "status", "position", "is_fictional"]
    list_filter = ["status", "policy_type", "position", "is_fictional", "jurisdiction__level"]
    search_fields = ["title_en", "title_es", "identifier"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["topics", "related"]
    raw_id_fields = ["jurisdiction", "created_by"]
    inlines = [SourceInline, StatusChangeInline, HearingInline]
    readonly_fields = ["status", "status_date"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "jurisdiction", "state", "district", "is_active"]
    list_filter = ["is_active", "jurisdiction__level"]
    search_fields = ["name", "office", "external_id"]
    raw_id_fields = ["jurisdiction", "state"]


@admin.register(AdvocacyAction)
class AdvocacyActionAdmin(admin.ModelAdmin):
    list_display = ["title_en", "kind", "status", "jurisdiction", "closes_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title_en", "title_es"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["targets"]
    raw_id_fields = ["policy", "jurisdiction", "created_by"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "topic", "jurisdiction", "frequency", "is_confirmed"]
    list_filter = ["frequency", "is_confirmed"]
    search_fields = ["email"]
    raw_id_fields = ["user", "jurisdiction"]


@admin.register(ReferralCode)
class ReferralCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "community"]
    raw_id_fields = ["community"]
