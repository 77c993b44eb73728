"""案卷评查标准 as data, and the scoring rule (pure).

The shipped standard is modelled on 《测绘地理信息行政处罚案卷评查标准》 (国家测绘地理信息局印发的行政处罚
案卷评查工作附件): nine 基本标准 items, any of which makes the file 不合格; then 案卷卷面标准 (20 分) and
案卷内容标准 (80 分), each item with its points and deductions, "扣完为止，不计负分". Its items are
worded for any enforcement agency; the grade thresholds (优秀 90, 合格 60) are the platform's defaults
and are part of the versioned standard, so a campaign keeps the thresholds it was scored by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

STANDARD_CODE = "xzcf-ajpc"
STANDARD_NAME = "行政处罚案卷评查标准"
STANDARD_BASIS = "参照《测绘地理信息行政处罚案卷评查标准》（基本标准9项，卷面20分，内容80分）"

# (code, text, rule, auto check)
VETOES = (
    ("J1", "行政处罚实施主体是否合法", "实施主体不合法的，为不合格卷", ""),
    ("J2", "执法人员是否具有执法资格", "执法人员不具有执法资格的，为不合格卷", "valid_credentials"),
    ("J3", "案件应当移送其他机关的是否移送", "应当移送未移送的，为不合格卷", ""),
    ("J4", "证据是否充分", "证据不充分的，为不合格卷", ""),
    ("J5", "违法事实认定是否清楚", "事实不清的，为不合格卷", ""),
    ("J6", "对违法行为定性是否正确", "定性错误的，为不合格卷", ""),
    ("J7", "适用法律是否正确", "适用法律错误的，为不合格卷", ""),
    ("J8", "行政处罚程序是否合法", "程序违法的，为不合格卷", "review_passed"),
    ("J9", "执法人员是否不少于二人", "执法人员少于二人的，为不合格卷", "two_officers"),
)
# (code, text, points, rule, auto check)
FORM = (
    ("F1", "使用规定的或者经备案的行政执法文书格式文本", 2, "未使用规定的执法文书的，扣2分", ""),
    ("F2", "执法文书按规范填写", 4, "漏项，内容不完整、表述不清楚、用语不规范的，每项扣1分", ""),
    ("F3", "一案一卷", 2, "未按规定立卷的，扣1分", ""),
    ("F4", "卷宗封面", 1, "未使用统一封面的，扣1分", ""),
    ("F5", "卷内目录按顺序填写，页码正确", 2, "未按顺序填写、页码有误的，每项扣1分", ""),
    ("F6", "按立案、调查取证、审查、决定、送达、执行的顺序立卷", 1, "未按顺序组卷的，扣1分", ""),
    ("F7", "卷内材料逐页编号", 2, "未编页码或者页码混乱的，每项扣1分", ""),
    ("F8", "文书签名、盖章齐全，字迹清楚", 3, "缺少签名、盖章或者字迹不清的，每项扣1分", ""),
    ("F9", "案卷在规定期限内立卷归档", 3, "未在期限内归档的，扣3分", "archived_in_time"),
)
CONTENT = (
    (
        "C1",
        "立案：符合立案条件，依法审批立案；情况紧急先行启动的按期补报批准",
        6,
        "未审批立案或者未按期补报的，扣6分",
        "opened_properly",
    ),
    (
        "C2",
        "调查取证：调查询问、现场检查、抽样取证等笔录完整，证据来源合法",
        20,
        "每缺一项必要证据或者笔录不规范的，扣2至5分",
        "records_complete",
    ),
    (
        "C3",
        "全过程记录：应当音像记录的已记录，并在规定时间内存储",
        6,
        "音像记录缺失或者逾期存储的，每项扣2分",
        "recordings_on_time",
    ),
    (
        "C4",
        "告知：依法告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证权利",
        10,
        "未告知或者告知不全的，扣5至10分",
        "",
    ),
    (
        "C5",
        "重大执法决定经法制审核通过后作出决定",
        10,
        "应当审核未审核或者审核未通过即作出决定的，扣10分",
        "review_passed",
    ),
    ("C6", "处罚决定书内容完整，裁量适当", 12, "决定书缺项或者裁量明显不当的，每项扣2至4分", ""),
    ("C7", "在法定期限内作出决定并送达", 8, "超过办案期限或者送达期限的，每项扣4分", "periods_kept"),
    ("C8", "执行到位，结案手续完备", 4, "执行或者结案手续不全的，扣2至4分", ""),
    ("C9", "处罚决定按规定时限公示", 4, "未公示或者逾期公示的，扣4分", "disclosed_on_time"),
)
EXCELLENT_MIN = Decimal("90")
PASS_MIN = Decimal("60")
EFFECTIVE_FROM = dt.date(2026, 1, 1)


def install(apps=None) -> object:
    """The shipped standard's rows (idempotent; from a migration with ``apps``, else the live models)."""
    if apps is None:
        from sanxiang.supervision.models import EvaluationStandard, StandardItem
    else:
        EvaluationStandard = apps.get_model("supervision", "EvaluationStandard")
        StandardItem = apps.get_model("supervision", "StandardItem")
    found = EvaluationStandard.objects.filter(code=STANDARD_CODE, version=1).first()
    if found is not None:
        return found
    standard = EvaluationStandard.objects.create(
        code=STANDARD_CODE,
        version=1,
        name=STANDARD_NAME,
        basis=STANDARD_BASIS,
        effective_from=EFFECTIVE_FROM,
        form_points=sum(p for _, _, p, _, _ in FORM),
        content_points=sum(p for _, _, p, _, _ in CONTENT),
        excellent_min=EXCELLENT_MIN,
        pass_min=PASS_MIN,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    rows = [
        StandardItem(standard=standard, section="veto", position=i, code=c, text=t, points=0, rule=r, auto=a)
        for i, (c, t, r, a) in enumerate(VETOES, start=1)
    ]
    for section, items in (("form", FORM), ("content", CONTENT)):
        rows += [
            StandardItem(
                standard=standard, section=section, position=i, code=c, text=t, points=p, rule=r, auto=a
            )
            for i, (c, t, p, r, a) in enumerate(items, start=1)
        ]
    StandardItem.objects.bulk_create(rows)
    return standard


@dataclass(frozen=True)
class Score:
    form: Decimal
    content: Decimal
    total: Decimal
    grade: str
    vetoed: tuple[str, ...]


def score(*, standard, items, marks: dict[str, dict]) -> Score:
    """The grade of one case file: any veto item found → 不合格 whatever the points (total 0, as the
    standard says 评查总分即为零分); otherwise each section is its points less its deductions, an item
    never losing more than its own points and a section never below 0 (扣完为止，不计负分)."""
    vetoed = tuple(i.code for i in items if i.section == "veto" and marks.get(i.code, {}).get("veto"))
    sums = {"form": Decimal(0), "content": Decimal(0)}
    for item in items:
        if item.section in sums:
            deduction = Decimal(str(marks.get(item.code, {}).get("deduction") or 0))
            sums[item.section] += min(max(deduction, Decimal(0)), Decimal(item.points))
    form = max(Decimal(standard.form_points) - sums["form"], Decimal(0))
    content = max(Decimal(standard.content_points) - sums["content"], Decimal(0))
    if vetoed:
        return Score(form, content, Decimal(0), "fail", vetoed)
    total = form + content
    grade = (
        "excellent" if total >= standard.excellent_min else "pass" if total >= standard.pass_min else "fail"
    )
    return Score(form, content, total, grade, vetoed)
