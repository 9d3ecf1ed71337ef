"""Reference data, read-only: it comes from places/data/ through migrations."""

from django.contrib import admin

from kindred.places.models import County, State, ZipCode


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(State)
class StateAdmin(ReadOnlyAdmin):
    list_display = ["name", "usps", "fips", "is_territory"]
    list_filter = ["is_territory"]
    search_fields = ["name", "usps", "fips"]
    ordering = ["name"]


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    list_display = ["name", "fips", "state"]
    list_filter = ["state"]
    list_select_related = ["state"]
    search_fields = ["name", "fips", "state__name", "state__usps"]
    ordering = ["state__name", "name"]


@admin.register(ZipCode)
class ZipCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "city", "county", "state", "latitude", "longitude"]
    list_filter = ["state"]
    list_select_related = ["state", "county"]
    search_fields = ["code", "city", "county__name"]
    show_full_result_count = False
