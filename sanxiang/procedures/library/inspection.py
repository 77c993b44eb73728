"""行政检查: its stages, records and their fields, record rules, periods, numbering and disclosure."""

from __future__ import annotations

from sanxiang.procedures.definitions import (
    ProcedureDefinition,
    Stage,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    Field,
)
from sanxiang.procedures.library.common import (
    ARCHIVE,
    AV_ONSITE,
    DECISION_CHANGE,
    JL,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
)

# ---------------------------------------------------------------- record fields

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "inspection_result": (
        Field("problems_found", "发现违法问题", "bool"),
        Field("document_number", "检查结果文书编号", "text", help="未填写的，公示时以案号为文号"),
        CONTENT,
    ),
}


# ---------------------------------------------------------------- record rules


# ---------------------------------------------------------------- the definition

INSPECTION = ProcedureDefinition(
    key="inspection",
    name="行政检查",
    law="inspection",
    source="行政处罚法 第五十四、五十五条; 《松原市行政执法全过程记录实施办法》第十至十三条; 《松原市行政执法公示办法》第二十七条",
    description="检查准备、现场检查、检查结果处理与公示、归档；发现违法的转入行政处罚一般程序立案查处。",
    initial="preparation",
    events={
        "checked": "完成现场检查",
        "concluded": "作出检查结论",
        "published": "公示检查结果",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="检",
    record_fields={**common_fields("decision_change_record", "archive_record"), **RECORD_FIELDS},
    approval_records=frozenset({"inspection_approval"}),
    stages=(
        Stage(
            "preparation",
            "检查准备",
            records=(
                R("inspection_plan", "检查计划或抽查任务", "《松原市行政执法公示办法》第十一条"),
                R("inspection_approval", "检查审批记录", f"{JL} 第三十八条"),
            ),
            requires=(
                Req(("inspection_plan", "inspection_approval"), f"{JL} 第三十八条", label="检查计划或审批"),
            ),
        ),
        Stage(
            "on_site",
            "现场检查",
            records=(
                R(
                    "onsite_inspection_record",
                    "现场检查笔录",
                    f"{JL} 第十条、第十二条第三项",
                    av_required=True,
                    av_source=AV_ONSITE,
                    event="checked",
                ),
                R(
                    "sampling_record",
                    "抽样记录及物品清单",
                    f"{JL} 第十二条第四项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R("refusal_record", "拒绝接受检查的记录", f"{JL} 第十二条第三款", event="checked"),
            ),
            requires=(
                Req(("onsite_inspection_record", "refusal_record"), f"{JL} 第十条", label="现场检查笔录"),
            ),
        ),
        Stage(
            "result",
            "检查结果",
            records=(
                R(
                    "inspection_result",
                    "检查结果记录",
                    "《松原市行政执法公示办法》第十七条",
                    event="concluded",
                    discloses="inspection",
                ),
                R("referral_to_case", "转立案查处记录", "行政处罚法 第五十四条"),
            ),
            requires=(Req(("inspection_result",), "《松原市行政执法公示办法》第十七条"),),
        ),
        Stage(
            "publication",
            "结果公示",
            records=(
                R(
                    "result_publication",
                    "检查结果公示记录",
                    "《松原市行政执法公示办法》第二十七条",
                    event="published",
                ),
            ),
            requires=(Req(("result_publication",), "《松原市行政执法公示办法》第十六条、第二十七条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T("inspect", "preparation", "on_site", "实施现场检查", guards=("two_valid_officers",)),
        T("conclude", "on_site", "result", "检查完毕", guards=("credentials_shown",)),
        T("publish", "result", "publication", "公示检查结果"),
        T(
            "refer",
            "result",
            "publication",
            "发现违法，转入立案查处并公示",
            guards=("problems_found",),
            requires=(Req(("referral_to_case",), "行政处罚法 第五十四条"),),
        ),
        T("archive", "publication", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "publication",
            "检查结果公示",
            None,
            Unit.WORKING,
            "concluded",
            "published",
            "《松原市行政执法公示办法》第二十七条",
            rule="disclosure.period.inspection",
        ),
        archive_limit(name="检查结束后立卷归档", from_event="published"),
    ),
)


DEFINITION = INSPECTION
