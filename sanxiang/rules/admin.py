"""Admin: an administrator assigns a region a profile or overrides one rule for a region, through
the services (validation, ledger entry, cache invalidation). Rows are never edited or deleted: a
change is a new row with a later effective date."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from sanxiang.errors import SanxiangError
from sanxiang.rules import selectors, services
from sanxiang.rules.catalogue import KEYS, PROFILES
from sanxiang.rules.models import RegionProfile, RuleOverride, RuleRecomputation


class _AppendOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in self.model._meta.fields]
        return ["created_by", "created_at", "ledger_seq"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = self.create(request, form.cleaned_data)
        obj.pk = saved.pk


def _clean_with_service_rules(form: forms.ModelForm, unit_of_key: bool) -> None:
    """The service's own checks, shown on the form instead of a server error."""
    data = form.cleaned_data
    try:
        selectors.region_chain(data.get("region_prefix", ""))
    except SanxiangError as exc:
        form.add_error("region_prefix", exc.errors[0].message)
    if unit_of_key and data.get("key") in KEYS:
        try:
            selectors.parse_value(KEYS[data["key"]].unit, data.get("value", ""))
        except ValueError as exc:
            form.add_error("value", f"取值: {exc}")


class RegionProfileForm(forms.ModelForm):
    profile = forms.ChoiceField(label="规则配置", choices=[(p.code, p.name) for p in PROFILES.values()])

    class Meta:
        model = RegionProfile
        fields = ["region_prefix", "profile", "effective_from", "document", "reason"]

    def clean(self):
        data = super().clean()
        _clean_with_service_rules(self, unit_of_key=False)
        return data


@admin.register(RegionProfile)
class RegionProfileAdmin(_AppendOnlyAdmin):
    form = RegionProfileForm
    list_display = ["region_prefix", "profile", "effective_from", "document", "created_by", "created_at"]
    list_filter = ["profile"]
    fields = ["region_prefix", "profile", "effective_from", "document", "reason"]

    def create(self, request, data):
        return services.assign_profile(
            actor=request.user,
            region=data["region_prefix"],
            profile=data["profile"],
            effective_from=data["effective_from"],
            document=data["document"],
            reason=data.get("reason", ""),
        )


class RuleOverrideForm(forms.ModelForm):
    key = forms.ChoiceField(
        label="规则", choices=[(k.key, k.title) for k in KEYS.values()]
    )  # titles are unique
    source_url = forms.URLField(label="文件链接", required=False, assume_scheme="https")

    class Meta:
        model = RuleOverride
        fields = [
            "region_prefix",
            "key",
            "value",
            "effective_from",
            "source_title",
            "source_number",
            "source_article",
            "source_url",
            "reason",
        ]

    def clean(self):
        data = super().clean()
        _clean_with_service_rules(self, unit_of_key=True)
        return data


@admin.register(RuleOverride)
class RuleOverrideAdmin(_AppendOnlyAdmin):
    form = RuleOverrideForm
    list_display = ["region_prefix", "key", "value", "effective_from", "source_title", "source_article"]
    list_filter = ["key"]
    fields = RuleOverrideForm.Meta.fields

    def create(self, request, data):
        return services.override_rule(
            actor=request.user,
            region=data["region_prefix"],
            key=data["key"],
            value=data.get("value", ""),
            effective_from=data["effective_from"],
            source_title=data["source_title"],
            source_number=data.get("source_number", ""),
            source_article=data.get("source_article", ""),
            source_url=data.get("source_url", ""),
            reason=data.get("reason", ""),
        )


@admin.register(RuleRecomputation)
class RuleRecomputationAdmin(admin.ModelAdmin):
    list_display = ["run_at", "key", "region_prefix", "examined", "changed", "reason", "run_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
