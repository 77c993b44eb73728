from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from sanxiang.accounts.models import ApiToken, User
from sanxiang.accounts.roles import Role

# Django stores its default permissions as "Can add <model>" (English, fixed at migrate time): the
# admin shows them by their action in Chinese instead.
PERMISSION_ACTIONS = {"add": "可新增", "change": "可修改", "delete": "可删除", "view": "可查看"}


def role_label(name: str) -> str:
    """A group is named after its role's key; people read the role's Chinese name."""
    return str(Role(name).label) if name in Role.values else name


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    action, _sep, _rest = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS:
        return permission.name
    meta = model._meta
    return f"{meta.app_config.verbose_name} | {meta.verbose_name} | {PERMISSION_ACTIONS[action]}{meta.verbose_name}"


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("执法主体", {"fields": ("display_name", "agency", "officer")}),
    )
    list_display = ["username", "display_name", "agency", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", RoleFilter, "agency"]
    autocomplete_fields = ["agency", "officer"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: role_label(group.name)
        elif db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "expires_at", "last_used_at"]
    fields = ["user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        # Tokens are issued with `sanxiang issue-token`, which shows the raw token once.
        return False


# Groups are the roles (named by their key, which the code looks up): the admin shows each by its
# role's Chinese name and its permissions as in the user form.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    list_display = ["role"]
    # the bulk-action checkbox would be labelled with the group's key
    actions = None

    @admin.display(description="角色", ordering="name")
    def role(self, group):
        return role_label(group.name)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field
