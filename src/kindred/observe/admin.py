"""Admin for network staff: instruments and sites only. Family data is deliberately absent:
network staff see no family unless they are staff of that family's site."""

from django.contrib import admin

from kindred.observe.models import Instrument, InstrumentVersion, Site, SiteMembership


class VersionInline(admin.TabularInline):
    model = InstrumentVersion
    fields = ["version", "status", "source", "published_at"]
    readonly_fields = ["version", "source", "published_at"]
    extra = 0
    can_delete = False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
    inlines = [VersionInline]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ["instrument", "version", "status", "source", "published_at"]
    list_filter = ["status", "source"]

    def get_readonly_fields(self, request, obj=None):
        # A published version never changes: its definition is read-only here too.
        if obj is not None and obj.status != InstrumentVersion.Status.DRAFT:
            return ["instrument", "version", "definition", "source", "published_at"]
        return ["published_at"]


class MembershipInline(admin.TabularInline):
    model = SiteMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["organization"]
    inlines = [MembershipInline]
