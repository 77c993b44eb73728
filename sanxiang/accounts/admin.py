from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from sanxiang.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("执法主体", {"fields": ("display_name", "agency", "officer")}),
    )
    list_display = ["username", "display_name", "agency", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "agency"]
    autocomplete_fields = ["agency", "officer"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "expires_at", "last_used_at"]
    fields = ["user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        # Tokens are issued with `sanxiang issue-token`, which shows the raw token once.
        return False
