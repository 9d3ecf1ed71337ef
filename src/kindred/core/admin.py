from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kindred.core.models import AuditEvent, Role, Sector, TaskProgress, Topic


class TermAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "slug", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["slug", "name_en", "name_es"]
    ordering = ["sort_order", "name_en"]
    fieldsets = [
        (None, {"fields": ["slug", "sort_order", "is_active"]}),
        (_("English"), {"fields": ["name_en", "description_en"]}),
        (_("Spanish"), {"fields": ["name_es", "description_es"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Other apps and the API refer to terms by slug: it cannot change once created.
        return ["slug"] if obj else []


admin.site.register(Role, TermAdmin)
admin.site.register(Sector, TermAdmin)
admin.site.register(Topic, TermAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system: visible to staff, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created", "actor_label", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type", ("created", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "verb", "target_label", "target_id"]
    date_hierarchy = "created"
    show_full_result_count = False


@admin.register(TaskProgress)
class TaskProgressAdmin(ReadOnlyAdmin):
    list_display = ["label", "owner", "status", "done", "total", "created", "updated"]
    list_filter = ["status"]
    search_fields = ["label", "owner__email"]
    list_select_related = ["owner"]
