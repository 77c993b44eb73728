"""What an administrator changes: which profile a region works under, and a single rule overridden
for a region by a cited local document. Both are versioned rows that are never edited: a later row
with a later effective date supersedes an earlier one, and each is written to the ledger.

The shipped profiles themselves are data in :mod:`sanxiang.rules.catalogue`, not rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.rules.catalogue import PROFILES


class RegionProfile(models.Model):
    """From ``effective_from`` on, every region whose code starts with ``region_prefix`` (unless a
    longer prefix says otherwise) works under ``profile``."""

    region_prefix = models.CharField(
        _("行政区划代码前缀"), max_length=6, help_text=_("如 22 为吉林省，2207 为松原市，220702 为宁江区")
    )
    # Choices live in the data (catalogue.PROFILES), checked by the service, so that adding a
    # profile or a rule needs no migration.
    profile = models.CharField(_("规则配置"), max_length=32)
    effective_from = models.DateField(_("施行日期"))
    document = models.CharField(_("依据文件"), max_length=300)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("记录序号"), null=True)

    class Meta:
        ordering = ["region_prefix", "-effective_from", "-id"]
        indexes = [models.Index(fields=["region_prefix", "effective_from"], name="rules_region_profile_idx")]
        verbose_name = _("地区规则配置")
        verbose_name_plural = _("地区规则配置")

    def __str__(self) -> str:
        name = PROFILES[self.profile].name if self.profile in PROFILES else self.profile
        return f"{self.region_prefix} → {name}（{self.effective_from}起）"


class RuleOverride(models.Model):
    """One rule set differently for a region by a local document, from ``effective_from`` on."""

    region_prefix = models.CharField(_("行政区划代码前缀"), max_length=6)
    key = models.CharField(_("规则"), max_length=64)
    value = models.CharField(_("取值"), max_length=64, blank=True, help_text=_("留空表示不作规定"))
    effective_from = models.DateField(_("施行日期"))
    source_title = models.CharField(_("依据文件名称"), max_length=200, help_text=_("不含书名号"))
    source_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    source_article = models.CharField(_("条款"), max_length=100, blank=True)
    source_url = models.URLField(_("文件链接"), blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("记录序号"), null=True)

    class Meta:
        ordering = ["region_prefix", "key", "-effective_from", "-id"]
        indexes = [models.Index(fields=["key", "region_prefix"], name="rules_override_key_idx")]
        verbose_name = _("地方规则")
        verbose_name_plural = _("地方规则")

    def __str__(self) -> str:
        return f"{self.region_prefix} {self.key} = {self.value}（{self.effective_from}起）"


class RuleRecomputation(models.Model):
    """Append-only audit of one ``sanxiang rules recompute`` run (each changed deadline is also a
    :class:`sanxiang.workdays.models.DeadlineRecomputation` row)."""

    key = models.CharField(_("规则"), max_length=64, blank=True)
    region_prefix = models.CharField(_("行政区划代码前缀"), max_length=6, blank=True)
    examined = models.PositiveIntegerField(_("检查期限数"))
    changed = models.PositiveIntegerField(_("重算期限数"))
    reason = models.CharField(_("原因"), max_length=200)
    run_by = models.CharField(_("执行人"), max_length=150)
    run_at = models.DateTimeField(_("执行时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("记录序号"), null=True)

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = _("规则变更重算记录")
        verbose_name_plural = _("规则变更重算记录")

    def __str__(self) -> str:
        return f"{self.key or '全部规则'} {self.changed}/{self.examined}"
