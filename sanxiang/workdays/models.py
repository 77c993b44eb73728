"""The working-day calendar: per-year holiday data, its revisions, and stored deadlines.

A year's data is the State Council's 部分节假日安排的通知 entered as rows: statutory holidays and
rest days (放假) and 调休 make-up working days (上班), plus a jurisdiction's own extra days
(local overrides, ``region_code`` set). Every change to a year bumps its ``version`` and appends a
:class:`CalendarYearRevision` holding the exact data of that version, so a stored deadline's
``calendar_version`` (``"2026:3"``) names the data that computed it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.registry.validators import validate_region_code

if TYPE_CHECKING:
    from typing import Protocol

    from sanxiang.workdays.services import Deadline

    class RuleLike(Protocol):
        version_id: str


NOTICE_NUMBER_RULE = "发布状态的年度须填写国务院办公厅通知文号（如 国办发明电〔2025〕7号）"


class CalendarYear(models.Model):
    """One calendar year's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        PROVISIONAL = "provisional", _("未发布（暂按周末计算）")

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
        MANUAL = "manual", _("管理员录入")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL)
    notice_number = models.CharField(_("通知文号"), max_length=64, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    version = models.PositiveIntegerField(
        _("数据版本"), default=0, editable=False, help_text=_("该年度数据每变更一次加一")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("假日安排年度")
        verbose_name_plural = _("假日安排年度")

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        if (
            self.status == self.Status.PUBLISHED
            and self.source == self.Source.MANUAL
            and not self.notice_number
        ):
            raise ValidationError(
                {"notice_number": ValidationError(NOTICE_NUMBER_RULE, code="notice_number_required")}
            )


class SpecialDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday or rest day, or a make-up working day.

    ``region_code`` blank: national (the State Council notice). Set: a local override that applies
    inside that 行政区划 (e.g. a 民族自治地方's own holiday); the most specific entry for a date wins.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日/休息日（放假）")
        MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.PROTECT, related_name="days"
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, help_text=_("如 春节、国庆节"))
    region_code = models.CharField(
        _("适用行政区划"),
        max_length=6,
        blank=True,
        validators=[validate_region_code],
        help_text=_("留空为全国；填写则为该地区的地方安排"),
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("地方安排的文件依据"))

    class Meta:
        ordering = ["date", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region_code"], name="workdays_specialday_unique_date_region"
            )
        ]
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")

    def __str__(self) -> str:
        where = f" [{self.region_code}]" if self.region_code else ""
        return f"{self.date} {self.name} {self.get_kind_display()}{where}"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        try:
            calendar_year: CalendarYear | None = self.calendar_year  # may be an unsaved parent (admin add)
        except CalendarYear.DoesNotExist:
            calendar_year = None
        if calendar_year is not None and self.date and self.date.year != calendar_year.year:
            errors["date"] = ValidationError(
                f"日期: {self.date} 不属于 {calendar_year.year} 年度", code="date_outside_year"
            )
        if self.kind == self.Kind.MAKEUP_WORKDAY and self.date and self.date.weekday() < 5:
            errors["kind"] = ValidationError(
                f"类型: {self.date} 是周一至周五，调休上班日只能是周六或周日", code="makeup_on_weekday"
            )
        if self.region_code and not self.basis:
            errors["basis"] = ValidationError("依据: 地方安排须写明文件依据", code="local_basis_required")
        if errors:
            raise ValidationError(errors)


class CalendarYearRevision(models.Model):
    """Append-only: the exact data of one version of a year. Never edited or deleted."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.PROTECT, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("数据版本"))
    status = models.CharField(_("状态"), max_length=16, choices=CalendarYear.Status.choices)
    notice_number = models.CharField(_("通知文号"), max_length=64, blank=True)
    source = models.CharField(_("数据来源"), max_length=32)
    snapshot = models.JSONField(_("数据快照"))
    digest = models.CharField(_("快照摘要 SHA-256"), max_length=64)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["calendar_year", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_year", "version"], name="workdays_revision_unique_year_version"
            )
        ]
        verbose_name = _("假日安排版本")
        verbose_name_plural = _("假日安排版本")

    def __str__(self) -> str:
        return f"{self.calendar_year.year}:{self.version}"


class DeadlineUnit(models.TextChoices):
    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


def _set_deadline_method(prefix: str):
    def set_deadline(
        self: models.Model, deadline: Deadline, *, region: str = "", rule: RuleLike | None = None
    ) -> None:
        """Store a computed Deadline (and the region whose local days it used), and the version of
        the rule that gave its length (:func:`sanxiang.rules.selectors.rule_for`), so that a rule
        change never silently moves it: ``sanxiang rules recompute`` does, and records it."""
        setattr(self, prefix + "start_date", deadline.start)
        setattr(self, prefix + "days", deadline.days)
        setattr(self, prefix + "unit", deadline.unit)
        setattr(self, prefix + "due_date", deadline.due)
        setattr(self, prefix + "provisional", deadline.provisional)
        setattr(self, prefix + "calendar_version", deadline.calendar_version)
        setattr(self, prefix + "calendar_region", region)
        setattr(self, prefix + "rule_version", rule.version_id if rule is not None else "")
        setattr(self, prefix + "rule_region", region if rule is not None else "")

    return set_deadline


class DeadlineFields(models.Model):
    """The fields of one stored deadline, for other apps' models: ``class Review(DeadlineFields)``.

    Register the model with :func:`sanxiang.workdays.tracking.register_deadline_model` so that a
    calendar change recomputes it. A model with several deadlines uses :func:`deadline_fields`.
    """

    start_date = models.DateField(_("期间起算日（不计入）"))
    days = models.PositiveIntegerField(_("期间天数"))
    unit = models.CharField(_("计算单位"), max_length=8, choices=DeadlineUnit.choices)
    due_date = models.DateField(_("期限届满日"), db_index=True)
    provisional = models.BooleanField(
        _("暂定"), default=False, db_index=True, help_text=_("所涉年度假日安排未发布，暂按周末计算")
    )
    calendar_version = models.CharField(_("工作日历版本"), max_length=200)
    calendar_region = models.CharField(_("地方安排行政区划"), max_length=6, blank=True)
    rule_version = models.CharField(_("期限规则版本"), max_length=120, blank=True)
    rule_region = models.CharField(_("期限规则行政区划"), max_length=6, blank=True)

    set_deadline = _set_deadline_method("")

    class Meta:
        abstract = True


def deadline_fields(prefix: str) -> type[models.Model]:
    """An abstract model with :class:`DeadlineFields`' fields named ``prefix + name`` and a
    ``prefix + "set_deadline"`` method: ``class Case(deadline_fields("disclosure_"), …)``."""
    attrs: dict[str, object] = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        prefix + "set_deadline": _set_deadline_method(prefix),
    }
    for field in DeadlineFields._meta.local_fields:
        attrs[prefix + field.name] = field.clone()
    return type(f"DeadlineFields_{prefix.strip('_')}", (models.Model,), attrs)


class DeadlineRecomputation(models.Model):
    """Append-only audit: a stored deadline that a calendar change recomputed — old and new, and when."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("对象标识"), max_length=64)
    field_prefix = models.CharField(_("字段前缀"), max_length=64, blank=True)
    start_date = models.DateField(_("期间起算日"))
    days = models.PositiveIntegerField(_("期间天数"))
    unit = models.CharField(_("计算单位"), max_length=8, choices=DeadlineUnit.choices)
    old_due_date = models.DateField(_("原届满日"))
    new_due_date = models.DateField(_("新届满日"))
    old_provisional = models.BooleanField(_("原为暂定"))
    new_provisional = models.BooleanField(_("现为暂定"))
    old_calendar_version = models.CharField(_("原日历版本"), max_length=200)
    new_calendar_version = models.CharField(_("新日历版本"), max_length=200)
    new_days = models.PositiveIntegerField(_("新期间天数"), null=True, blank=True)
    old_rule_version = models.CharField(_("原规则版本"), max_length=120, blank=True)
    new_rule_version = models.CharField(_("新规则版本"), max_length=120, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    recomputed_at = models.DateTimeField(_("重算时间"), auto_now_add=True)

    class Meta:
        ordering = ["-recomputed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="workdays_recomp_object_idx")]
        verbose_name = _("期限重算记录")
        verbose_name_plural = _("期限重算记录")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.old_due_date} → {self.new_due_date}"
