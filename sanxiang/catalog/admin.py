"""Read-only admin: catalogue versions and law changes are written only through services
(new versions, never edits), so the admin shows them and changes nothing."""

from django.contrib import admin

from sanxiang.catalog.models import (
    DiscretionRule,
    EnforcementItem,
    LawChange,
    LawChangeCompletion,
    MajorCriterion,
    RecordingRequirement,
    SpotCheckItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DiscretionInline(admin.TabularInline):
    model = DiscretionRule
    extra = 0
    can_delete = False
    fields = ["position", "level", "circumstances", "penalty_kinds", "fine_min", "fine_max", "other"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


VERSION_COLUMNS = ["code", "version", "effective_from", "withdrawn", "agency", "created_at"]


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "version", "effective_from", "withdrawn", "agency"]
    list_filter = ["category", "withdrawn", "agency"]
    search_fields = ["code", "name", "basis_law"]
    inlines = [DiscretionInline]


@admin.register(SpotCheckItem)
class SpotCheckItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", *VERSION_COLUMNS[1:]]
    list_filter = ["withdrawn", "agency"]
    search_fields = ["code", "name"]


@admin.register(RecordingRequirement)
class RecordingRequirementAdmin(ReadOnlyAdmin):
    list_display = ["code", "procedure_name", "record_name", *VERSION_COLUMNS[1:]]
    list_filter = ["withdrawn", "agency"]

    @admin.display(description="执法程序")
    def procedure_name(self, obj) -> str:
        """The procedure's name (the stored value is its key)."""
        from sanxiang.procedures import registry

        try:
            return registry.get(obj.procedure).name
        except KeyError:
            return obj.procedure

    @admin.display(description="执法环节记录")
    def record_name(self, obj) -> str:
        from sanxiang.procedures import registry

        try:
            spec = registry.get(obj.procedure).records().get(obj.record)
        except KeyError:
            spec = None
        return spec.name if spec else obj.record


@admin.register(MajorCriterion)
class MajorCriterionAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "penalty_kind", "threshold", *VERSION_COLUMNS[1:]]
    list_filter = ["kind", "withdrawn", "agency"]


@admin.register(LawChange)
class LawChangeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "agency", "start_date", "due_date", "provisional"]
    list_filter = ["kind", "agency"]
    search_fields = ["title", "document_number"]


@admin.register(LawChangeCompletion)
class LawChangeCompletionAdmin(ReadOnlyAdmin):
    list_display = ["law_change", "completed_on", "completed_by"]
