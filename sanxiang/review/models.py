"""重大执法决定法制审核 (《松原市重大行政执法决定法制审核办法》).

``Review`` is a case's review file; each submission is a ``ReviewRound`` (第六条), whose ``status``
moves as the review runs (every move is a ledger entry). Everything else is a record and is
append-only (database triggers refuse UPDATE and DELETE): assignments and reassignments, requests
for materials, checklist marks (a later mark of the same item supersedes the earlier one), opinions,
extension requests and the head's rulings, disagreements and the head's rulings, and collective
discussions.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.workdays.models import DeadlineFields

SB = "《松原市重大行政执法决定法制审核办法》"

# 第八条: what the legal office examines; (key, label, source)
CHECKLIST = (
    ("subject_and_officers", "执法主体是否合法，执法人员是否具备执法资格", f"{SB}第八条第一项"),
    ("facts_and_evidence", "主要事实是否清楚，证据是否确凿、充分", f"{SB}第八条第二项"),
    ("law_and_discretion", "适用法律、法规、规章是否准确，执行裁量基准是否适当", f"{SB}第八条第三项"),
    ("procedure", "程序是否合法", f"{SB}第八条第四项"),
    ("competence", "是否超越本机关职权范围或滥用职权", f"{SB}第八条第五项"),
    ("documents", "行政执法文书是否规范、齐备", f"{SB}第八条第六项"),
    ("crime", "违法行为是否涉嫌犯罪需要移送司法机关（不涉嫌犯罪为通过）", f"{SB}第八条第七项"),
    ("other", "其他应当审核的内容", f"{SB}第八条第八项"),
)
CHECKLIST_KEYS = tuple(k for k, _l, _s in CHECKLIST)
CHECKLIST_LABELS = {k: label for k, label, _s in CHECKLIST}

# 第六条 and 第七条: the materials of a submission; (key, label, source)
MATERIALS = (
    ("investigation_report", "调查终结报告", f"{SB}第六条第一项"),
    ("proposal", "重大执法决定建议及其情况说明", f"{SB}第六条第二项"),
    ("draft_decision", "重大执法决定书代拟稿", f"{SB}第六条第三项"),
    ("evidence", "相关证据资料", f"{SB}第六条第四项"),
    ("hearing_or_assessment", "听证笔录或者评估报告", f"{SB}第六条第五项"),
    ("other", "其他需要提交的材料", f"{SB}第六条第六项"),
)
MATERIAL_LABELS = {k: label for k, label, _s in MATERIALS}
EXPLANATION = (
    ("basic_facts", "基本事实", f"{SB}第七条第一项"),
    ("law_and_discretion", "适用法律、法规、规章和执行裁量基准的情况", f"{SB}第七条第二项"),
    ("officer_qualifications", "行政执法人员资格情况", f"{SB}第七条第三项"),
    ("investigation_and_hearing", "调查取证和听证情况", f"{SB}第七条第四项"),
    ("other", "其他需要说明的情况", f"{SB}第七条第五项"),
)
REQUIRED_EXPLANATION = (
    "basic_facts",
    "law_and_discretion",
    "officer_qualifications",
    "investigation_and_hearing",
)

# The review period and its extension (第十一条) are rules in the registry: review.period and
# review.extension (sanxiang.rules), read for the agency's region and the date.


class Outcome(models.TextChoices):
    """第十条: the written opinion."""

    APPROVE = "approve", _("同意")
    INVESTIGATE = "investigate", _("继续调查")
    NOT_DECIDE = "not_decide", _("不予作出行政执法决定")
    AMEND = "amend", _("变更")
    CORRECT_PROCEDURE = "correct_procedure", _("纠正程序")
    TRANSFER = "transfer", _("移送")


OUTCOME_SOURCES = {
    Outcome.APPROVE: f"{SB}第十条第一项",
    Outcome.INVESTIGATE: f"{SB}第十条第二项",
    Outcome.NOT_DECIDE: f"{SB}第十条第二项",
    Outcome.AMEND: f"{SB}第十条第三项",
    Outcome.CORRECT_PROCEDURE: f"{SB}第十条第四项",
    Outcome.TRANSFER: f"{SB}第十条第五项",
}
# Which failed checklist item (第八条) grounds which opinion (第十条).
OUTCOME_GROUNDS = {
    Outcome.INVESTIGATE: ("facts_and_evidence",),
    Outcome.NOT_DECIDE: ("facts_and_evidence",),
    Outcome.AMEND: ("law_and_discretion",),
    Outcome.CORRECT_PROCEDURE: ("procedure", "documents", "subject_and_officers"),
    Outcome.TRANSFER: ("competence", "crime"),
}
AMEND_POINTS = {"classification": "定性", "law": "适用法律", "discretion": "裁量基准"}
TRANSFER_TO = {"competent_authority": "移送有管辖权的机关", "judicial": "移送司法机关"}


class Review(models.Model):
    """A case's legal-review file; its rounds are the submissions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="legal_review"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    legal_office = models.ForeignKey(
        "registry.Agency", verbose_name=_("法制审核机构"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("首次送审时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"法制审核 {self.case}"


class ReviewRound(DeadlineFields):
    """One submission (送审) and its review; the deadline is 第十一条's, from the complete submission."""

    class Status(models.TextChoices):
        MATERIALS_REQUESTED = "materials_requested", _("待补充材料")
        REVIEWING = "reviewing", _("审核中")
        PASSED = "passed", _("审核通过")
        SENT_BACK = "sent_back", _("退回")
        DISPUTED = "disputed", _("有异议，报负责人处理")

    OPEN = (Status.MATERIALS_REQUESTED, Status.REVIEWING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("法制审核")
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices)
    voluntary = models.BooleanField(_("机关认为需要审核"), default=False)
    voluntary_reason = models.TextField(_("送审理由"), blank=True)
    criteria = models.JSONField(_("重大执法决定情形"), default=list)
    proposal = models.JSONField(_("处理建议"), default=dict)
    proposal_fingerprint = models.CharField(_("处理建议指纹"), max_length=64)
    explanation = models.JSONField(_("情况说明"), default=dict)
    materials = models.JSONField(_("送审材料"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("送审时间"))
    complete_at = models.DateTimeField(_("材料齐全时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("审核完毕时间"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("幂等键"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("送审轮次")
        verbose_name_plural = _("送审轮次")
        ordering = ["review_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_round_number_unique"),
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="review_round_idempotency",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="review_round_status_due")]

    def __str__(self) -> str:
        return f"{self.review.case.number} 第{self.number}轮"


class Assignment(models.Model):
    """Who reviews a round: the reviewer (and each reassignment), or an added adviser (第二条; 名录库)."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("承办审核人员")
        ADVISER = "adviser", _("参与审核的法律顾问或公职律师")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("审核轮次")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    registration = models.ForeignKey(
        "registry.ReviewerRegistration",
        verbose_name=_("名录库登记"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    reason = models.TextField(_("指派说明"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("指派人")
    )
    at = models.DateTimeField(_("指派时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("审核指派")
        verbose_name_plural = _("审核指派")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class MaterialRequest(models.Model):
    """第六条第二款: the legal office asks for missing materials by a date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="material_requests", verbose_name=_("审核轮次")
    )
    items = models.JSONField(_("需补充的材料"))
    due_on = models.DateField(_("指定提交日期"))
    note = models.TextField(_("说明"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    at = models.DateTimeField(_("要求时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("补充材料通知")
        verbose_name_plural = _("补充材料通知")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MaterialSupplement(models.Model):
    """The handling unit's answer to a MaterialRequest; the submission is then complete."""

    request = models.OneToOneField(
        MaterialRequest, on_delete=models.PROTECT, related_name="supplement", verbose_name=_("补充材料通知")
    )
    materials = models.JSONField(_("补充材料"))
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("补充人")
    )
    at = models.DateTimeField(_("提交时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("补充材料")
        verbose_name_plural = _("补充材料")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ChecklistMark(models.Model):
    """第八条: one item marked passed or failed with a note; a later mark supersedes an earlier one."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="marks", verbose_name=_("审核轮次")
    )
    item = models.CharField(_("审核事项"), max_length=32)
    passed = models.BooleanField(_("通过"))
    note = models.TextField(_("审核说明"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作出人")
    )
    at = models.DateTimeField(_("时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("审核要点标记")
        verbose_name_plural = _("审核要点标记")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Opinion(models.Model):
    """第十条: the written opinion (法制审核意见书), its document stored as a ledger blob."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="opinion", verbose_name=_("审核轮次")
    )
    outcome = models.CharField(_("审核意见"), max_length=24, choices=Outcome.choices)
    reasons = models.TextField(_("理由"))
    amend_points = models.JSONField(_("变更事项"), default=list, blank=True)
    transfer_to = models.CharField(_("移送去向"), max_length=24, blank=True)
    checklist = models.JSONField(_("审核事项结果"))
    document_sm3 = models.CharField(_("意见书（SM3）"), max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作出人")
    )
    at = models.DateTimeField(_("出具时间"))
    overdue = models.BooleanField(_("超过审核期限"), default=False)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("法制审核意见")
        verbose_name_plural = _("法制审核意见")

    def __str__(self) -> str:
        return self.get_outcome_display()


class Extension(models.Model):
    """第十一条: the reviewer asks for more time (案件复杂); once per round."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="extension", verbose_name=_("审核轮次")
    )
    days = models.PositiveSmallIntegerField(_("申请延长工作日"))
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    at = models.DateTimeField(_("申请时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("延长审核期限申请")
        verbose_name_plural = _("延长审核期限申请")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ExtensionRuling(models.Model):
    extension = models.OneToOneField(
        Extension, on_delete=models.PROTECT, related_name="ruling", verbose_name=_("延期申请")
    )
    approved = models.BooleanField(_("批准"))
    days = models.PositiveSmallIntegerField(_("批准延长工作日"), default=0)
    note = models.TextField(_("意见"), blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    at = models.DateTimeField(_("时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("延长期限批复")
        verbose_name_plural = _("延长期限批复")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Disagreement(models.Model):
    """第十二条: the handling unit contests the opinion after consultation; both go to the head."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="disagreement", verbose_name=_("审核轮次")
    )
    handler_opinion = models.TextField(_("承办机构意见"))
    consultation = models.TextField(_("协商沟通情况"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    at = models.DateTimeField(_("提出时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("审核意见异议")
        verbose_name_plural = _("审核意见异议")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class DisagreementRuling(models.Model):
    class Side(models.TextChoices):
        REVIEW = "review", _("采纳法制机构意见")
        HANDLER = "handler", _("采纳承办机构意见")

    disagreement = models.OneToOneField(
        Disagreement, on_delete=models.PROTECT, related_name="ruling", verbose_name=_("异议")
    )
    side = models.CharField(_("处理决定"), max_length=16, choices=Side.choices)
    note = models.TextField(_("理由"))
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    at = models.DateTimeField(_("时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("异议裁决")
        verbose_name_plural = _("异议裁决")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CollectiveDiscussion(models.Model):
    """第十三条: the agency's leaders discuss and decide after the review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="discussion", verbose_name=_("审核轮次")
    )
    held_on = models.DateField(_("讨论日期"))
    presided_by = models.CharField(_("主持人"), max_length=50)
    participants = models.JSONField(_("参加人员"))
    minutes = models.TextField(_("讨论记录"))
    conclusion = models.TextField(_("讨论决定"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    at = models.DateTimeField(_("录入时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


APPEND_ONLY_TABLES = (
    "review_assignment",
    "review_materialrequest",
    "review_materialsupplement",
    "review_checklistmark",
    "review_opinion",
    "review_extension",
    "review_extensionruling",
    "review_disagreement",
    "review_disagreementruling",
    "review_collectivediscussion",
)
