"""Staff accounts: a user belongs to one agency and holds roles (groups)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.roles import Role


class User(AbstractUser):
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("所属执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    officer = models.OneToOneField(
        "registry.Officer",
        verbose_name=_("执法人员档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def has_role(self, role: Role | str) -> bool:
        if self.is_superuser and role == Role.ADMINISTRATOR:
            return True
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_cache = cache
        return str(role) in cache

    @property
    def roles(self) -> list[Role]:
        return [r for r in Role if self.has_role(r)]


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for integrators. Only its SHA-256 is stored; the raw token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "sx_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=_hash_token(raw))
        return token, raw

    @classmethod
    def find_active(cls, raw: str) -> ApiToken | None:
        return (
            cls.objects.select_related("user", "user__agency")
            .filter(digest=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
