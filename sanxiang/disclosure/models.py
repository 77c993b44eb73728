"""公示: disclosure duties, drafts under internal review, published versions, exemptions, withdrawals,
correction requests, the public log, webhook receivers and deliveries, and the public index.

Records are never changed or deleted: a draft, a review, a publication, an exemption, a withdrawal
and a log entry are each a new row (and a ledger entry). A duty's ``status`` and a correction
request's ``status`` are workflow states whose every change is recorded in the ledger.
:class:`PublicDecision` is the one exception, and it is not a record: it is the derived, rebuildable
index of what the public sees now (``disclosure_reindex``); a withdrawal removes its row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.disclosure import fields as F
from sanxiang.workdays.models import DeadlineFields

SOURCE_KIND_CHOICES = [(k, F.SOURCE_KIND_LABELS[k]) for k in F.SOURCE_KINDS]


class Duty(DeadlineFields, models.Model):
    """公示义务: one decision that must be disclosed by ``due_date`` (or exempted with a ground)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待公示")
        PUBLISHED = "published", _("已公示")
        EXEMPT = "exempt", _("不予公开")
        WITHDRAWN = "withdrawn", _("已撤下")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="disclosure_duties",
    )
    source_kind = models.CharField(_("决定类别"), max_length=16, choices=SOURCE_KIND_CHOICES)
    source_ref = models.CharField(_("来源编号"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    party = models.ForeignKey(
        "registry.Party",
        verbose_name=_("行政相对人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fields = models.JSONField(_("公示数据项（原文）"))
    document_sm3 = models.CharField(_("决定文书 SM3"), max_length=64, blank=True)
    rule_source = models.CharField(_("期限依据"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    first_published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("公示义务")
        verbose_name_plural = _("公示义务")
        ordering = ["due_date", "id"]
        constraints = [
            # one duty per party of a decision (joint offenders each have their own 公示)
            models.UniqueConstraint(
                fields=["agency", "source_kind", "source_ref", "party"],
                name="disclosure_duty_source_party_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "source_kind", "source_ref"],
                condition=models.Q(party__isnull=True),
                name="disclosure_duty_source_unique_no_party",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "due_date"], name="disclosure_duty_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.fields.get('document_number', self.source_ref)}"

    @property
    def document_number(self) -> str:
        return self.fields.get("document_number", "")


class Draft(models.Model):
    """公示稿: the original items, the officer's marks and the redacted public form, for internal review."""

    class Purpose(models.TextChoices):
        INITIAL = "initial", _("首次公示")
        UPDATE = "update", _("决定变更")
        CORRECTION = "correction", _("更正")

    duty = models.ForeignKey(
        Duty, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("公示义务")
    )
    number = models.PositiveIntegerField(_("稿次"))
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    fields = models.JSONField(_("公示数据项（原文）"))
    marks = models.JSONField(_("标记隐去的文字"), default=list)
    public = models.JSONField(_("公示内容（已去标识化）"))
    reason = models.CharField(_("更正或变更理由（公开）"), max_length=500, blank=True)
    correction_request = models.ForeignKey(
        "CorrectionRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafts",
        verbose_name=_("更正申请"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("公示稿")
        verbose_name_plural = _("公示稿")
        ordering = ["duty_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "number"], name="disclosure_draft_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.duty} 第{self.number}稿"


class DraftReview(models.Model):
    """内部审核 of one draft (公示办法 第三十条): approved drafts are published, rejected ones are not."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("审核通过并发布")
        REJECTED = "rejected", _("退回")

    draft = models.OneToOneField(
        Draft, on_delete=models.PROTECT, related_name="review", verbose_name=_("公示稿")
    )
    outcome = models.CharField(_("审核结果"), max_length=16, choices=Outcome.choices)
    note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("审核时间"))

    class Meta:
        verbose_name = _("公示稿内部审核")
        verbose_name_plural = _("公示稿内部审核")

    def __str__(self) -> str:
        return f"{self.draft_id} {self.get_outcome_display()}"


class Publication(models.Model):
    """One published version of a duty: only the redacted public form, never the original."""

    duty = models.ForeignKey(
        Duty, on_delete=models.PROTECT, related_name="publications", verbose_name=_("公示义务")
    )
    version = models.PositiveIntegerField(_("版本"))
    draft = models.OneToOneField(
        Draft, on_delete=models.PROTECT, related_name="publication", verbose_name=_("公示稿")
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=Draft.Purpose.choices)
    public = models.JSONField(_("公示内容"))
    public_sm3 = models.CharField(_("公示内容 SM3"), max_length=64)
    reason = models.CharField(_("更正或变更理由"), max_length=500, blank=True)
    ledger_seq = models.BigIntegerField(_("存证序号"))
    published_at = models.DateTimeField(_("公示时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")
        ordering = ["duty_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "version"], name="disclosure_publication_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.duty_id} v{self.version}"


class Exemption(models.Model):
    """不予公开 with its recorded ground (公示办法 第十八条)."""

    class Ground(models.TextChoices):
        MINOR = "minor", _("行政相对人是未成年人（第十八条第一项）")
        SECRET = "secret", _("主要事实涉及国家秘密、商业秘密、个人隐私（第十八条第二项）")
        SECURITY = "security", _("公开后可能危及国家安全、公共安全、经济安全和社会稳定（第十八条第三项）")
        HINDERS = "hinders", _("可能妨害正常执法活动（第十八条第四项）")
        DESIGNATED = "designated", _("国家和省人民政府及其主管部门认为不适宜公开（第十八条第五项）")
        OTHER_LAW = "other_law", _("法律、法规、规章另有规定（第十八条第二款）")

    duty = models.OneToOneField(
        Duty, on_delete=models.PROTECT, related_name="exemption", verbose_name=_("公示义务")
    )
    ground = models.CharField(_("不予公开理由"), max_length=16, choices=Ground.choices)
    explanation = models.TextField(_("具体说明（内部）"))
    automatic = models.BooleanField(_("系统自动认定"), default=False)
    ledger_seq = models.BigIntegerField(_("存证序号"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("不予公开决定")
        verbose_name_plural = _("不予公开决定")

    def __str__(self) -> str:
        return self.get_ground_display()


class WithdrawalGround(models.TextChoices):
    # The years come from the rules registry (disclosure.withdrawal.years / years_person) for the
    # agency's region; the withdrawal's explanation states them with their source.
    RETENTION = "retention", _("公开满规定年限")
    RETENTION_PERSON = "retention_person", _("行政相对人是自然人，公开满规定年限")
    REVOKED = "revoked", _("原处罚决定被依法撤销（《中华人民共和国行政处罚法》第四十八条）")
    CHANGED = "changed", _("原处罚决定被依法变更（《中华人民共和国行政处罚法》第四十八条）")
    UNLAWFUL = "unlawful", _("原处罚决定被确认违法（《中华人民共和国行政处罚法》第四十八条）")
    REDO = "redo", _("原处罚决定被要求重新作出（《松原市行政执法公示办法》第二十八条）")
    INACCURATE = "inaccurate", _("公示信息不准确（《松原市行政执法公示办法》第三十一条）")


EVENT_GROUNDS = (
    WithdrawalGround.REVOKED,
    WithdrawalGround.CHANGED,
    WithdrawalGround.UNLAWFUL,
    WithdrawalGround.REDO,
)


class WithdrawalOrder(DeadlineFields, models.Model):
    """撤下义务: a published decision changed, revoked or found unlawful must come down within 3 working days."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    duty = models.OneToOneField(
        Duty, on_delete=models.PROTECT, related_name="withdrawal_order", verbose_name=_("公示义务")
    )
    ground = models.CharField(_("撤下理由"), max_length=20, choices=WithdrawalGround.choices)
    occurred_on = models.DateField(_("决定被变更、撤销或确认违法之日"))
    explanation = models.CharField(_("说明（公开）"), max_length=500)
    ledger_seq = models.BigIntegerField(_("存证序号"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("撤下义务")
        verbose_name_plural = _("撤下义务")

    def __str__(self) -> str:
        return f"{self.duty_id} {self.get_ground_display()}"


class Withdrawal(models.Model):
    """撤下: the decision leaves every public path; the public log shows why."""

    duty = models.OneToOneField(
        Duty, on_delete=models.PROTECT, related_name="withdrawal", verbose_name=_("公示义务")
    )
    ground = models.CharField(_("撤下理由"), max_length=20, choices=WithdrawalGround.choices)
    explanation = models.CharField(_("说明（公开）"), max_length=500)
    order = models.OneToOneField(
        WithdrawalOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤下义务"),
    )
    ledger_seq = models.BigIntegerField(_("存证序号"))
    withdrawn_at = models.DateTimeField(_("撤下时间"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤下人"),
    )

    class Meta:
        verbose_name = _("撤下记录")
        verbose_name_plural = _("撤下记录")

    def __str__(self) -> str:
        return f"{self.duty_id} {self.get_ground_display()}"


class CorrectionRequest(DeadlineFields, models.Model):
    """更正申请 by anyone, with evidence, without an account (公示办法 第三十一条)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        CORRECTED = "corrected", _("已更正")
        REJECTED = "rejected", _("不予更正")

    tracking_number = models.CharField(_("查询编号"), max_length=20, unique=True)
    duty = models.ForeignKey(
        Duty, on_delete=models.PROTECT, related_name="correction_requests", verbose_name=_("公示义务")
    )
    requester_name = models.CharField(_("申请人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    description = models.TextField(_("不准确的内容及更正意见"))
    evidence = models.TextField(_("证据"))
    client_key = models.CharField(max_length=64, db_index=True, verbose_name=_("申请端标识"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("处理结果（公开）"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处理人"),
    )
    ledger_seq = models.BigIntegerField(_("存证序号"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.tracking_number


class PublicLogEntry(models.Model):
    """公示更正和撤下记录: what was done to published information, and why, for everyone to read."""

    class Kind(models.TextChoices):
        WITHDRAWN = "withdrawn", _("撤下")
        CORRECTED = "corrected", _("更正")
        UPDATED = "updated", _("变更")
        CORRECTION_REJECTED = "correction_rejected", _("更正申请不予更正")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="+", verbose_name=_("公示义务"))
    agency_name = models.CharField(_("执法机关"), max_length=200)
    document_number = models.CharField(_("文书号"), max_length=100)
    reason = models.CharField(_("原因（公开）"), max_length=500)
    tracking_number = models.CharField(_("更正申请编号"), max_length=20, blank=True)
    # what a correction or change changed: [{key, label, before, after}], both sides redacted
    changes = models.JSONField(_("更正或变更的数据项（公开）"), default=list, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("公示更正和撤下记录")
        verbose_name_plural = _("公示更正和撤下记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number}"


class PublicDecision(models.Model):
    """The public index: one row per decision the public may see now (derived; see module docstring)."""

    duty = models.OneToOneField(
        Duty, on_delete=models.CASCADE, related_name="public_row", verbose_name=_("公示义务")
    )
    public_id = models.UUIDField(unique=True, verbose_name=_("公开编号"))
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="+", verbose_name=_("公示版本")
    )
    version = models.PositiveIntegerField(verbose_name=_("公示版本号"))
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    agency_name = models.CharField(max_length=200, verbose_name=_("执法主体名称"))
    source_kind = models.CharField(max_length=16, choices=SOURCE_KIND_CHOICES, verbose_name=_("决定类别"))
    document_number = models.CharField(max_length=100, db_index=True, verbose_name=_("文书编号"))
    # the document number normalised (search.number_key: brackets and widths unified) for lookups
    number_key = models.CharField(max_length=100, db_index=True, default="", verbose_name=_("文书编号检索键"))
    party_name = models.CharField(max_length=200, verbose_name=_("当事人名称"))
    party_code = models.CharField(max_length=18, blank=True, db_index=True, verbose_name=_("当事人代码"))
    title = models.CharField(max_length=300, verbose_name=_("标题"))
    decided_on = models.DateField(verbose_name=_("决定日期"))
    published_at = models.DateTimeField(verbose_name=_("公示时间"))
    updated_at = models.DateTimeField(verbose_name=_("更新时间"))
    public = models.JSONField(verbose_name=_("公开可见"))
    search_text = models.TextField(verbose_name=_("检索文本"))

    class Meta:
        verbose_name = _("公示决定索引")
        verbose_name_plural = _("公示决定索引")
        indexes = [
            models.Index(fields=["-decided_on", "-id"], name="disclosure_pub_recent_idx"),
            models.Index(fields=["agency", "-decided_on", "-id"], name="disclosure_pub_agency_idx"),
            models.Index(fields=["source_kind", "-decided_on", "-id"], name="disclosure_pub_kind_idx"),
            models.Index(fields=["-updated_at", "-id"], name="disclosure_pub_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def matter(self) -> str:
        """The title without the party's name in front (the party has its own column)."""
        return self.title.removeprefix(self.party_name).strip() or self.title


class WebhookReceiver(models.Model):
    """A platform that receives pushed disclosures (公示办法 第二十一条: 自动推送)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    name = models.CharField(_("接收方"), max_length=100)
    url = models.URLField(_("推送地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128)
    agency = models.ForeignKey(
        "registry.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空表示全部"),
        verbose_name=_("执法主体"),
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("推送接收方")
        verbose_name_plural = _("推送接收方")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one receiver, kept until delivered (an outbox written with the change itself)."""

    class Event(models.TextChoices):
        PUBLISHED = "disclosure.published", _("发布")
        UPDATED = "disclosure.updated", _("更新")
        WITHDRAWN = "disclosure.withdrawn", _("撤下")

    event_id = models.UUIDField(_("事件编号"), default=uuid.uuid4, unique=True, editable=False)
    receiver = models.ForeignKey(
        WebhookReceiver, verbose_name=_("接收方"), on_delete=models.PROTECT, related_name="deliveries"
    )
    event = models.CharField(_("事件"), max_length=32, choices=Event.choices)
    body = models.TextField(_("推送内容"))
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), db_index=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_status = models.IntegerField(_("最近响应状态码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["delivered_at", "next_attempt_at"], name="disclosure_delivery_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
