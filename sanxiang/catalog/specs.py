"""The columns of each list: one table that drives validation, forms, XLSX import/export and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.catalog.models import (
    CriterionKind,
    ItemCategory,
    ListKind,
    PartyScope,
    PenaltyKind,
    PeriodUnit,
)


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese column header in XLSX and the label on pages
    type: str = "str"  # str | text | int | decimal | choice | choices
    required: bool = True
    choices: type | None = None


@dataclass(frozen=True)
class ListSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    source: str

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]


CODE = Column("code", "编码")

SPECS: dict[str, ListSpec] = {
    ListKind.ITEMS: ListSpec(
        ListKind.ITEMS,
        "行政执法事项清单",
        (
            Column("code", "事项编码"),
            Column("category", "事项类别", "choice", choices=ItemCategory),
            Column("name", "事项名称"),
            Column("basis_law", "依据（法律法规名称）"),
            Column("basis_article", "依据（条款）"),
            Column("handling_unit", "承办机构"),
            Column("time_limit_days", "办理时限", "int", required=False),
            Column("time_limit_unit", "时限单位", "choice", required=False, choices=PeriodUnit),
            Column("note", "备注", "text", required=False),
        ),
        "《松原市行政执法公示办法》第二十二条",
    ),
    ListKind.SPOT_CHECKS: ListSpec(
        ListKind.SPOT_CHECKS,
        "随机抽查事项清单",
        (
            Column("code", "事项编码"),
            Column("name", "抽查事项"),
            Column("subject", "抽查主体"),
            Column("basis_law", "抽查依据（法律法规名称）"),
            Column("basis_article", "抽查依据（条款）"),
            Column("target", "抽查对象"),
            Column("content", "抽查内容", "text"),
            Column("method", "抽查方式"),
            Column("ratio", "抽查比例（%）", "decimal"),
            Column("frequency", "抽查频次"),
        ),
        "《松原市行政执法公示办法》第十一条、第二十三条",
    ),
    ListKind.RECORDING: ListSpec(
        ListKind.RECORDING,
        "音像记录事项清单",
        (
            Column("code", "事项编码"),
            Column("procedure", "执法程序"),
            Column("record", "执法环节记录"),
            Column("description", "音像记录要求", "text"),
            Column("basis_law", "依据（文件名称）"),
            Column("basis_article", "依据（条款）", required=False),
        ),
        "《松原市行政执法全过程记录实施办法》第十三条",
    ),
    ListKind.MAJOR: ListSpec(
        ListKind.MAJOR,
        "重大执法决定法制审核目录清单",
        (
            Column("code", "标准编码"),
            Column("kind", "标准类型", "choice", choices=CriterionKind),
            Column("decision_category", "决定类别", "choice", required=False, choices=ItemCategory),
            Column("penalty_kind", "处罚种类", "choice", required=False, choices=PenaltyKind),
            Column("party_scope", "当事人范围", "choice", required=False, choices=PartyScope),
            Column("threshold", "数额标准（元，含本数）", "decimal", required=False),
            Column("description", "标准说明", "text"),
            Column("basis_law", "依据（文件名称）"),
            Column("basis_article", "依据（条款）", required=False),
        ),
        "《松原市重大行政执法决定法制审核办法》第三条第二款",
    ),
}

DISCRETION_COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码"),
    Column("position", "序号", "int"),
    Column("level", "裁量阶次"),
    Column("circumstances", "适用情形", "text"),
    Column("penalty_kinds", "处罚种类", "choices", required=False, choices=PenaltyKind),
    Column("fine_min", "罚款下限（元）", "decimal", required=False),
    Column("fine_max", "罚款上限（元）", "decimal", required=False),
    Column("other", "其他处罚内容", required=False),
)
DISCRETION_TITLE = "裁量基准"

# Columns the export adds for readers; the import ignores them.
EXPORT_ONLY = ("版本", "生效日期", "变更原因")
STATUS_HEADER = "状态"  # optional on import: 有效 (default) or 废止
WITHDRAWN_WORDS = frozenset({"废止", "撤销", "withdrawn"})


def choice_lookup(choices) -> dict[str, str]:
    """Accept the value, the Chinese label, or the label without its leading 行政."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[str(value).lower()] = value
        table[str(label)] = value
        if str(label).startswith("行政"):
            table[str(label)[2:]] = value
    return table
