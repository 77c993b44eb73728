"""Cases and their full-process record (执法全过程记录, 松政办发〔2019〕25号 附件2).

``Case`` is the one mutable row: its stage and seal move as the procedure runs, and every move is a
``CaseEvent`` plus a ledger entry written in the same transaction. Everything else here is a record
and is append-only: the database refuses UPDATE and DELETE on ``CaseRecord``, ``CaseEvent``,
``CaseOfficer``, ``CaseParty`` and ``ApprovalStep`` (triggers, see ``immutability.py``). A
correction is a new ``CaseRecord`` whose ``corrects`` names the old one (and whose ledger entry
``corrects`` the old entry). The decision a case makes is its own row (``Decision`` with its parties
and lines), append-only too; its later changes are ``DecisionChange`` rows pointing at it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSource(models.TextChoices):
    """案件来源 (《松原市行政执法全过程记录实施办法》第八、九条)."""

    INSPECTION = "inspection", _("监督检查发现")
    SPOT_CHECK = "spot_check", _("双随机抽查")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    REFERRAL = "referral", _("其他机关移送")
    ASSIGNED = "assigned", _("上级交办")
    APPLICATION = "application", _("依申请")
    OTHER = "other", _("其他")


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases"
    )
    procedure = models.CharField(_("执法程序"), max_length=40)
    number = models.CharField(_("案号"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("案由"), max_length=200)
    # the parties' names, one a line, written when the case is opened (its parties are fixed then):
    # the case list searches 案号、案由 and 当事人 on one row instead of joining every party
    party_names = models.TextField(_("当事人名称"), default="", db_default="", blank=True, editable=False)
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
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("幂等键"))
    ledger_seq = models.BigIntegerField(_("记录序号"))
    # the earliest due date of the case's running deadlines (its ``CaseDeadline`` rows), written with
    # them by ``deadlines.refresh``: the case list sorts by 期限 from an index instead of computing the
    # earliest deadline of every matching case
    next_due = models.DateField(_("最近届满日期"), null=True, blank=True, editable=False)

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
        indexes = [
            models.Index(fields=["agency", "stage"], name="cases_case_agency_stage"),
            # the case list's default order (newest first) read from the index, page by page
            models.Index(fields=["agency", "-opened_at", "-id"], name="cases_case_agency_opened"),
            # the case list sorted by 期限 (earliest due first), read from the index, page by page
            models.Index(fields=["agency", "next_due", "-opened_at"], name="cases_case_agency_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def sealed(self) -> bool:
        return self.sealed_at is not None


class CaseNumberSequence(models.Model):
    """The last 案号 serial given by an agency in a year (locked while a number is taken)."""

    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("年度"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("最后序号"))

    class Meta:
        verbose_name = _("案号序列")
        verbose_name_plural = _("案号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="cases_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class CaseParty(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="case_parties", verbose_name=_("案件")
    )
    party = models.ForeignKey(
        "registry.Party", on_delete=models.PROTECT, related_name="case_links", verbose_name=_("当事人")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("顺序"))

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="cases_party_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.party_id}"


class CaseOfficer(models.Model):
    """A handling officer (承办人员), with the credential number as it was when assigned."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="case_officers", verbose_name=_("案件")
    )
    officer = models.ForeignKey(
        "registry.Officer", on_delete=models.PROTECT, related_name="case_links", verbose_name=_("执法人员")
    )
    name = models.CharField(_("姓名"), max_length=50)
    credential_number = models.CharField(_("执法证件号"), max_length=32)
    lead = models.BooleanField(_("主办"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("指派人")
    )
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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records", verbose_name=_("案件"))
    kind = models.CharField(_("记录类型"), max_length=64)
    stage = models.CharField(_("制作时的办理环节"), max_length=40)
    payload = models.JSONField(_("内容"), default=dict)
    officers = models.JSONField(_("在场执法人员及出示证件情况"), default=list, blank=True)
    blob_hashes = models.JSONField(_("存证文件（SM3）"), default=list, blank=True)
    has_av = models.BooleanField(_("含音像记录"), default=False)
    device = models.ForeignKey(
        "registry.RecordingDevice",
        verbose_name=_("记录设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    made_at = models.DateTimeField(_("制作时间"))
    uploaded_at = models.DateTimeField(_("录入时间"))
    late_upload = models.BooleanField(_("音像记录逾期录入"), default=False)
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
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制作人")
    )
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("幂等键"))
    # A record saved from values another app offered (the drafted decision): for each offered field
    # its origin, the value offered and whether the officer changed it (cases.prefill.origins_of).
    origins = models.JSONField(_("填入内容的来源"), default=dict, blank=True)
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
        indexes = [
            models.Index(fields=["case", "kind"], name="cases_record_case_kind"),
            # the statistics' 强制执行 records of a period (kind, then the time range)
            models.Index(fields=["kind", "made_at"], name="cases_record_kind_made"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.made_at:%Y-%m-%d %H:%M}"


class CaseEvent(models.Model):
    """A stage change, an extension of a time limit, or the opening of the case."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("登记")
        TRANSITION = "transition", _("环节变更")
        EXTENSION = "extension", _("延长期限")
        OFFICER = "officer", _("指派办案人员")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("案件"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    transition = models.CharField(_("办理事项"), max_length=40, blank=True)
    from_stage = models.CharField(_("原环节"), max_length=40, blank=True)
    to_stage = models.CharField(_("新环节"), max_length=40, blank=True)
    event = models.CharField(_("程序节点"), max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("事件内容"))
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("幂等键"))
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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("案件"))
    kind = models.CharField(_("审批事项（记录类型）"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REVIEWING)
    payload = models.JSONField(_("承办人意见及理由"), default=dict)
    created_at = models.DateTimeField(_("提请时间"))
    record = models.OneToOneField(
        CaseRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval",
        verbose_name=_("记录"),
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

    approval = models.ForeignKey(
        Approval, on_delete=models.PROTECT, related_name="steps", verbose_name=_("审批")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用户")
    )
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


CASE_RECORD_TABLES = (
    "cases_caserecord",
    "cases_caseevent",
    "cases_caseofficer",
    "cases_caseparty",
    "cases_approvalstep",
)


# ---------------------------------------------------------------- decisions (DESIGN.md, Decisions are records)


class DecisionKind(models.TextChoices):
    """What a decision decides; the procedure's decision record names it (``RecordSpec.decision_kind``)."""

    PENALTY = "penalty", _("行政处罚决定")
    LICENCE = "licence", _("行政许可决定")
    MEASURE = "measure", _("行政强制措施决定")
    INSPECTION = "inspection", _("行政检查结果")
    LEVY = "levy", _("行政征收决定")
    FEE = "fee", _("行政收费决定")
    CONFIRMATION = "confirmation", _("行政确认决定")
    ADJUDICATION = "adjudication", _("行政裁决")
    BENEFIT = "benefit", _("行政给付决定")


class Decision(models.Model):
    """A decision of a case as it was made final, written in the transaction that makes it final
    (``cases.decisions.decision_make``). Kinds, amounts and validity are columns (statistics query
    them); the decision record's full payload stays on ``record``. A decision document corrected
    after the decision is a new row whose ``corrects`` names this one; a change by 复议、诉讼 or
    自行纠正 is a :class:`DecisionChange` pointing at it. Never updated, never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="decisions")
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.CharField(_("执法程序"), max_length=40)
    kind = models.CharField(_("决定类别"), max_length=16, choices=DecisionKind.choices)
    discloses = models.CharField(_("公示类别"), max_length=16, blank=True)
    record = models.ForeignKey(
        CaseRecord, verbose_name=_("决定文书记录"), on_delete=models.PROTECT, related_name="decisions"
    )
    transition = models.CharField(_("决定生效的办理事项"), max_length=40)
    decided_on = models.DateField(_("决定日期"))
    document_number = models.CharField(_("文书编号"), max_length=200, blank=True)
    document_sm3 = models.CharField(_("决定文书 SM3"), max_length=64, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    basis = models.TextField(_("依据"), blank=True)
    severity = models.CharField(_("失信程度"), max_length=16, blank=True)
    granted = models.BooleanField(_("准予"), null=True, blank=True)
    licence_category = models.CharField(_("许可类别"), max_length=16, blank=True)
    licence_name = models.CharField(_("许可证件名称"), max_length=200, blank=True)
    licence_number = models.CharField(_("许可证件编号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    problems_found = models.BooleanField(_("发现违法问题"), null=True, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制作人")
    )
    made_at = models.DateTimeField(_("记录时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("执法决定")
        verbose_name_plural = _("执法决定")
        ordering = ["made_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(corrects__isnull=True), name="cases_decision_one_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "kind", "decided_on"], name="cases_decision_agency_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number or self.case_id}"

    @property
    def actor(self):
        return self.made_by

    @property
    def payload(self) -> dict:
        """The decision record's content (its latest correction at the time of this row)."""
        return self.record.payload

    @property
    def parties(self) -> tuple:
        return tuple(
            dp.party for dp in self.decision_parties.select_related("party").order_by("position", "pk")
        )

    @property
    def party(self):
        parties = self.parties
        return parties[0] if parties else None

    @property
    def procedure_name(self) -> str:
        from sanxiang.procedures import registry

        try:
            return registry.get(self.procedure).name
        except KeyError:
            return self.procedure

    def lines_of(self, party) -> list[DecisionLine]:
        """What the decision gives ``party`` (None: the lines of a decision without a party)."""
        pk = getattr(party, "pk", None)
        return [line for line in self.lines.order_by("pk") if line.party_id == pk]

    def amount(self, name: str, party=None) -> str:
        """A money item (yuan, two decimals) of the decision record — for ``party`` its own penalty
        line (fine_amount, confiscation_amount) — or "" when absent or zero."""
        if party is not None and name in ("fine_amount", "confiscation_amount"):
            kinds = ("fine",) if name == "fine_amount" else ("confiscate_gains", "confiscate_property")
            total = sum((line.amount or 0 for line in self.lines_of(party) if line.kind in kinds), 0)
            return f"{total:.2f}" if total else ""
        value = self.payload.get(name)
        from decimal import Decimal

        return value if value and Decimal(value) else ""


class DecisionParty(models.Model):
    """A party the decision is addressed to (joint offenders: one row each)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="decision_parties", verbose_name=_("决定")
    )
    party = models.ForeignKey(
        "registry.Party", on_delete=models.PROTECT, related_name="decision_links", verbose_name=_("当事人")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("顺序"))

    class Meta:
        verbose_name = _("决定相对人")
        verbose_name_plural = _("决定相对人")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "party"], name="cases_decision_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.party_id}"


class DecisionLine(models.Model):
    """One thing decided for one party: a penalty kind (行政处罚法 第九条) with its amount where it has
    one (罚款、没收违法所得、没收非法财物), a measure kind (行政强制法 第九条), or a sum levied, charged
    or granted (征收、收费、给付) with its item."""

    class Category(models.TextChoices):
        PENALTY = "penalty", _("处罚")
        MEASURE = "measure", _("强制措施")
        LEVY = "levy", _("征收")
        FEE = "fee", _("收费")
        BENEFIT = "benefit", _("给付")

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="lines", verbose_name=_("决定")
    )
    party = models.ForeignKey(
        "registry.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_lines",
        verbose_name=_("当事人"),
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("种类或项目"), max_length=100)
    amount = models.DecimalField(_("数额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("决定内容")
        verbose_name_plural = _("决定内容")
        ordering = ["pk"]
        indexes = [models.Index(fields=["category", "kind"], name="cases_decisionline_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount or ''}".strip()


class DecisionChange(models.Model):
    """The decision was changed, revoked or found unlawful (复议、诉讼、自行纠正、执法监督); points at the
    decision as it stood. The disclosed decision is withdrawn (行政处罚法 第四十八条)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.PROTECT, related_name="changes"
    )
    record = models.OneToOneField(
        CaseRecord, verbose_name=_("变更记录"), on_delete=models.PROTECT, related_name="decision_change"
    )
    ground = models.CharField(_("结果"), max_length=16)
    by = models.CharField(_("途径"), max_length=24)
    occurred_on = models.DateField(_("变更、撤销或确认违法的日期"))
    document_number = models.CharField(_("文书编号"), max_length=200, blank=True)
    explanation = models.TextField(_("公开说明"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制作人")
    )
    made_at = models.DateTimeField(_("记录时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("决定变更")
        verbose_name_plural = _("决定变更")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ground} ({self.by}) {self.occurred_on}"


DECISION_TABLES = (
    "cases_decision",
    "cases_decisionparty",
    "cases_decisionline",
    "cases_decisionchange",
)
APPEND_ONLY_TABLES = CASE_RECORD_TABLES + DECISION_TABLES


class DocumentCounter(models.Model):
    """The last 文书编号 serial an agency gave to a kind of document in a year (locked while a
    number is taken, so two officers never get the same number). See ``cases.numbering``."""

    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    kind = models.CharField(_("文书代字"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用顺序号"), default=0)

    class Meta:
        verbose_name = _("文书编号计数")
        verbose_name_plural = _("文书编号计数")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year"], name="cases_document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last}"


class CaseDeadline(models.Model):
    """The case's running agency deadlines (办案期限), kept beside the case for the work lists and
    the supervisor's home: derived from the records and events whenever the case changes (the
    records stay the source; this is an index, replaced on every change). Overdue is ``due_date``
    before today with the limit not yet met."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadline_rows", verbose_name=_("案件")
    )
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("执法主体")
    )
    limit = models.CharField(_("期限"), max_length=40)
    name = models.CharField(_("期限名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=200)
    due_date = models.DateField(_("届满日期"))
    due_at = models.DateTimeField(_("届满时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办案期限")
        verbose_name_plural = _("办案期限")
        constraints = [models.UniqueConstraint(fields=["case", "limit"], name="cases_deadline_unique")]
        indexes = [
            models.Index(fields=["agency", "due_date"], name="cases_deadline_agency_due"),
            models.Index(fields=["due_date"], name="cases_deadline_due"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.limit} {self.due_date}"
