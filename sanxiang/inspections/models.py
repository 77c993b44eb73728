"""双随机一公开: 一单两库, plans, verifiable draws, teams, inspections and their published results.

Everything here is append-only (database triggers refuse UPDATE and DELETE, see the migrations): a
re-draw is a new ``Draw`` pointing at the old one with its reason, a result returned by review is
followed by a new ``ResultEntry``; the states are read from the rows that exist.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY_TABLES = (
    "inspections_spotcheckprofile",
    "inspections_creditclass",
    "inspections_otherobject",
    "inspections_recusal",
    "inspections_plan",
    "inspections_planagency",
    "inspections_batch",
    "inspections_planfiling",
    "inspections_draw",
    "inspections_drawoutcome",
    "inspections_target",
    "inspections_inspection",
    "inspections_resultentry",
    "inspections_resultreview",
)


class Level(models.TextChoices):
    GENERAL = "general", _("一般检查事项")
    KEY = "key", _("重点检查事项")


class ObjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    PRODUCT = "product", _("产品")
    PROJECT = "project", _("工程项目")
    PLACE = "place", _("场所")


ENTITY_KINDS = (ObjectKind.ENTERPRISE, ObjectKind.INDIVIDUAL_BUSINESS, ObjectKind.COOPERATIVE)
OTHER_KINDS = (ObjectKind.PRODUCT, ObjectKind.PROJECT, ObjectKind.PLACE)


class RiskClass(models.TextChoices):
    """信用风险分类 (国市监信〔2019〕38号 差异化抽查): internal, never shown to the public."""

    A = "A", _("A类（信用风险低）")
    B = "B", _("B类（信用风险一般）")
    C = "C", _("C类（信用风险较高）")
    D = "D", _("D类（信用风险高）")


class SpotCheckProfile(models.Model):
    """The inspection attributes of one version of a 随机抽查事项 (the catalogue keeps 依据、对象、比例、
    频次、方式): 一般/重点, which kinds of object the item covers, and which 执法类别 its inspectors need."""

    item = models.OneToOneField(
        "catalog.SpotCheckItem", verbose_name=_("随机抽查事项"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("事项类别"), max_length=16, choices=Level.choices)
    object_kinds = models.JSONField(_("对象范围"), default=list)
    category = models.CharField(_("执法类别"), max_length=24)
    region_code = models.CharField(_("抽查区域"), max_length=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("抽查事项检查属性")
        verbose_name_plural = _("抽查事项检查属性")

    def __str__(self) -> str:
        return f"{self.item} · {self.get_level_display()}"


class CreditClass(models.Model):
    """One classification of a market entity (the latest on or before a day counts). Internal."""

    entity = models.ForeignKey(
        "registry.MarketEntity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+"
    )
    risk_class = models.CharField(_("信用风险分类"), max_length=1, choices=RiskClass.choices)
    classified_on = models.DateField(_("分类日期"))
    basis = models.CharField(_("分类依据"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("信用风险分类")
        verbose_name_plural = _("信用风险分类")
        indexes = [models.Index(fields=["entity", "-classified_on", "-id"], name="insp_credit_latest")]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.risk_class}"


class OtherObject(models.Model):
    """A product, project or place in the 检查对象名录库 (when an item's 对象范围 says so)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    kind = models.CharField(_("对象类型"), max_length=24, choices=ObjectKind.choices)
    code = models.CharField(_("编号"), max_length=64)
    name = models.CharField(_("名称"), max_length=200)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("所属市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    risk_class = models.CharField(_("风险分类"), max_length=1, choices=RiskClass.choices)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("其他检查对象")
        verbose_name_plural = _("其他检查对象")
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "code"], name="insp_other_code")]

    def __str__(self) -> str:
        return self.name


class Recusal(models.Model):
    """A declared 回避 relation of an officer with an object (行政处罚法 第四十三条)."""

    class Kind(models.TextChoices):
        KIN = "kin", _("近亲属关系")
        FORMER_EMPLOYER = "former_employer", _("曾在该单位任职")
        PRIOR_INVOLVEMENT = "prior_involvement", _("曾参与该对象的案件或利害关系")
        OTHER = "other", _("其他可能影响公正的关系")

    officer = models.ForeignKey(
        "registry.Officer", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法人员")
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("市场主体"),
    )
    other_object = models.ForeignKey(
        OtherObject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("其他检查对象"),
    )
    kind = models.CharField(_("回避情形"), max_length=24, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    declared_on = models.DateField(_("申报日期"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报人")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity__isnull=False, other_object__isnull=True)
                | models.Q(entity__isnull=True, other_object__isnull=False),
                name="insp_recusal_one_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} · {self.get_kind_display()}"


class Plan(models.Model):
    """年度抽查计划 of one agency, or a 部门联合抽查 plan of several (``PlanAgency``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    number = models.CharField(_("计划编号"), max_length=64, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    lead_agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    joint = models.BooleanField(_("部门联合抽查"), default=False)
    scope = models.TextField(_("抽查范围"))
    external_ref = models.CharField(_("外部平台编号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead_agency", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="insp_plan_external_ref",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanAgency(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="participants", verbose_name=_("抽查计划")
    )
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    category = models.CharField(_("执法类别"), max_length=24)

    class Meta:
        verbose_name = _("参与抽查部门")
        verbose_name_plural = _("参与抽查部门")
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="insp_plan_agency_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.agency_id}"


class Batch(models.Model):
    """One batch (批次) of a plan: the item, the planned number or ratio and the dates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="batches", verbose_name=_("抽查计划")
    )
    position = models.PositiveSmallIntegerField(_("批次"))
    name = models.CharField(_("批次名称"), max_length=200)
    item = models.ForeignKey(
        "catalog.SpotCheckItem", verbose_name=_("随机抽查事项"), on_delete=models.PROTECT, related_name="+"
    )
    ratios = models.JSONField(_("各信用风险分类的抽查比例（%）"), default=dict)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("抽查批次")
        verbose_name_plural = _("抽查批次")
        ordering = ["plan_id", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="insp_batch_position")]

    def __str__(self) -> str:
        return self.name


class PlanFiling(models.Model):
    """备案: the plan filed with the supervising 司法局."""

    plan = models.OneToOneField(
        Plan, on_delete=models.PROTECT, related_name="filing", verbose_name=_("抽查计划")
    )
    supervisor = models.ForeignKey(
        "registry.Agency", verbose_name=_("备案机关"), on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField(_("备案日期"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("备案人")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("抽查计划备案")
        verbose_name_plural = _("抽查计划备案")

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.filed_on}"


class Draw(models.Model):
    """A draw announced with its frozen snapshots, parameters and commitment (before the randomness
    exists). Never changed; ``DrawOutcome`` is added when the draw is made; a re-draw is a new row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    number = models.CharField(_("抽取编号"), max_length=64, unique=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="draws", verbose_name=_("抽查批次")
    )
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    redraw_of = models.OneToOneField(
        "self",
        verbose_name=_("重新抽取的原抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redrawn_by",
    )
    redraw_reason = models.TextField(_("重新抽取理由"), blank=True)
    inspection_date = models.DateField(_("检查日期"))
    parameters = models.JSONField(_("抽取参数"))
    parameters_sm3 = models.CharField(max_length=64, verbose_name=_("抽取参数 SM3"))
    objects_blob = models.CharField(_("检查对象名录库快照"), max_length=64)
    objects_sm3 = models.CharField(max_length=64, verbose_name=_("对象名录 SM3"))
    objects_count = models.PositiveIntegerField(verbose_name=_("对象数量"))
    officers_blob = models.CharField(_("执法检查人员名录库快照"), max_length=64)
    officers_sm3 = models.CharField(max_length=64, verbose_name=_("检查人员名录 SM3"))
    officers_count = models.PositiveIntegerField(verbose_name=_("检查人员数量"))
    internal_blob = models.CharField(
        max_length=64, verbose_name=_("内部存证文件")
    )  # token → object and class (never published)
    strata_classes = models.JSONField(
        default=dict, verbose_name=_("分层类别")
    )  # stratum label → class (internal)
    commitment = models.CharField(_("随机数承诺值"), max_length=64)
    secret = models.CharField(
        max_length=64, verbose_name=_("抽取密钥")
    )  # the agency's random value, shown only at the draw
    randomness_source = models.CharField(_("公共随机数来源"), max_length=300)
    randomness_expected_on = models.DateField(_("公共随机数产生日期"))
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("公布人")
    )
    announced_at = models.DateTimeField(auto_now_add=True, verbose_name=_("公布时间"))
    ledger_seq = models.BigIntegerField(verbose_name=_("存证记录序号"))

    class Meta:
        verbose_name = _("随机抽取")
        verbose_name_plural = _("随机抽取")
        ordering = ["-announced_at"]

    def __str__(self) -> str:
        return self.number


class DrawOutcome(models.Model):
    class Status(models.TextChoices):
        DRAWN = "drawn", _("已抽取")
        FAILED = "failed", _("抽取未能完成")

    draw = models.OneToOneField(
        Draw, on_delete=models.PROTECT, related_name="outcome", verbose_name=_("抽取")
    )
    status = models.CharField(max_length=8, choices=Status.choices, verbose_name=_("状态"))
    randomness = models.CharField(_("公共随机数"), max_length=300)
    beacon = models.JSONField(
        default=dict, blank=True, verbose_name=_("公共随机信标")
    )  # drand round, network and signature(s), if any
    selection = models.JSONField(default=dict, verbose_name=_("抽中对象"))
    failure_reason = models.TextField(blank=True, verbose_name=_("未能完成原因"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    drawn_at = models.DateTimeField(auto_now_add=True, verbose_name=_("抽取时间"))
    ledger_seq = models.BigIntegerField(verbose_name=_("存证记录序号"))

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")

    def __str__(self) -> str:
        return f"{self.draw_id} · {self.get_status_display()}"


class Target(models.Model):
    """One drawn object with its inspectors (credential numbers, one list per team).

    A draw writes tens of thousands of targets at once, so the references carry no database foreign
    key: the per-row deferred check (a lock on each referenced row) cost more than the whole draw
    (docs/decisions/0021-draws-in-bulk-drand-and-workload.md). They are sound by construction: targets are written
    only by ``draw_perform`` from the draw locked in the same transaction and the objects of its
    frozen snapshot; draws and other objects are append-only, and market entities are never deleted
    (``PROTECT`` still refuses it through the ORM)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    draw = models.ForeignKey(  # (draw, position) is unique: that index serves the draw's targets
        Draw,
        on_delete=models.PROTECT,
        related_name="targets",
        db_constraint=False,
        db_index=False,
        verbose_name=_("抽取"),
    )
    position = models.PositiveIntegerField(verbose_name=_("顺序"))
    token = models.CharField(max_length=32, verbose_name=_("对象标识"))
    entity = models.ForeignKey(
        "registry.MarketEntity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("市场主体"),
    )
    other_object = models.ForeignKey(
        OtherObject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("其他检查对象"),
    )
    name = models.CharField(_("检查对象"), max_length=200)
    code = models.CharField(_("统一社会信用代码或编号"), max_length=64)
    region_code = models.CharField(max_length=6, verbose_name=_("行政区划代码"))
    inspectors = models.JSONField(default=list, verbose_name=_("检查人员"))

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "position"], name="insp_target_position")]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """The inspection of one target by one agency, as a case under the 行政检查 procedure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("抽查对象")
    )
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("开始人")
    )
    opened_at = models.DateTimeField(auto_now_add=True, verbose_name=_("开始时间"))

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        constraints = [models.UniqueConstraint(fields=["target", "agency"], name="insp_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.target_id} · {self.agency_id}"


class Outcome(models.TextChoices):
    """检查结果 in the 国家企业信用信息公示系统 wording."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    CORRECTED = "corrected", _("发现问题已责令改正")
    CASE_OPENED = "case_opened", _("发现问题已立案")
    NOT_FOUND = "not_found", _("未找到检查对象")


class ResultState(models.TextChoices):
    PENDING_ENTRY = "pending_entry", _("未录入")
    PENDING_REVIEW = "pending_review", _("待审核")
    RETURNED = "returned", _("审核退回")
    PUBLISHED = "published", _("已公示")


class ResultEntry(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="entries", verbose_name=_("检查")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("第几次录入"))
    outcome = models.CharField(_("检查结果"), max_length=16, choices=Outcome.choices)
    description = models.TextField(_("检查情况"))
    checked_on = models.DateField(_("检查完成日期"))
    penalty_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处罚案件"),
    )
    due_date = models.DateField(_("公示期限"))
    rule_version = models.CharField(max_length=100, verbose_name=_("规则版本"))
    rule_citation = models.CharField(max_length=200, verbose_name=_("规则依据"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(auto_now_add=True, verbose_name=_("录入时间"))

    class Meta:
        verbose_name = _("检查结果录入")
        verbose_name_plural = _("检查结果录入")
        ordering = ["inspection_id", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="insp_entry_number")]

    def __str__(self) -> str:
        return f"{self.inspection_id} · {self.number}"


class ResultReview(models.Model):
    entry = models.OneToOneField(
        ResultEntry, on_delete=models.PROTECT, related_name="review", verbose_name=_("记录")
    )
    approved = models.BooleanField(verbose_name=_("通过"))
    note = models.CharField(_("审核意见"), max_length=500, blank=True)
    duty_public_id = models.CharField(max_length=36, blank=True, verbose_name=_("公示义务编号"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("审核时间"))

    class Meta:
        verbose_name = _("检查结果审核")
        verbose_name_plural = _("检查结果审核")

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.approved}"
