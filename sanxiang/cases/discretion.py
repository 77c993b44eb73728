"""裁量基准 check (行政处罚法 第三十四条): the proposed penalty of a record compared with the
discretion rows of the case's matter in the 行政执法事项清单 (the version the case was opened under).

A fine inside the range of a row names that row (its 裁量阶次). A fine below every row needs a
stated ground — 从轻、减轻处罚 (行政处罚法 第三十二条) or 不予处罚 (第三十三条) — and its reasons; a fine
above every row is refused (the published 裁量基准 binds the agency, 第三十四条). The check runs when
the investigation report, the defence review, the hearing report, the draft and the decision are
made, and the reviewer's 执行裁量基准是否适当 item shows it (审核办法 第八条第三项)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sanxiang.cases.display import penalty_text
from sanxiang.cases.specs import PENALTY_KINDS, Penalty
from sanxiang.errors import FieldError

SOURCE = "行政处罚法 第三十四条"
GROUND_SOURCE = "行政处罚法 第三十二条、第三十三条"
GROUNDS = (
    ("lighter", "从轻处罚（行政处罚法 第三十二条）"),
    ("mitigated", "减轻处罚（行政处罚法 第三十二条）"),
    ("exempt", "不予处罚（行政处罚法 第三十三条）"),
)
GROUND_LABELS = dict(GROUNDS)
PAYLOAD_FIELDS = (
    "penalty_kinds",
    "fine_amount",
    "confiscation_amount",
    "discretion_ground",
    "discretion_reason",
)
# The records whose penalty is checked against the 裁量基准.
CHECKED_RECORDS = (
    "investigation_report",
    "penalty_notice",
    "defence_review",
    "hearing_report",
    "decision_draft",
    "decision_document",
)


@dataclass
class Level:
    level: str
    circumstances: str
    kinds: str
    fine_min: Decimal | None
    fine_max: Decimal | None

    @property
    def range_label(self) -> str:
        if self.fine_min is None and self.fine_max is None:
            return "—"
        low = f"{self.fine_min:,.0f}" if self.fine_min is not None else "—"
        high = f"{self.fine_max:,.0f}" if self.fine_max is not None else "—"
        return f"{low} 至 {high} 元"


@dataclass
class DiscretionCheck:
    matter_name: str
    levels: list[Level]
    fine: Decimal | None
    penalty: str
    applied: Level | None = None
    below: bool = False
    above: bool = False
    ground: str = ""
    reason: str = ""
    record_name: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def low(self) -> Decimal | None:
        values = [lv.fine_min for lv in self.levels if lv.fine_min is not None]
        return min(values) if values else None

    @property
    def high(self) -> Decimal | None:
        values = [lv.fine_max for lv in self.levels if lv.fine_max is not None]
        return max(values) if values else None

    @property
    def outside(self) -> bool:
        return self.below or self.above

    @property
    def ground_label(self) -> str:
        return GROUND_LABELS.get(self.ground, "")

    @property
    def verdict(self) -> str:
        if self.fine is None:
            return "拟作出的处罚不含罚款，不适用罚款裁量幅度"
        if self.applied is not None:
            return f"罚款{self.fine:,.0f}元，在“{self.applied.level}”阶次 {self.applied.range_label} 之内"
        if self.below:
            text = f"罚款{self.fine:,.0f}元，低于裁量基准下限 {self.low:,.0f} 元"
            if self.ground:
                return f"{text}；适用{self.ground_label}，理由：{self.reason}"
            return f"{text}，未说明从轻、减轻或不予处罚的理由（{GROUND_SOURCE}）"
        if self.above:
            return f"罚款{self.fine:,.0f}元，高于裁量基准上限 {self.high:,.0f} 元（{SOURCE}）"
        return f"罚款{self.fine:,.0f}元，不在任一裁量阶次的幅度内"


def _levels(matter_ref) -> tuple[str, list[Level]]:
    from sanxiang.catalog.models import DiscretionRule, EnforcementItem

    if not matter_ref:
        return "", []
    item = EnforcementItem.objects.filter(public_id=matter_ref).first()
    if item is None:
        return "", []
    labels = dict(PENALTY_KINDS)
    rows = DiscretionRule.objects.filter(item=item).order_by("position")
    return item.name, [
        Level(
            r.level,
            r.circumstances,
            "、".join(labels.get(k, k) for k in r.penalty_kinds or []),
            r.fine_min,
            r.fine_max,
        )
        for r in rows
    ]


def compare(case, payload: dict[str, Any], *, record_name: str = "") -> DiscretionCheck | None:
    """The check of ``payload``'s penalty against the case's matter; None when the matter has no rows."""
    name, levels = _levels(case.matter_ref)
    if not levels:
        return None
    penalty = Penalty.of(payload)
    fine = penalty.fine if penalty and "fine" in penalty.kinds and penalty.fine else None
    check = DiscretionCheck(
        matter_name=name,
        levels=levels,
        fine=fine,
        penalty=penalty_text(penalty),
        ground=str(payload.get("discretion_ground") or ""),
        reason=str(payload.get("discretion_reason") or "").strip(),
        record_name=record_name,
    )
    if fine is None:
        return check
    ranged = [lv for lv in levels if lv.fine_min is not None or lv.fine_max is not None]
    check.applied = next(
        (
            lv
            for lv in ranged
            if (lv.fine_min is None or fine >= lv.fine_min) and (lv.fine_max is None or fine <= lv.fine_max)
        ),
        None,
    )
    if check.applied is None:
        check.below = check.low is not None and fine < check.low
        check.above = check.high is not None and fine > check.high
    return check


def compare_case(case, view=None) -> DiscretionCheck | None:
    """The check of the case's current proposal (the latest record stating a penalty); ``view`` is
    the case's ``CaseView`` when the caller has loaded it already."""
    from sanxiang.cases.context import PROPOSAL_RECORDS, load
    from sanxiang.procedures import registry

    view = view if view is not None else load(case)
    record = view.latest_with_penalty(PROPOSAL_RECORDS)
    if record is None:
        return None
    spec = registry.get(case.procedure).records().get(record.kind)
    return compare(case, record.payload, record_name=spec.name if spec else "")


def errors_for(case, payload: dict[str, Any]) -> list[FieldError]:
    """A fine outside the 裁量基准 needs a stated ground and reasons (below) or is refused (above)."""
    check = compare(case, payload)
    if check is None or not check.outside:
        return []
    if check.above:
        return [
            FieldError(
                "payload.fine_amount",
                "discretion_above",
                f"罚款数额: {check.fine:,.0f}元高于本事项裁量基准上限 {check.high:,.0f} 元，"
                f"应按公布的裁量基准确定（{SOURCE}）",
            )
        ]
    errors = []
    if check.ground not in GROUND_LABELS:
        errors.append(
            FieldError(
                "payload.discretion_ground",
                "discretion_ground",
                f"裁量理由类型: 罚款{check.fine:,.0f}元低于本事项裁量基准下限 {check.low:,.0f} 元，"
                f"须说明适用从轻、减轻或不予处罚（{GROUND_SOURCE}）",
            )
        )
    if not check.reason:
        errors.append(
            FieldError(
                "payload.discretion_reason",
                "required",
                f"裁量理由: 低于裁量基准下限的，须写明从轻、减轻或不予处罚的事实和理由（{GROUND_SOURCE}）",
            )
        )
    return errors
