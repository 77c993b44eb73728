"""行政强制措施: its stages, records and their fields, record rules, periods, numbering and disclosure."""

from __future__ import annotations

from sanxiang.procedures.definitions import (
    Pause,
    ProcedureDefinition,
    Stage,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    MEASURE_KINDS,
    Field,
)
from sanxiang.procedures.library.common import (
    ARCHIVE,
    DECISION_CHANGE,
    JL,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    pause_period_stated,
)

# ---------------------------------------------------------------- record fields

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "seizure_decision": (
        Field("document_number", "文书编号", "text"),
        Field("measure_kinds", "强制措施种类", "choices", choices=MEASURE_KINDS, help="行政强制法 第九条"),
        CONTENT,
    ),
    "onsite_record": (
        Field("party_present", "当事人到场", "bool"),
        Field("witness", "见证人（当事人不到场时）", "text"),
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


# ---------------------------------------------------------------- record rules


# ---------------------------------------------------------------- the definition

COERCIVE_MEASURE = ProcedureDefinition(
    key="coercive_measure",
    name="行政强制措施",
    law="coercion",
    source="行政强制法 第三章",
    description="查封、扣押等行政强制措施：报批（紧急情况当场实施后{coercion.emergency_approval}内补办批准）、实施、处理决定、解除或结案、归档。",
    initial="proposal",
    events={
        "emergency_implemented": "紧急情况当场实施",
        "approved": "负责人批准",
        "implemented": "实施查封、扣押",
        "testing_started": "开始检测、检验、检疫或者技术鉴定",
        "testing_finished": "检测、检验、检疫或者技术鉴定结束",
        "handled": "作出处理决定或解除",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="强",
    record_fields={
        **common_fields("statement_defence", "decision_change_record", "archive_record"),
        **RECORD_FIELDS,
    },
    record_rules={"testing_notice": (pause_period_stated("行政强制法 第二十五条第三款"),)},
    approval_records=frozenset({"measure_approval", "emergency_approval"}),
    stages=(
        Stage(
            "proposal",
            "报批",
            records=(
                R(
                    "measure_approval",
                    "行政强制措施审批表",
                    "行政强制法 第十八条第一项; 《松原市行政执法全过程记录实施办法》第三十八条",
                    event="approved",
                ),
                R("emergency_report", "紧急情况当场实施报告", "行政强制法 第十九条"),
            ),
        ),
        Stage(
            "implementation",
            "实施",
            records=(
                R(
                    "onsite_record",
                    "现场笔录",
                    "行政强制法 第十八条第七项",
                    av_required=True,
                    av_source=f"{JL} 第十五条第二款",
                ),
                R(
                    "seizure_decision",
                    "查封、扣押决定书及清单",
                    "行政强制法 第二十四条",
                    av_required=True,
                    av_source=f"{JL} 第十五条第二款",
                    event="implemented",
                    discloses="other",
                ),
                R("rights_notice", "告知理由、依据和权利记录", "行政强制法 第十八条第五项"),
                R("statement_defence", "陈述申辩记录", "行政强制法 第十八条第六项"),
                R("refusal_record", "当事人拒绝签名的注明", "行政强制法 第十八条第八项"),
                R("emergency_approval", "紧急实施后补办的批准手续", "行政强制法 第十九条", event="approved"),
            ),
            requires=(
                Req(("onsite_record",), "行政强制法 第十八条第七项"),
                Req(("seizure_decision",), "行政强制法 第二十四条"),
                Req(("rights_notice",), "行政强制法 第十八条第五项"),
            ),
        ),
        Stage(
            "custody",
            "保管与处理",
            records=(
                R("extension_approval", "延长查封、扣押期限审批及告知书", "行政强制法 第二十五条"),
                R(
                    "testing_notice",
                    "检测、检验、检疫或者技术鉴定期间告知书",
                    "行政强制法 第二十五条第三款",
                    event="testing_started",
                ),
                R(
                    "testing_result",
                    "检测、检验、检疫或者技术鉴定结果",
                    "行政强制法 第二十五条第三款",
                    event="testing_finished",
                ),
                R(
                    "handling_decision",
                    "没收、销毁或解除查封扣押决定书",
                    "行政强制法 第二十七条、第二十八条",
                    event="handled",
                ),
            ),
            requires=(Req(("handling_decision",), "行政强制法 第二十七条"),),
        ),
        Stage(
            "released",
            "立即解除",
            records=(R("release_record", "解除行政强制措施记录", "行政强制法 第十九条", event="handled"),),
            requires=(Req(("release_record",), "行政强制法 第十九条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T(
            "implement",
            "proposal",
            "implementation",
            "经批准后实施",
            guards=("head_approved",),
            requires=(Req(("measure_approval",), "行政强制法 第十八条第一项"),),
        ),
        T(
            "implement_emergency",
            "proposal",
            "implementation",
            "紧急情况当场实施",
            guards=("emergency",),
            requires=(Req(("emergency_report",), "行政强制法 第十九条"),),
            event="emergency_implemented",
        ),
        T(
            "take_into_custody",
            "implementation",
            "custody",
            "查封扣押完成",
            guards=("two_valid_officers", "credentials_shown", "party_or_witness_present", "head_approved"),
        ),
        T(
            "release_unapproved",
            "implementation",
            "released",
            "负责人不批准，立即解除",
            guards=("emergency_not_approved",),
            skip_stage_requirements=True,
        ),
        T("archive", "custody", "archived", "立卷归档"),
        T("archive_released", "released", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "emergency_approval",
            "当场实施后报告并补办批准手续",
            None,
            Unit.HOURS,
            "emergency_implemented",
            "approved",
            "行政强制法 第十九条",
            rule="coercion.emergency_approval",
        ),
        TimeLimit(
            "custody",
            "查封、扣押期限",
            None,
            Unit.NATURAL,
            "implemented",
            "handled",
            "行政强制法 第二十五条第一款",
            extendable=True,
            extension_source="行政强制法 第二十五条第一款（经负责人批准可延长，不超过三十日）",
            rule="coercion.seizure.period",
            extension_rule="coercion.seizure.extension",
            pauses=(
                Pause(
                    "testing",
                    "检测、检验、检疫或者技术鉴定",
                    "testing_started",
                    "testing_finished",
                    "行政强制法 第二十五条第三款",
                ),
            ),
        ),
        archive_limit(name="结束后立卷归档", from_event="handled"),
    ),
)


DEFINITION = COERCIVE_MEASURE
