from django.contrib import admin

from kindred.systems.models import (
    Certificate,
    Commitment,
    Competency,
    LearningPath,
    Milestone,
    Module,
    ModulePage,
    Need,
    QuizQuestion,
    Referral,
    Service,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "made_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization", "partners"]
    inlines = [MilestoneInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name_en", "domain_en", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "slug", "order"]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "title_en", "title_es", "minutes", "pass_mark", "video_url"]
    show_change_link = True


@admin.register(LearningPath)
class LearningPathAdmin(admin.ModelAdmin):
    list_display = ["title_en", "ce_hours", "is_published"]
    inlines = [ModuleInline]


class PageInline(admin.StackedInline):
    model = ModulePage
    extra = 0


class QuestionInline(admin.StackedInline):
    model = QuizQuestion
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title_en", "path", "order"]
    inlines = [PageInline, QuestionInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "capacity"]
    list_filter = ["status", "capacity", "needs"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["needs", "languages"]
    raw_id_fields = ["counties"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder_name", "path_title", "issued_at", "revoked_at"]
    search_fields = ["code", "holder_name"]
    readonly_fields = ["code", "enrolment", "issued_at"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Status and routing only: the family's shared details stay out of the admin."""

    list_display = ["short_ref", "from_organization", "to_organization", "status", "created"]
    list_filter = ["status", "urgency"]
    fields = [
        "from_organization",
        "to_organization",
        "service",
        "status",
        "urgency",
        "created",
        "status_changed_at",
        "due_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
