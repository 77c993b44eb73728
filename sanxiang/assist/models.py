"""Intelligent assistance (行政执法裁量智能辅助): the law corpus, the similar-case index, and the log of
every suggestion offered and what a person did with it.

- :class:`Statute` / :class:`StatuteVersion` / :class:`Article`: statute texts as data. A new text of a
  statute is a new version (never an edit); the version in force on a day is the latest one effective on
  or before it. Articles are addressable by number (第一百二十二条 → 122).
- :class:`IndexDoc`: one row per final decision, the tokenized facts and basis that the BM25 search
  ranks (derived from the decision; rebuilt from it at any time).
- :class:`Suggestion` / :class:`SuggestionAnswer`: what was offered to whom, on which case, and the
  person's choice (accepted / rejected, with the chosen value and a reason). Append-only.
- :class:`ConsistencyCheck`: a proposed penalty compared with similar decided cases (类案同罚); the
  flag never blocks, and the officer's stated reason is a :class:`SuggestionAnswer`. Append-only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statute(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("名称"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class StatuteVersion(models.Model):
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("版本"), max_length=100)
    effective_from = models.DateField(_("施行日期"))
    source = models.TextField(_("文本来源"))
    digest = models.CharField(_("文本 SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("法律法规版本")
        verbose_name_plural = _("法律法规版本")
        ordering = ["statute_id", "-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["statute", "digest"], name="assist_statute_version_text"),
        ]

    def __str__(self) -> str:
        return f"{self.statute.title}（{self.label}）"


class Article(models.Model):
    version = models.ForeignKey(StatuteVersion, on_delete=models.PROTECT, related_name="articles")
    number = models.PositiveIntegerField(_("条"))
    label = models.CharField(_("条号"), max_length=30)
    chapter = models.CharField(_("章节"), max_length=100, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["version_id", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="assist_article_number")]

    def __str__(self) -> str:
        return self.label


class IndexDoc(models.Model):
    """A final decision as the similar-case search sees it (derived, rebuilt from the decision)."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.CASCADE, related_name="assist_doc")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=6, db_index=True)
    case_number = models.CharField(max_length=60)
    matter_code = models.CharField(max_length=64, blank=True, db_index=True)
    level = models.CharField(max_length=50, blank=True)
    fine = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField()
    tokens = models.TextField()  # space-separated terms of facts + basis (sanxiang.assist.text)

    class Meta:
        verbose_name = _("类案检索索引")
        verbose_name_plural = _("类案检索索引")
        ordering = ["pk"]
        indexes = [models.Index(fields=["agency", "matter_code"], name="assist_doc_agency_matter")]

    def __str__(self) -> str:
        return self.case_number


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        SIMILAR = "similar", _("相似案例")
        MATTER = "matter", _("执法事项")
        BASIS = "basis", _("法律依据")
        DISCRETION = "discretion", _("裁量基准")
        CONSISTENCY = "consistency", _("类案同罚")
        DUPLICATE = "duplicate", _("重复录入")
        DRAFT = "draft", _("文书草稿")
        PREFILL = "prefill", _("草稿填入记录")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    query = models.TextField(_("依据的事实"), blank=True)
    offered = models.JSONField(_("提出的建议"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("辅助建议")
        verbose_name_plural = _("辅助建议")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "kind"], name="assist_suggestion_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class SuggestionAnswer(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("采纳")
        REJECTED = "rejected", _("不采纳")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="answers")
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    chosen = models.JSONField(_("选择"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("建议处理结果")
        verbose_name_plural = _("建议处理结果")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_outcome_display()


class ConsistencyCheck(models.Model):
    """A proposed penalty beside the fines of similar decided cases of the same matter and 裁量阶次."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    suggestion = models.OneToOneField(Suggestion, on_delete=models.PROTECT, related_name="consistency")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    matter_code = models.CharField(_("执法事项编码"), max_length=64)
    level = models.CharField(_("裁量阶次"), max_length=50, blank=True)
    proposed = models.DecimalField(_("拟罚款（元）"), max_digits=16, decimal_places=2)
    compared = models.JSONField(_("比较的案件"))  # [{"decision": public_id, "case_number": …, "fine": "…"}]
    count = models.PositiveIntegerField(_("类案数"))
    q1 = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    median = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    q3 = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(_("合理区间下限"), max_digits=16, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(_("合理区间上限"), max_digits=16, decimal_places=2, null=True, blank=True)
    flagged = models.BooleanField(_("明显偏离"))
    rule = models.TextField(_("判断规则"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("类案同罚比对")
        verbose_name_plural = _("类案同罚比对")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.matter_code} {self.proposed}"


APPEND_ONLY_TABLES = (
    "assist_statuteversion",
    "assist_article",
    "assist_suggestion",
    "assist_suggestionanswer",
    "assist_consistencycheck",
)
