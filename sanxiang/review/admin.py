"""Read-only admin: a review is changed only through its services (and their ledger entries), so
the admin can neither forge a passed review nor alter a recorded one."""

from django.contrib import admin

from sanxiang.review.models import Assignment, ChecklistMark, Opinion, ReviewRound


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnly, admin.TabularInline):
    model = Assignment
    fields = ("role", "name", "reason", "at")
    extra = 0


class MarkInline(ReadOnly, admin.TabularInline):
    model = ChecklistMark
    fields = ("item", "passed", "note", "at")
    extra = 0


class OpinionInline(ReadOnly, admin.StackedInline):
    model = Opinion
    fields = ("outcome", "reasons", "document_sm3", "at")
    extra = 0


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "status", "submitted_at", "due_date")
    list_filter = ("status",)
    inlines = [AssignmentInline, MarkInline, OpinionInline]
