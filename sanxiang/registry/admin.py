from django.contrib import admin

from sanxiang.registry.models import (
    Agency,
    MarketEntity,
    Officer,
    Party,
    RecordingDevice,
    ReviewerRegistration,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region_code", "kind", "head_name", "status", "is_supervisory"]
    list_filter = ["status", "kind", "is_supervisory"]
    search_fields = ["name", "credit_code", "region_code"]
    autocomplete_fields = ["supervisor", "legal_office"]
    readonly_fields = ["public_id", "created_at", "updated_at"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "agency",
        "credential_number",
        "credential_region",
        "valid_from",
        "valid_until",
        "status",
    ]
    list_filter = ["status", "agency"]
    search_fields = ["name", "credential_number"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    list_select_related = ["agency"]


@admin.register(ReviewerRegistration)
class ReviewerRegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "role", "has_legal_qualification", "filed_on", "withdrawn_on"]
    list_filter = ["role", "agency"]
    search_fields = ["name"]
    autocomplete_fields = ["agency", "officer"]
    list_select_related = ["agency"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "id_type"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code", "id_number"]


@admin.register(MarketEntity)
class MarketEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "region_code", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "credit_code"]
    show_full_result_count = False


@admin.register(RecordingDevice)
class RecordingDeviceAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "kind", "agency", "keeper", "in_service_from", "retired_on"]
    list_filter = ["kind", "agency"]
    search_fields = ["serial_number", "model_name"]
    autocomplete_fields = ["agency", "keeper"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    list_select_related = ["agency", "keeper"]
