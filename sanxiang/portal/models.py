"""What the portal itself keeps: an agency's own 行政执法规范用语, versioned (sanxiang.portal.phrasebook)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PhrasebookVersion(models.Model):
    """One version of an agency's 行政执法规范用语. Never updated: a change is the next version.

    ``sections`` is a list of ``{"scene", "source", "civil": [str, …], "forbidden": [str, …]}``
    (场景、依据、文明用语、禁忌用语), the same shape as the platform's default."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"))
    sections = models.JSONField(_("规范用语"), default=list)
    source = models.CharField(_("制定依据"), max_length=300)
    reason = models.CharField(_("变更原因"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("行政执法规范用语")
        verbose_name_plural = _("行政执法规范用语")
        ordering = ["agency_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "version"], name="portal_phrasebook_one_row_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} v{self.version}"


APPEND_ONLY_TABLES = ("portal_phrasebookversion",)
