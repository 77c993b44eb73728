"""Supervision (行政执法监督): alerts for every running duty of every agency.

An :class:`Alert` is one duty near or past its end (yellow or red), computed by the idempotent sweep
(``supervision.alerts.alert_sweep``) from the source rows that own the duty: the case's running
deadlines, legal-review rounds, disclosure and withdrawal duties, correction requests, ex-ante
updates after a change of law, recordings stored late, the annual data and report. One open alert per
duty (a unique key), never deleted: when the duty is done the alert is closed with when and by whom.
Each sweep that changes something writes one ledger entry listing what it opened, raised and closed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    CASE = "case", _("办案期限")
    ARCHIVE = "archive", _("立卷归档期限")
    REVIEW = "review", _("法制审核期限")
    DISCLOSURE = "disclosure", _("决定公示期限")
    WITHDRAWAL = "withdrawal", _("撤回公示期限")
    CORRECTION = "correction", _("更正申请处理期限")
    EX_ANTE = "ex_ante", _("事前公开更新期限")
    LATE_RECORDING = "late_recording", _("音像记录逾期录入")
    ANNUAL_DATA = "annual_data", _("年度执法数据报送")
    ANNUAL_REPORT = "annual_report", _("年度报告公开")


class AlertLevel(models.TextChoices):
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("义务标识"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=AlertKind.choices)
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事项"), max_length=300)
    citation = models.CharField(_("依据"), max_length=300)
    url = models.CharField(_("办理页面"), max_length=200, blank=True)
    due_date = models.DateField(_("届满日期"))
    due_at = models.DateTimeField(_("届满时间"), null=True, blank=True)
    level = models.CharField(_("预警等级"), max_length=8, choices=AlertLevel.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("预警时间"))
    red_at = models.DateTimeField(_("转为红色预警时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.CharField(_("解除说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-level", "due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(closed_at__isnull=True), name="supervision_alert_one_open"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "closed_at"], name="supervision_alert_agency"),
            models.Index(fields=["responsible", "closed_at"], name="supervision_alert_person"),
            # the dashboard's open alerts per agency and level, counted from the index alone
            models.Index(
                fields=["agency", "level"],
                condition=models.Q(closed_at__isnull=True),
                name="supervision_alert_open_level",
            ),
            # 红色预警 of a period (the statistics indicator)
            models.Index(fields=["agency", "red_at"], name="supervision_alert_agency_red"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DigestSent(models.Model):
    """The daily digest mailed to one person on one day (at most once: the sweep may run many times)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    alerts = models.PositiveIntegerField(_("预警数"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("预警日报")
        verbose_name_plural = _("预警日报")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="supervision_digest_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class AnnualReport(models.Model):
    """年度行政执法总体情况报告 of one agency for one year: the figures as generated, the 情况说明 drafted
    from them and edited by a person, approved by the head, submitted by the data deadline and
    published by the report deadline (昆明: 12月15日 and 1月31日). Each step is a ledger entry;
    every edit of the text is a :class:`AnnualReportRevision` (the text's history is never lost)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        APPROVED = "approved", _("负责人已批准")
        SUBMITTED = "submitted", _("已报送")
        PUBLISHED = "published", _("已公开")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(_("数据表"), default=dict)
    narrative = models.TextField(_("情况说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="supervision_report_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.agency_id}"

    @property
    def subject(self) -> str:
        """Who the report is about: the agency, or for a 司法局 the region's agencies it supervises."""
        return f"{self.agency.name}所辖各行政执法主体" if self.agency.is_supervisory else self.agency.name


class AnnualReportRevision(models.Model):
    """One version of the 情况说明 (append-only)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="revisions")
    narrative = models.TextField(_("情况说明"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("年度报告情况说明版本")
        verbose_name_plural = _("年度报告情况说明版本")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.at}"


# ---------------------------------------------------------------- 案卷评查


class Section(models.TextChoices):
    VETO = "veto", _("基本标准（否决项）")
    FORM = "form", _("案卷卷面")
    CONTENT = "content", _("案卷内容")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class EvaluationStandard(models.Model):
    """A version of a 案卷评查标准: its items are rows; a change is a new version, never an edit."""

    code = models.CharField(_("标准编码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=200)
    basis = models.CharField(_("参照的标准"), max_length=300)
    effective_from = models.DateField(_("启用日期"))
    form_points = models.PositiveSmallIntegerField(_("卷面分值"))
    content_points = models.PositiveSmallIntegerField(_("内容分值"))
    excellent_min = models.DecimalField(_("优秀分数线"), max_digits=5, decimal_places=1)
    pass_min = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("案卷评查标准")
        verbose_name_plural = _("案卷评查标准")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="supervision_standard_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class StandardItem(models.Model):
    standard = models.ForeignKey(EvaluationStandard, on_delete=models.PROTECT, related_name="items")
    section = models.CharField(_("部分"), max_length=8, choices=Section.choices)
    position = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("编码"), max_length=20)
    text = models.CharField(_("评查内容"), max_length=300)
    points = models.PositiveSmallIntegerField(_("分值"), default=0)
    rule = models.CharField(_("评分标准"), max_length=300)
    auto = models.CharField(_("平台自动核查"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("评议考核标准条目")
        verbose_name_plural = _("评议考核标准条目")
        ordering = ["standard_id", "section", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="supervision_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Campaign(models.Model):
    """案卷评查活动: archived cases drawn at random (a seeded draw recorded in the ledger), each assigned
    to an evaluator who did not handle it; results go back to the agency with 整改 items."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("名称"), max_length=200)
    organiser = models.ForeignKey(
        "registry.Agency", verbose_name=_("组织机关"), on_delete=models.PROTECT, related_name="+"
    )
    standard = models.ForeignKey(EvaluationStandard, verbose_name=_("评查标准"), on_delete=models.PROTECT)
    archived_from = models.DateField(_("归档日期自"))
    archived_to = models.DateField(_("归档日期至"))
    size = models.PositiveIntegerField(_("抽取案卷数"))
    seed = models.CharField(_("随机种子"), max_length=64)
    pool_sha256 = models.CharField(_("候选案卷清单 SHA-256"), max_length=64)
    pool_size = models.PositiveIntegerField(_("候选案卷数"))
    rectify_due = models.DateField(_("整改期限"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案卷评查活动")
        verbose_name_plural = _("案卷评查活动")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignCase(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("抽取顺序"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评查人员"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("专项行动案件")
        verbose_name_plural = _("专项行动案件")
        ordering = ["campaign_id", "position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="supervision_campaign_case")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.case_id}"


class Evaluation(models.Model):
    """One evaluator's result for one drawn case file (submitted once; never changed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign_case = models.OneToOneField(CampaignCase, on_delete=models.PROTECT, related_name="evaluation")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marks = models.JSONField(_("逐项评查结果"))
    vetoed = models.JSONField(_("存在问题的否决项"), default=list)
    form_score = models.DecimalField(_("卷面得分"), max_digits=5, decimal_places=1)
    content_score = models.DecimalField(_("内容得分"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    comments = models.TextField(_("评查意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案卷评查结果")
        verbose_name_plural = _("案卷评查结果")

    def __str__(self) -> str:
        return f"{self.case_id} {self.score} {self.grade}"


class Rectification(models.Model):
    """整改 item returned to the agency with a deadline; done when the agency reports it (tracked)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="rectifications")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(_("评查项"), max_length=20)
    text = models.CharField(_("整改事项"), max_length=400)
    due_date = models.DateField(_("整改期限"))
    done_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.CharField(_("整改情况"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text


APPEND_ONLY_TABLES = (
    "supervision_annualreportrevision",
    "supervision_evaluationstandard",
    "supervision_standarditem",
    "supervision_campaigncase",
    "supervision_evaluation",
)


class DecisionTally(models.Model):
    """Pre-aggregated decisions (statistics read these instead of every decision row): per agency, day
    of decision, decision kind and heaviest penalty rank, how many current decisions and the sums their
    决定书 fix (empty where no line fixes such a sum). Derived data, rebuilt day by day by ``supervision.tallies.tally_sweep`` from the
    decisions with ``pk`` up to ``TallyMark.through_decision``; days touched by later decisions are
    computed live (see :mod:`sanxiang.supervision.tallies`)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("决定日期"))
    kind = models.CharField(_("决定类别"), max_length=16)
    # 行政处罚法 第九条 order (statistics.PENALTY_GROUPS, 1 = lightest); 0 = a penalty line of another
    # kind; -1 = not a penalty decision or no penalty line
    heaviest = models.SmallIntegerField(_("最重处罚种类序号"))
    decisions = models.PositiveIntegerField(_("决定件数"))
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    confiscation = models.DecimalField(
        _("没收金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    levy = models.DecimalField(_("征收金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    # 行政许可: licence decisions granted / refused (准予 / 不予许可)
    granted = models.PositiveIntegerField(_("准予许可件数"), default=0)
    refused = models.PositiveIntegerField(_("不予许可件数"), default=0)
    # 行政强制法 第九条: decisions imposing each measure (a decision counts once per measure kind;
    # ``other_measure`` once per other kind of measure it names)
    seal = models.PositiveIntegerField(_("查封件数"), default=0)
    seize = models.PositiveIntegerField(_("扣押件数"), default=0)
    freeze = models.PositiveIntegerField(_("冻结件数"), default=0)
    other_measure = models.PositiveIntegerField(_("其他措施件数"), default=0)

    class Meta:
        verbose_name = _("执法决定汇总")
        verbose_name_plural = _("执法决定汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "kind", "heaviest"], name="supervision_tally_one_per_cell"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"], name="supervision_tally_agency_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.kind} {self.decisions}"


class StepTally(models.Model):
    """Pre-aggregated licensing steps (申请、受理、不予受理): per agency, local day and step, how many
    licensing cases were opened or accepted / refused acceptance. Cases (their agency, procedure and
    登记时间) and case events never change, so the stored counts of the rows up to
    ``TallyMark.through_case`` / ``through_event`` stay exact and later rows are added to them."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    step = models.CharField(_("环节"), max_length=16)
    n = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("许可环节汇总")
        verbose_name_plural = _("许可环节汇总")
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "step"], name="supervision_step_one_per_cell")
        ]
        indexes = [models.Index(fields=["agency", "day"], name="supervision_step_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.step} {self.n}"


class OpenAlertTally(models.Model):
    """Open alerts per agency and level (the dashboard's chart), rebuilt by every alert sweep that
    changes something and decreased when an alert is closed by hand (both under the sweep's lock)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("预警等级"), max_length=8)
    n = models.IntegerField(_("未解除预警数"))

    class Meta:
        verbose_name = _("未解除预警汇总")
        verbose_name_plural = _("未解除预警汇总")
        constraints = [
            models.UniqueConstraint(fields=["agency", "level"], name="supervision_open_alert_tally_one")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.n}"


class RedAlertTally(models.Model):
    """Alerts that turned red, per agency and local day of turning red (the 红色预警 indicator); rebuilt
    by every alert sweep that changes something (closing an alert keeps its level and time)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("转为红色预警日期"))
    n = models.IntegerField(_("红色预警数"))

    class Meta:
        verbose_name = _("红色预警汇总")
        verbose_name_plural = _("红色预警汇总")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="supervision_red_alert_tally_one")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.n}"


class TallyMark(models.Model):
    """How far the tallies reach: every decision with ``pk <= through_decision`` is in them (one row)."""

    through_decision = models.BigIntegerField(_("已汇总至决定序号"), default=0)
    through_case = models.BigIntegerField(_("已汇总至案件序号"), default=0)
    through_event = models.BigIntegerField(_("已汇总至案件事件序号"), default=0)
    # set by the alert sweep when OpenAlertTally / RedAlertTally hold every alert (None: read live)
    alerts_at = models.DateTimeField(_("预警汇总时间"), null=True, blank=True)
    swept_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法决定汇总进度")
        verbose_name_plural = _("执法决定汇总进度")

    def __str__(self) -> str:
        return str(self.through_decision)
