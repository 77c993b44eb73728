"""Admin: an administrator enters a year's State Council notice (and local arrangements) as data.

Saving a year records a new version through the service (revision, cache invalidation, deadline
recompute on commit). Years are never deleted: set the status back to provisional instead.
Revisions and recomputation records are read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from sanxiang.workdays.models import (
    CalendarYear,
    CalendarYearRevision,
    DeadlineRecomputation,
    SpecialDay,
)
from sanxiang.workdays.services import calendar_year_record_change


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "status", "notice_number"]

    def clean(self):
        # A year saved by hand is the administrator's: seed_holidays keeps it as entered, and as a
        # manual year it needs its notice number when published (CalendarYear.clean).
        self.instance.source = CalendarYear.Source.MANUAL
        return super().clean()


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name", "region_code", "basis"]
    extra = 3


class RevisionInline(admin.TabularInline):
    model = CalendarYearRevision
    fields = ["version", "status", "notice_number", "source", "digest", "changed_by", "changed_at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "status", "notice_number", "source", "version", "updated_at"]
    list_filter = ["status", "source"]
    search_fields = ["year", "notice_number"]
    readonly_fields = ["source", "version", "updated_at"]
    inlines = [SpecialDayInline, RevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # The year of a stored row is its identity; its days and revisions hang off it.
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_year_record_change(actor=request.user, calendar_year=form.instance, note="管理后台")


@admin.register(DeadlineRecomputation)
class DeadlineRecomputationAdmin(admin.ModelAdmin):
    list_display = [
        "recomputed_at",
        "content_type",
        "object_id",
        "field_prefix",
        "old_due_date",
        "new_due_date",
        "old_calendar_version",
        "new_calendar_version",
    ]
    list_filter = ["content_type", "new_provisional"]
    search_fields = ["object_id", "new_calendar_version", "old_calendar_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
