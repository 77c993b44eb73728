"""Administration of the disclosure configuration: push receivers (disclosure periods are rules in
the rules registry, set per region in its admin).

Records (duties, drafts, publications, withdrawals, the log) are not edited here: they change only
through the services, which write the ledger.
"""

from django.contrib import admin

from sanxiang.disclosure.models import WebhookDelivery, WebhookReceiver


@admin.register(WebhookReceiver)
class WebhookReceiverAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "agency", "active", "created_at")
    list_filter = ("active",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "event_id",
        "receiver",
        "event",
        "attempts",
        "last_status",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("event", "receiver")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
