"""Counters the request boundary keeps in the database, so that every process sees the same limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Throttle(models.Model):
    """One fixed window of one limit for one client (``window_start`` = epoch for a lock-only row)."""

    scope = models.CharField(_("限制项"), max_length=32)
    key = models.CharField(_("客户端"), max_length=64)
    window_start = models.DateTimeField(_("时段开始"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="api_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
