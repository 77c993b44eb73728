"""Cases and their full-process record (执法全过程记录, seed 002 附件2).

``Case`` is the one mutable row: its stage and seal move as the procedure runs, and every move is a
``CaseEvent`` plus a ledger entry written in the same transaction. Everything else here is a record
and is append-only: the database refuses UPDATE and DELETE on ``CaseRecord``, ``CaseEvent``,
``CaseOfficer``, ``CaseParty`` and ``ApprovalStep`` (triggers, see ``immutability.py``). A
correction is a new ``CaseRecord`` whose ``corrects`` names the old one (and whose ledger entry
``corrects`` the old entry).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSource(models.TextChoices):
    """案件来源 (seed 002 记录办法 第八、九条)."""

    INSPECTION = "inspection", _("监督检查发现")
    SPOT_CHECK = "spot_check", _("双随机抽查")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    REFERRAL = "referral", _("其他机关移送")
    ASSIGNED = "assigned", _("上级交办")
    APPLICATION = "application", _("依申请")
    OTHER = "other", _("其他")


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases"
    )
    procedure = models.CharField(_("执法程序"), max_length=40)
    number = models.CharField(_("案号"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("案由"), max_length=200)
    matter_ref = models.UUIDField(_("执法事项（清单版本）"), null=True, blank=True)
    matter_code = models.CharField(_("执法事项编码"), max_length=64, blank=True)
    matter_name = models.CharField(_("执法事项"), max_length=200, blank=True)
    category = models.CharField(_("执法类别"), max_length=24)
    region_code = models.CharField(_("执法区域"), max_length=6)
    source = models.CharField(_("案件来源"), max_length=16, choices=CaseSource.choices)
    source_detail = models.TextField(_("来源说明"), blank=True)
    reporter_name = models.CharField(_("投诉举报人"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("投诉举报人联系方式"), max_length=100, blank=True)
    reporter_named = models.BooleanField(_("实名投诉举报"), default=False)
    is_emergency = models.BooleanField(_("情况紧急先行启动"), default=False)
    emergency_reason = models.TextField(_("紧急理由"), blank=True)
    stage = models.CharField(_("办理环节"), max_length=40)
    stage_changed_at = models.DateTimeField(_("进入本环节时间"))
    sealed_at = models.DateTimeField(_("归档封存时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("登记时间"))
    idempotency_key = models.CharField(max_length=100, blank=True)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="cases_case_number_unique"),
            models.UniqueConstraint(
                fields=["opened_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="cases_case_idempotency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "stage"], name="cases_case_agency_stage")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def sealed(self) -> bool:
        return self.sealed_at is not None


class CaseNumberSequence(models.Model):
    """The last 案号 serial given by an agency in a year (locked while a number is taken)."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="cases_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_parties")
    party = models.ForeignKey("registry.Party", on_delete=models.PROTECT, related_name="case_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="cases_party_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.party_id}"


class CaseOfficer(models.Model):
    """A handling officer (承办人员), with the credential number as it was when assigned."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_officers")
    officer = models.ForeignKey("registry.Officer", on_delete=models.PROTECT, related_name="case_links")
    name = models.CharField(_("姓名"), max_length=50)
    credential_number = models.CharField(_("执法证件号"), max_length=32)
    lead = models.BooleanField(_("主办"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("指派时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("办案人员")
        verbose_name_plural = _("办案人员")
        ordering = ["-lead", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="cases_officer_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.credential_number})"


class CaseRecord(models.Model):
    """One record of a kind the procedure definition lists (文书、笔录、音像、审批结果)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("记录类型"), max_length=64)
    stage = models.CharField(_("制作时的办理环节"), max_length=40)
    payload = models.JSONField(_("内容"), default=dict)
    officers = models.JSONField(_("在场执法人员及出示证件情况"), default=list, blank=True)
    blob_hashes = models.JSONField(_("存证文件（SM3）"), default=list, blank=True)
    has_av = models.BooleanField(_("含音像记录"), default=False)
    made_at = models.DateTimeField(_("制作时间"))
    uploaded_at = models.DateTimeField(_("录入时间"))
    late_upload = models.BooleanField(_("音像记录超过24小时录入"), default=False)
    party_refused_to_sign = models.BooleanField(_("当事人拒绝签名"), default=False)
    party_refused_to_cooperate = models.BooleanField(_("当事人拒绝接受调查或提供证据"), default=False)
    refusal_note = models.TextField(_("拒绝情况说明"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["made_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="cases_record_idempotency",
            )
        ]
        indexes = [models.Index(fields=["case", "kind"], name="cases_record_case_kind")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.made_at:%Y-%m-%d %H:%M}"


class CaseEvent(models.Model):
    """A stage change, an extension of a time limit, or the opening of the case."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("登记")
        TRANSITION = "transition", _("环节变更")
        EXTENSION = "extension", _("延长期限")
        OFFICER = "officer", _("指派办案人员")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    transition = models.CharField(_("办理事项"), max_length=40, blank=True)
    from_stage = models.CharField(_("原环节"), max_length=40, blank=True)
    to_stage = models.CharField(_("新环节"), max_length=40, blank=True)
    event = models.CharField(_("程序节点"), max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="cases_event_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.transition} @ {self.at:%Y-%m-%d %H:%M}"


class Approval(models.Model):
    """An internal approval: 承办人 proposes, 审核人 reviews, 批准人 approves (记录办法 第三十八条).

    ``status`` moves as steps are taken; the steps themselves are append-only. When the 批准人
    approves, the approval's record (``kind``, e.g. 立案审批表) is written to the case."""

    class Status(models.TextChoices):
        REVIEWING = "reviewing", _("待审核")
        APPROVING = "approving", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未通过")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    kind = models.CharField(_("审批事项（记录类型）"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REVIEWING)
    payload = models.JSONField(_("承办人意见及理由"), default=dict)
    created_at = models.DateTimeField(_("提请时间"))
    record = models.OneToOneField(
        CaseRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="approval"
    )

    class Meta:
        verbose_name = _("内部审批")
        verbose_name_plural = _("内部审批")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class ApprovalStep(models.Model):
    class Role(models.TextChoices):
        HANDLER = "handler", _("承办人")
        REVIEWER = "reviewer", _("审核人")
        APPROVER = "approver", _("批准人")

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="steps")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    agree = models.BooleanField(_("同意"))
    opinion = models.TextField(_("意见"))
    at = models.DateTimeField(_("时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("审批意见")
        verbose_name_plural = _("审批意见")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["approval", "role"], name="cases_step_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}: {'同意' if self.agree else '不同意'}"


APPEND_ONLY_TABLES = (
    "cases_caserecord",
    "cases_caseevent",
    "cases_caseofficer",
    "cases_caseparty",
    "cases_approvalstep",
)
