"""What the cases app adds to the procedure definitions, as tables: the fields of each record kind
(the staff forms are generated from them), which records name the officers present, which are made
through the approval chain, and which rules a record must satisfy when it is made.

The procedure definitions (``sanxiang.procedures.library``) stay the source of which records a
stage takes; this module only describes their content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sanxiang.errors import FieldError

JL = "seed 002 记录办法"

PENALTY_KINDS: tuple[tuple[str, str], ...] = (
    ("warning", "警告"),
    ("criticism", "通报批评"),
    ("fine", "罚款"),
    ("confiscate_gains", "没收违法所得"),
    ("confiscate_property", "没收非法财物"),
    ("suspend_permit", "暂扣许可证件"),
    ("downgrade", "降低资质等级"),
    ("revoke_permit", "吊销许可证件"),
    ("restrict_activity", "限制开展生产经营活动"),
    ("suspend_business", "责令停产停业"),
    ("close", "责令关闭"),
    ("restrict_employment", "限制从业"),
    ("detention", "行政拘留"),
    ("other", "其他"),
)  # 行政处罚法 第九条 (the same values as catalog.models.PenaltyKind)

# 行政处罚法 第六十三条: the penalties for which the party may ask for a hearing (besides a large fine).
HEARING_PENALTY_KINDS = frozenset(
    {
        "confiscate_gains",
        "confiscate_property",
        "downgrade",
        "revoke_permit",
        "suspend_business",
        "close",
        "restrict_employment",
        "restrict_activity",
    }
)

# Ordering of penalty severity for 行政处罚法 第四十五条 ("不得因陈述、申辩而给予更重的处罚").
PENALTY_FIELDS = ("penalty_kinds", "fine_amount", "confiscation_amount")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = (
        "text"  # text | textarea | bool | decimal | date | datetime | choice | choices | party_penalties
    )
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


CONTENT = Field("content", "内容摘要", "textarea", required=True)
# 许可类别 of the national 双公示 行政许可信息 data items.
LICENCE_CATEGORIES = ("普通", "特许", "认可", "核准", "登记", "其他")
PENALTY = (
    Field("penalty_kinds", "处罚种类", "choices", required=True, choices=PENALTY_KINDS),
    Field("fine_amount", "罚款数额（元）", "decimal"),
    Field("confiscation_amount", "没收数额（元）", "decimal"),
)
DOC_NO = Field("document_number", "文书编号", "text", required=True)
# Joint offenders punished differently (共同违法、分别裁量): each party's own kinds and amounts, as
# [{"party": <当事人 public_id>, "penalty_kinds": [...], "fine_amount": "…", "confiscation_amount": "…"}];
# a party not listed gets the penalty above. The decision states each party's penalty (行政处罚法 第五十九条).
PARTY_PENALTIES = Field(
    "party_penalties",
    "各当事人分别给予的处罚",
    "party_penalties",
    help="共同违法的当事人分别给予不同处罚的，逐一写明（行政处罚法 第五十九条）",
)
# 行政强制法 第九条: the kinds of 行政强制措施 (a 查封、扣押决定书 names which).
MEASURE_KINDS = (
    ("restrict_liberty", "限制公民人身自由"),
    ("seal", "查封场所、设施或者财物"),
    ("seize", "扣押财物"),
    ("freeze", "冻结存款、汇款"),
    ("other", "其他行政强制措施"),
)
SERVICE = (
    Field("recipient", "受送达人", "text", required=True),
    Field("document", "送达文书", "text", required=True),
    Field("handed_on_spot", "当场交付", "bool"),
    CONTENT,
)
# 失信程度 of a penalty, for its 公示截止期 (信用修复管理办法 2026: 轻微原则上不公示，一般3个月至1年，
# 严重1年至3年). The catalogue's 裁量基准 does not say which level a decision applied, so the officer
# states it; a decision that states nothing is "一般" (the disclosure app's default).
SEVERITIES = (("minor", "轻微"), ("ordinary", "一般"), ("serious", "严重"))
SEVERITY = Field(
    "severity",
    "失信程度",
    "choice",
    choices=SEVERITIES,
    help="决定公示截止期（信用修复管理办法 2026）；不填按一般",
)
DECISION_CHANGE_GROUNDS = (
    ("changed", "决定被依法变更"),
    ("revoked", "决定被依法撤销"),
    ("unlawful", "决定被确认违法或无效"),
    ("redo", "决定被撤销并责令重新作出"),
)
DECISION_CHANGE_BY = (
    ("reconsideration", "行政复议"),
    ("litigation", "行政诉讼"),
    ("self_correction", "自行纠正"),
    ("supervision", "执法监督"),
)
MAJOR_FLAGS = (
    Field("public_interest", "涉及重大公共利益", "bool", help="行政处罚法 第五十八条第一款第一项"),
    Field("major_rights", "直接关系当事人或第三人重大权益", "bool", help="行政处罚法 第五十八条第一款第二项"),
    Field("social_impact", "可能造成重大社会影响", "bool", help="seed 002 审核办法 第三条"),
    Field("complex", "案情疑难复杂、涉及多个法律关系", "bool", help="行政处罚法 第五十八条第一款第三项"),
    Field(
        "collective_discussion_required",
        "情节复杂或重大违法，须集体讨论",
        "bool",
        help="行政处罚法 第五十七条第二款",
    ),
)

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "case_source": (
        Field("summary", "来源及线索摘要", "textarea", required=True),
        Field("party_summary", "当事人基本情况", "textarea"),
    ),
    "not_filing_record": (
        Field("reason", "不予立案理由", "textarea", required=True),
        Field("reporter_informed", "已告知投诉人、举报人", "bool", help=f"{JL} 第九条"),
        Field("informed_how", "告知方式及时间", "text"),
    ),
    "investigation_report": (
        Field("facts", "违法事实", "textarea", required=True),
        Field("evidence", "证据", "textarea", required=True),
        Field("basis", "处罚依据", "text", required=True),
        *PENALTY,
        *MAJOR_FLAGS,
    ),
    "penalty_notice": (
        DOC_NO,
        *PENALTY,
        Field("hearing_rights", "告知听证权利", "bool", help="行政处罚法 第六十三条、第六十四条"),
        CONTENT,
    ),
    "statement_defence": (
        Field("waived", "当事人明确放弃陈述申辩", "bool"),
        CONTENT,
    ),
    "defence_review": (
        Field("adopted", "采纳陈述申辩意见", "bool"),
        Field("reasons", "复核意见及理由", "textarea", required=True),
        *PENALTY,
    ),
    "hearing_notice": (
        DOC_NO,
        Field("hearing_at", "举行听证时间", "datetime", required=True),
        Field("place", "听证地点", "text", required=True),
    ),
    "hearing_report": (Field("opinion", "听证意见", "textarea", required=True), *PENALTY),
    "decision_draft": (
        Field("drafter", "起草人", "text", required=True),
        Field("basis", "决定依据", "textarea", required=True),
        *PENALTY,
    ),
    "decision_document": (
        DOC_NO,
        *PENALTY,
        PARTY_PENALTIES,
        Field("license_revoked", "暂扣或吊销证照名称及编号", "text", help="双公示 行政处罚信息数据项"),
        SEVERITY,
        CONTENT,
    ),
    # 行政许可法 第三十八条 (准予或不予, 不予的说明理由); 第三十九条 (许可证件). A granted licence
    # carries what 双公示 publishes of it (行政许可信息数据项): number, category, validity.
    "licence_decision": (
        Field("granted", "准予行政许可", "bool", help="行政许可法 第三十八条"),
        Field("document_number", "文书编号", "text"),
        Field("license_category", "许可类别", "choice", choices=tuple((c, c) for c in LICENCE_CATEGORIES)),
        Field("license_name", "许可证件名称", "text"),
        Field("license_number", "许可证件编号", "text"),
        Field("valid_from", "有效期自", "date"),
        Field("valid_until", "有效期至", "date"),
        CONTENT,
    ),
    "seizure_decision": (
        Field("document_number", "文书编号", "text"),
        Field("measure_kinds", "强制措施种类", "choices", choices=MEASURE_KINDS, help="行政强制法 第九条"),
        CONTENT,
    ),
    "service_direct": SERVICE,
    "service_mail": (*SERVICE, Field("tracking_number", "挂号信或特快专递单号", "text", required=True)),
    "service_left": (*SERVICE, Field("witness", "见证人", "text", required=True)),
    "service_entrusted": (*SERVICE, Field("reason", "委托、转交原因", "text", required=True)),
    "service_public_notice": (
        *SERVICE,
        Field("reason", "其他方式均无法送达的情况", "textarea", required=True),
        Field("medium", "公告方式和载体", "text", required=True),
    ),
    "performance_record": (
        Field("amount_paid", "已缴纳金额（元）", "decimal"),
        Field("performed", "已全部履行", "bool"),
        CONTENT,
    ),
    "enforcement_record": (
        Field("measure", "强制执行方式", "text", required=True),
        Field("completed", "执行完毕", "bool"),
        CONTENT,
    ),
    "court_application": (
        Field("court", "受理法院", "text", required=True),
        Field("completed", "执行完毕或终结", "bool"),
        CONTENT,
    ),
    "simple_facts_record": (
        Field("facts", "违法事实", "textarea", required=True),
        Field("basis", "法律依据", "text", required=True),
        Field("facts_certain", "违法事实确凿并有法定依据", "bool", help="行政处罚法 第五十一条"),
        *PENALTY,
    ),
    "on_spot_decision": (DOC_NO, *PENALTY, SEVERITY, CONTENT),
    # 行政处罚法 第四十八条: a disclosed decision changed, revoked or found unlawful is withdrawn
    # within 3 days with a public reason; the values of ``ground`` are the disclosure app's
    # withdrawal grounds (disclosure.models.EVENT_GROUNDS).
    "decision_change_record": (
        Field("ground", "结果", "choice", required=True, choices=DECISION_CHANGE_GROUNDS),
        Field("by", "途径", "choice", required=True, choices=DECISION_CHANGE_BY),
        Field("occurred_on", "变更、撤销或确认违法的日期", "date", required=True),
        Field("document_number", "复议决定书、判决书或纠正决定文号", "text"),
        Field("explanation", "公开说明", "textarea", required=True, help="撤下公示时向社会公开"),
    ),
    "fine_collection": (Field("amount", "收缴金额（元）", "decimal", required=True), CONTENT),
    "closing_report": (Field("summary", "结案情况", "textarea", required=True),),
    "archive_record": (
        Field("volumes", "案卷册数", "text", required=True),
        Field("location", "保存地点", "text", required=True),
        Field("content", "卷内目录及备注", "textarea"),
    ),
    "inspection_result": (
        Field("problems_found", "发现违法问题", "bool"),
        Field("document_number", "检查结果文书编号", "text", help="未填写的，公示时以案号为文号"),
        CONTENT,
    ),
    "onsite_record": (
        Field("party_present", "当事人到场", "bool"),
        Field("witness", "见证人（当事人不到场时）", "text"),
        CONTENT,
    ),
    # Time not counted in the period must be stated and told in writing (行政许可法 第四十五条;
    # 行政强制法 第二十五条第三款); from this notice the period is paused until the result.
    "expert_work_notice": (
        Field(
            "matter",
            "事项",
            "choice",
            required=True,
            choices=(
                ("bidding", "招标"),
                ("auction", "拍卖"),
                ("inspection", "检验"),
                ("testing", "检测"),
                ("quarantine", "检疫"),
                ("appraisal", "鉴定"),
                ("expert_review", "专家评审"),
            ),
        ),
        Field("expected_end", "预计所需时间截至", "date", required=True, help="行政许可法 第四十五条"),
        CONTENT,
    ),
    "testing_notice": (
        Field(
            "matter",
            "事项",
            "choice",
            required=True,
            choices=(
                ("testing", "检测"),
                ("inspection", "检验"),
                ("quarantine", "检疫"),
                ("appraisal", "技术鉴定"),
            ),
        ),
        Field("expected_end", "期间截至", "date", required=True, help="行政强制法 第二十五条第三款"),
        CONTENT,
    ),
}

# Records in which the officers present, their credential numbers and whether they were shown are
# written down (seed 002 记录办法 第十条; 行政处罚法 第四十二条、第五十五条).
OFFICER_RECORDS = frozenset(
    {
        "inquiry_record",
        "onsite_inspection_record",
        "sampling_record",
        "evidence_preservation",
        "seizure_record",
        "simple_facts_record",
        "onsite_record",
        "onsite_verification",
    }
)
OFFICERS_SOURCE = "行政处罚法 第四十二条; seed 002 记录办法 第十条"

# Records that only the internal approval chain makes (seed 002 记录办法 第三十八条).
APPROVAL_RECORDS = frozenset(
    {"filing_approval", "decision_approval", "measure_approval", "emergency_approval", "inspection_approval"}
)
PROCEDURE_APPROVAL_RECORDS = {"licensing": frozenset({"review_opinion"})}


@dataclass(frozen=True)
class AppRecord:
    """A case record that another app writes on the case for its own workflow
    (``services.record_add_from_app``): which app, which role its author holds, and why."""

    app: str
    role: str
    source: str


# Records another app writes on the case; nobody makes them through ``record_add``.
APP_RECORDS: dict[tuple[str, str], AppRecord] = {
    # The legal review writes its own opinion (seed 002 审核办法 第十条; 记录办法 第十七条).
    ("penalty_general", "review_opinion"): AppRecord(
        "review", "reviewer", "seed 002 审核办法 第十条; seed 002 记录办法 第十七条"
    ),
}

# Records that need another record first.
PREREQUISITES: dict[str, tuple[tuple[str, ...], str]] = {
    "decision_document": (("decision_approval",), "行政处罚法 第五十七条; seed 002 记录办法 第三十八条"),
    "defence_review": (("statement_defence",), "行政处罚法 第四十五条第一款"),
    "hearing_report": (("hearing_record",), "行政处罚法 第六十五条"),
}


def is_approval_record(procedure: str, key: str) -> bool:
    return key in APPROVAL_RECORDS or key in PROCEDURE_APPROVAL_RECORDS.get(procedure, frozenset())


def fields_for(key: str) -> tuple[Field, ...]:
    return RECORD_FIELDS.get(key, (CONTENT,))


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    d = Decimal(str(value).replace(",", "").strip())
    if not d.is_finite():
        raise InvalidOperation
    return d


def _party_penalties(where: str, value: Any) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Each party's own penalty, normalised like the penalty fields; errors name the line."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError
    out: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    allowed = {k for k, _ in PENALTY_KINDS}
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        party = str(item.get("party") or "").strip()
        if not party:
            errors.append(FieldError(f"{at}.party", "required", "各当事人分别给予的处罚: 须写明当事人"))
        elif party in seen:
            errors.append(
                FieldError(f"{at}.party", "duplicate", "各当事人分别给予的处罚: 同一当事人只能写一次")
            )
        seen.add(party)
        unknown = sorted(set(item) - {"party", *PENALTY_FIELDS})
        for name in unknown:
            errors.append(FieldError(f"{at}.{name}", "unknown_field", f"{name}: 该项没有此内容"))
        kinds = item.get("penalty_kinds") or []
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list) or not kinds:
            errors.append(FieldError(f"{at}.penalty_kinds", "required", "处罚种类: 必须填写"))
            kinds = []
        bad = [k for k in kinds if k not in allowed]
        if bad:
            errors.append(
                FieldError(
                    f"{at}.penalty_kinds", "choice", f"处罚种类: {'、'.join(map(str, bad))} 不是可选项"
                )
            )
        clean: dict[str, Any] = {"party": party, "penalty_kinds": sorted(set(kinds))}
        for name, label in (("fine_amount", "罚款数额（元）"), ("confiscation_amount", "没收数额（元）")):
            raw = item.get(name)
            if raw in (None, ""):
                continue
            try:
                d = _decimal(raw)
            except (InvalidOperation, ValueError, TypeError):
                errors.append(FieldError(f"{at}.{name}", "decimal", f"{label}: 格式不正确"))
                continue
            if d < 0:
                errors.append(FieldError(f"{at}.{name}", "non_negative", f"{label}: 不得为负数"))
                continue
            clean[name] = str(d.quantize(Decimal("0.01")))
        out.append(clean)
    return out, errors


def clean_payload(key: str, data: dict[str, Any] | None) -> tuple[dict[str, Any], list[FieldError]]:
    """The payload of a ``key`` record, normalised (decimals as strings with 2 places, dates ISO);
    errors name ``payload.<field>``. Unknown fields are refused."""
    data = dict(data or {})
    fields = fields_for(key)
    known = {f.name for f in fields}
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    for name in sorted(set(data) - known):
        errors.append(FieldError(f"payload.{name}", "unknown_field", f"{name}: 该记录没有此项"))
    for f in fields:
        where = f"payload.{f.name}"
        value: Any = data.get(f.name)  # JSON: None, str, bool, number, list or dict
        empty = value is None or value == "" or value == [] or (f.type == "bool" and value is False)
        if empty:
            if f.required and f.type != "bool":
                errors.append(FieldError(where, "required", f"{f.label}: 必须填写"))
            if f.type == "bool":
                out[f.name] = False
            continue
        try:
            if f.type in ("text", "textarea"):
                value = str(value).strip()
                if f.required and not value:
                    errors.append(FieldError(where, "required", f"{f.label}: 必须填写"))
                    continue
            elif f.type == "bool":
                if isinstance(value, str):
                    if value.lower() not in ("true", "on", "1", "false", "0", "off"):
                        raise ValueError
                    value = value.lower() in ("true", "on", "1")
                elif not isinstance(value, bool):
                    raise ValueError
            elif f.type == "decimal":
                d = _decimal(value)
                if d < 0:
                    errors.append(FieldError(where, "non_negative", f"{f.label}: 不得为负数"))
                    continue
                value = str(d.quantize(Decimal("0.01")))
            elif f.type == "date":
                parsed = value if isinstance(value, dt.date) else parse_date(str(value))
                if parsed is None:
                    raise ValueError
                value = parsed.isoformat()
            elif f.type == "datetime":
                parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
                if parsed is None:
                    raise ValueError
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed)
                value = timezone.localtime(parsed).isoformat()
            elif f.type == "party_penalties":
                value, item_errors = _party_penalties(where, value)
                if item_errors:
                    errors += item_errors
                    continue
            elif f.type in ("choice", "choices"):
                allowed = {c for c, _ in f.choices}
                values = [value] if f.type == "choice" or isinstance(value, str) else list(value)
                bad = [v for v in values if v not in allowed]
                if bad:
                    errors.append(
                        FieldError(where, "choice", f"{f.label}: {'、'.join(map(str, bad))} 不是可选项")
                    )
                    continue
                value = values[0] if f.type == "choice" else sorted(set(values))
        except (ValueError, TypeError, InvalidOperation):
            errors.append(FieldError(where, f.type, f"{f.label}: 格式不正确"))
            continue
        out[f.name] = value
    return out, errors


@dataclass(frozen=True)
class Penalty:
    kinds: frozenset[str]
    fine: Decimal
    confiscation: Decimal

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Penalty | None:
        if not payload.get("penalty_kinds"):
            return None
        return cls(
            frozenset(payload.get("penalty_kinds") or ()),
            Decimal(payload.get("fine_amount") or 0),
            Decimal(payload.get("confiscation_amount") or 0),
        )

    def heavier_than(self, other: Penalty) -> bool:
        """行政处罚法 第四十五条: a kind not proposed before, or a larger amount, is heavier."""
        return (
            bool(self.kinds - other.kinds) or self.fine > other.fine or self.confiscation > other.confiscation
        )

    def describe(self) -> str:
        labels = dict(PENALTY_KINDS)
        parts = [labels.get(k, k) for k in sorted(self.kinds)]
        if self.fine:
            parts.append(f"罚款{self.fine}元")
        if self.confiscation:
            parts.append(f"没收{self.confiscation}元")
        return "、".join(parts)


def line_kind_name(category: str, kind: str) -> str:
    """The Chinese name of a decision line's kind (a penalty or measure kind; a sum's item as stated)."""
    names = (
        dict(PENALTY_KINDS) if category == "penalty" else dict(MEASURE_KINDS) if category == "measure" else {}
    )
    return names.get(kind, kind)
