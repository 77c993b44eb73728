"""The published lists (清单) of an agency, versioned with effective dates.

Every list entry has a code that is stable across versions. A change never edits a row: it adds
the next version (a new row) with the date it takes effect; withdrawing an entry adds a version
marked withdrawn. The entry in force on a day is the version with the latest effective date on or
before that day (the higher version number wins on the same day).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.workdays.models import DeadlineFields


class ListKind(models.TextChoices):
    ITEMS = "items", _("行政执法事项清单")
    SPOT_CHECKS = "spot_checks", _("随机抽查事项清单")
    RECORDING = "recording", _("音像记录事项清单")
    MAJOR = "major", _("重大执法决定法制审核目录清单")


class ItemCategory(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    EXPROPRIATION = "expropriation", _("行政征收")
    CHARGE = "charge", _("行政收费")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    ADJUDICATION = "adjudication", _("行政裁决")
    BENEFIT = "benefit", _("行政给付")
    OTHER = "other", _("其他")


class PeriodUnit(models.TextChoices):
    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


class PenaltyKind(models.TextChoices):
    """行政处罚的种类 (行政处罚法 第九条)."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_PERMIT = "suspend_permit", _("暂扣许可证件")
    DOWNGRADE = "downgrade", _("降低资质等级")
    REVOKE_PERMIT = "revoke_permit", _("吊销许可证件")
    RESTRICT_ACTIVITY = "restrict_activity", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("其他")


class PartyScope(models.TextChoices):
    ANY = "any", _("不限")
    PERSON = "person", _("公民")
    ORGANISATION = "organisation", _("法人或者其他组织")


class CriterionKind(models.TextChoices):
    PENALTY_KIND = "penalty_kind", _("处罚种类")
    FINE = "fine", _("罚款数额")
    CONFISCATION = "confiscation", _("没收数额")
    HEARING = "hearing", _("经过听证")
    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    MAJOR_RIGHTS = "major_rights", _("直接关系当事人或第三人重大权益")
    SOCIAL_IMPACT = "social_impact", _("可能造成重大社会影响或引发社会风险")
    COMPLEX = "complex", _("案件疑难复杂、涉及多个法律关系")
    OTHER = "other", _("其他情形")


class LawChange(DeadlineFields, models.Model):
    """A change in law or organisation that the agency's lists must follow within 20 working days
    (《松原市行政执法公示办法》第二十五条). The deadline fields run from the trigger date."""

    class Kind(models.TextChoices):
        ENACTED = "enacted", _("新公布")
        AMENDED = "amended", _("修改")
        REPEALED = "repealed", _("废止")
        REORGANISED = "reorganised", _("部门机构职能调整")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="law_changes"
    )
    kind = models.CharField(_("变化类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("法律、法规、规章、规范性文件或机构调整"), max_length=300)
    document_number = models.CharField(_("文号或条款"), max_length=100, blank=True)
    lists = models.JSONField(_("受影响的清单"), default=list)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法律法规立改废及机构调整")
        verbose_name_plural = _("法律法规立改废及机构调整")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["agency", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class LawChangeCompletion(models.Model):
    """The lists were updated for a law change (a separate row: the change itself is never edited)."""

    law_change = models.OneToOneField(
        LawChange, verbose_name=_("法律法规变化"), on_delete=models.PROTECT, related_name="completion"
    )
    completed_on = models.DateField(_("完成更新日期"))
    note = models.TextField(_("说明"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("清单更新完成记录")
        verbose_name_plural = _("清单更新完成记录")

    def __str__(self) -> str:
        return f"{self.law_change} · {self.completed_on}"

    @property
    def on_time(self) -> bool:
        return self.completed_on <= self.law_change.due_date


class EntryVersion(models.Model):
    """One version of one entry of one list. Never updated: a change is the next version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("编码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"))
    withdrawn = models.BooleanField(_("本版本为废止"), default=False)
    reason = models.CharField(_("变更原因"), max_length=300)
    law_change = models.ForeignKey(
        LawChange,
        verbose_name=_("对应的法律法规变化"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["agency_id", "code", "version"]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


def _version_meta(name: str) -> dict:
    return {
        "constraints": [
            models.UniqueConstraint(fields=["agency", "code", "version"], name=f"{name}_one_row_per_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name=f"{name}_version_positive"),
        ],
        "indexes": [models.Index(fields=["agency", "code", "effective_from"], name=f"{name}_in_force")],
    }


class EnforcementItem(EntryVersion):
    """行政执法事项清单 (《松原市行政执法公示办法》第二十二条)."""

    category = models.CharField(_("事项类别"), max_length=16, choices=ItemCategory.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    basis_law = models.CharField(_("依据（法律法规名称）"), max_length=200)
    basis_article = models.CharField(_("依据（条款）"), max_length=200)
    handling_unit = models.CharField(_("承办机构"), max_length=200)
    time_limit_days = models.PositiveIntegerField(_("办理时限"), null=True, blank=True)
    time_limit_unit = models.CharField(_("时限单位"), max_length=8, choices=PeriodUnit.choices, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta(EntryVersion.Meta):
        verbose_name = _("行政执法事项")
        verbose_name_plural = _("行政执法事项清单")
        constraints = _version_meta("catalog_item")["constraints"]
        indexes = _version_meta("catalog_item")["indexes"]


class DiscretionRule(models.Model):
    """裁量基准 row of a penalty item version (行政处罚法 第三十四条): circumstances → penalty range."""

    item = models.ForeignKey(
        EnforcementItem, verbose_name=_("执法事项"), on_delete=models.PROTECT, related_name="discretion"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    level = models.CharField(_("裁量阶次"), max_length=50)
    circumstances = models.TextField(_("适用情形"))
    penalty_kinds = models.JSONField(_("处罚种类"), default=list)
    fine_min = models.DecimalField(
        _("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    other = models.CharField(_("其他处罚内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="catalog_discretion_position"),
            models.CheckConstraint(
                condition=models.Q(fine_min__isnull=True)
                | models.Q(fine_max__isnull=True)
                | models.Q(fine_max__gte=models.F("fine_min")),
                name="catalog_discretion_fine_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}：{self.circumstances[:20]}"


class SpotCheckItem(EntryVersion):
    """随机抽查事项清单 (《松原市行政执法公示办法》第十一条、第二十三条)."""

    name = models.CharField(_("抽查事项"), max_length=200)
    subject = models.CharField(_("抽查主体"), max_length=200)
    basis_law = models.CharField(_("抽查依据（法律法规名称）"), max_length=200)
    basis_article = models.CharField(_("抽查依据（条款）"), max_length=200)
    target = models.CharField(_("抽查对象"), max_length=300)
    content = models.TextField(_("抽查内容"))
    method = models.CharField(_("抽查方式"), max_length=200)
    ratio = models.DecimalField(_("抽查比例（%）"), max_digits=5, decimal_places=2)
    frequency = models.CharField(_("抽查频次"), max_length=100)

    class Meta(EntryVersion.Meta):
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        constraints = _version_meta("catalog_spot")["constraints"]
        indexes = _version_meta("catalog_spot")["indexes"]


class RecordingRequirement(EntryVersion):
    """音像记录事项清单: a procedure record that needs audio/video beyond the statutory minimum.

    ``procedure`` and ``record`` are keys of the procedure definitions (sanxiang.procedures).
    """

    procedure = models.CharField(_("执法程序"), max_length=50)
    record = models.CharField(_("执法环节记录"), max_length=64)
    description = models.TextField(_("音像记录要求"))
    basis_law = models.CharField(_("依据（文件名称）"), max_length=200)
    basis_article = models.CharField(_("依据（条款）"), max_length=200, blank=True)

    class Meta(EntryVersion.Meta):
        verbose_name = _("音像记录事项")
        verbose_name_plural = _("音像记录事项清单")
        constraints = _version_meta("catalog_recording")["constraints"]
        indexes = _version_meta("catalog_recording")["indexes"]


class MajorCriterion(EntryVersion):
    """重大执法决定法制审核目录清单 (《松原市重大行政执法决定法制审核办法》第三条第二款)."""

    kind = models.CharField(_("标准类型"), max_length=20, choices=CriterionKind.choices)
    decision_category = models.CharField(
        _("决定类别"), max_length=16, choices=ItemCategory.choices, default=ItemCategory.PENALTY
    )
    penalty_kind = models.CharField(_("处罚种类"), max_length=24, choices=PenaltyKind.choices, blank=True)
    party_scope = models.CharField(
        _("当事人范围"), max_length=16, choices=PartyScope.choices, default=PartyScope.ANY
    )
    threshold = models.DecimalField(
        _("数额标准（元，含本数）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("标准说明"))
    basis_law = models.CharField(_("依据（文件名称）"), max_length=200)
    basis_article = models.CharField(_("依据（条款）"), max_length=200, blank=True)

    class Meta(EntryVersion.Meta):
        verbose_name = _("重大执法决定标准")
        verbose_name_plural = _("重大执法决定法制审核目录清单")
        constraints = _version_meta("catalog_major")["constraints"]
        indexes = _version_meta("catalog_major")["indexes"]


MODELS: dict[str, type[EntryVersion]] = {
    ListKind.ITEMS: EnforcementItem,
    ListKind.SPOT_CHECKS: SpotCheckItem,
    ListKind.RECORDING: RecordingRequirement,
    ListKind.MAJOR: MajorCriterion,
}


# 依申请 matters: the categories whose cases start with a party's application, and so have a
# 行政执法服务指南 (《松原市行政执法公示办法》第十五条、第二十四条).
APPLICATION_CATEGORIES = (
    ItemCategory.LICENSING,
    ItemCategory.CONFIRMATION,
    ItemCategory.ADJUDICATION,
    ItemCategory.BENEFIT,
)


class ServiceGuide(EntryVersion):
    """行政执法服务指南 of one 依申请 matter: its ``code`` is the matter's code in the 事项清单, whose
    name, basis and 承诺时限 the guide shows; the guide adds what the applicant needs to know
    (《松原市行政执法公示办法》第十五条、第二十四条). Versioned like the lists: a change is a new row.

    ``materials`` is the 申请材料清单, a list of ``{"name", "form", "copies", "note", "sample":
    {"title", "fields": [[label, example], …], "statement"}, "mistakes": [str, …]}``: every material
    has a 示范文本 (generated as DOCX from ``sample``) and its 常见错误示例.
    """

    procedure = models.CharField(_("执法程序"), max_length=50, default="licensing")
    accepting_unit = models.CharField(_("受理机构"), max_length=200)
    approving_unit = models.CharField(_("审批机构"), max_length=200)
    conditions = models.TextField(_("许可条件"))
    materials = models.JSONField(_("申请材料清单"), default=list)
    fee = models.CharField(_("收费标准"), max_length=300)
    fee_basis = models.CharField(_("收费依据"), max_length=300, blank=True)
    relief = models.TextField(_("减、免、缓、征的条件和标准"), blank=True)
    certificate = models.CharField(_("证照发放"), max_length=300)
    forms = models.CharField(_("表格下载方式"), max_length=300)
    consult = models.CharField(_("咨询渠道"), max_length=300)
    complaint = models.CharField(_("投诉举报"), max_length=300)
    office_hours = models.CharField(_("办公时间"), max_length=200)
    office_address = models.CharField(_("办公地址"), max_length=300)
    office_phone = models.CharField(_("办公电话"), max_length=50)

    class Meta(EntryVersion.Meta):
        verbose_name = _("行政执法服务指南")
        verbose_name_plural = _("行政执法服务指南")
        constraints = _version_meta("catalog_guide")["constraints"]
        indexes = _version_meta("catalog_guide")["indexes"]
