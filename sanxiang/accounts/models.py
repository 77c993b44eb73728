"""Staff accounts: a user belongs to one agency and holds roles (groups)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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

    def get_short_name(self) -> str:
        """The name the admin greets with (欢迎，系统管理员), not the login name."""
        return self.display_name or self.first_name

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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False, verbose_name=_("令牌前缀"))
    digest = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("摘要"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("最近使用时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, db_index=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
        """A new token valid for ``days`` (default settings.SANXIANG_API_TOKEN_DAYS); the raw value once."""
        raw = "sx_" + secrets.token_urlsafe(32)
        valid_days = days if days is not None else settings.SANXIANG_API_TOKEN_DAYS
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:8],
            digest=_hash_token(raw),
            expires_at=timezone.now() + timedelta(days=valid_days),
        )
        return token, raw

    @classmethod
    def find_active(cls, raw: str) -> ApiToken | None:
        """The unrevoked, unexpired token of an active user with this value, else None."""
        return (
            cls.objects.select_related("user", "user__agency")
            .filter(
                digest=_hash_token(raw),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )

    @classmethod
    def revoke(cls, tokens: models.QuerySet[ApiToken]) -> int:
        """Revoke every still-active token of ``tokens`` now; returns how many."""
        return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
