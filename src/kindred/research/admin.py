from django.contrib import admin

from kindred.research.models import (
    Curator,
    DataRequest,
    Dataset,
    Finding,
    Panelist,
    Question,
    Round,
    RoundQuestion,
    Steward,
    Study,
)


@admin.register(Steward, Curator)
class ResearchRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "appointed_by", "created"]
    raw_id_fields = ["user", "appointed_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.appointed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "status", "created"]
    list_filter = ["theme", "status"]
    search_fields = ["title"]
    raw_id_fields = ["proposed_by", "merged_into", "followers"]


class RoundQuestionInline(admin.TabularInline):
    model = RoundQuestion
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "status", "created"]
    list_filter = ["status"]
    inlines = [RoundQuestionInline]
    raw_id_fields = ["previous", "created_by"]


@admin.register(Panelist)
class PanelistAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "group"]
    list_filter = ["group"]
    raw_id_fields = ["user", "round"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "ethics_status", "lead"]
    list_filter = ["status", "ethics_status"]
    search_fields = ["title", "registration_id"]
    raw_id_fields = ["lead", "team", "questions"]


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "study", "status", "created", "reviewed_at"]
    list_filter = ["status"]
    raw_id_fields = ["study", "requested_by", "reviewed_by"]
    # Decisions go through the steward's page so they are audited and the build starts.
    readonly_fields = ["status", "reviewed_by", "reviewed_at"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["pk", "request", "status", "row_count", "built_at", "expires_at"]
    list_filter = ["status"]
    readonly_fields = [
        "folder",
        "files",
        "report",
        "psychometrics",
        "progress",
        "row_count",
        "family_count",
        "built_at",
        "status",
        "request",
        "built_by",
    ]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["title_en", "study", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title_en", "title_es"]
    raw_id_fields = ["study", "author", "questions"]
