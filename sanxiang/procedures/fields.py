"""The content of procedure records: the field shapes a procedure definition declares for its
records (the staff forms and the API are generated from them), the penalty kinds of 行政处罚法
第九条 and the penalty arithmetic the rules compare. Pure data and pure functions; the cases app
validates payloads against these fields (``sanxiang.cases.specs.clean_payload``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
    choices=PENALTY_KINDS,
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
    Field(
        "social_impact", "可能造成重大社会影响", "bool", help="《松原市重大行政执法决定法制审核办法》第三条"
    ),
    Field("complex", "案情疑难复杂、涉及多个法律关系", "bool", help="行政处罚法 第五十八条第一款第三项"),
    Field(
        "collective_discussion_required",
        "情节复杂或重大违法，须集体讨论",
        "bool",
        help="行政处罚法 第五十七条第二款",
    ),
)


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
        """The penalty in words, each kind once, in 行政处罚法 第九条's order, an amount with its kind:
        "警告、罚款8000元、没收违法所得1200.50元" (an amount without its kind is named on its own)."""
        labels = dict(PENALTY_KINDS)
        confiscating = [k for k, _ in PENALTY_KINDS if k in self.kinds and k in CONFISCATION_KINDS]
        parts = []
        for key, label in PENALTY_KINDS:
            if key not in self.kinds:
                continue
            if key == "fine" and self.fine:
                label = f"罚款{yuan(self.fine)}元"
            elif confiscating and key == confiscating[0] and self.confiscation:
                label = f"{label}{yuan(self.confiscation)}元"
            parts.append(label)
        parts += [labels.get(k, k) for k in sorted(self.kinds - set(labels))]
        if self.fine and "fine" not in self.kinds:
            parts.append(f"罚款{yuan(self.fine)}元")
        if self.confiscation and not confiscating:
            parts.append(f"没收{yuan(self.confiscation)}元")
        return "、".join(parts)


# The kinds whose amount is the record's 没收数额 (confiscation_amount).
CONFISCATION_KINDS = frozenset({"confiscate_gains", "confiscate_property"})


def yuan(amount: Decimal) -> str:
    """An amount of 元 as written on a decision: whole yuan without decimals, else two (1200.50)."""
    amount = Decimal(amount)
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def line_kind_name(category: str, kind: str) -> str:
    """The Chinese name of a decision line's kind (a penalty or measure kind; a sum's item as stated)."""
    names = (
        dict(PENALTY_KINDS) if category == "penalty" else dict(MEASURE_KINDS) if category == "measure" else {}
    )
    return names.get(kind, kind)
