"""行政征收: the amount owed is investigated and assessed, the head approves, the 征收决定书 is served,
the sum is collected — after a 催告 and, if still unpaid, by court enforcement (行政强制法 第三十五、
五十四条) — and the file archived. Its result is disclosed as the agency decides under
《松原市行政执法公示办法》第十六条第二款; the full-process record covers it (记录办法 第二条)."""

from __future__ import annotations

from sanxiang.procedures.definitions import ProcedureDefinition, Stage
from sanxiang.procedures.fields import CONTENT, DOC_NO, Field
from sanxiang.procedures.library.common import (
    ARCHIVE,
    DECISION_CHANGE,
    JL,
    SERVICE_KEYS,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    service_records,
)

GY = "《松原市行政执法公示办法》"

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "levy_investigation": (
        Field("item", "征收项目", "text", required=True),
        Field("basis", "征收依据", "textarea", required=True),
        Field("amount", "核定征收金额（元）", "decimal", required=True),
        CONTENT,
    ),
    "levy_decision": (
        DOC_NO,
        Field("item", "征收项目", "text", required=True),
        Field("amount", "征收金额（元）", "decimal", required=True),
        Field("basis", "征收依据", "textarea", required=True),
        CONTENT,
    ),
}

LEVY = ProcedureDefinition(
    key="levy",
    name="行政征收",
    law="levy",
    source=f"{JL} 第二条; {GY} 第十六条第二款; 行政强制法 第三十五条、第五十四条",
    description="调查核定征收项目和金额，经负责人批准作出征收决定并送达，当事人缴纳；逾期不缴纳的催告，仍不履行的申请人民法院强制执行；立卷归档。",
    initial="investigation",
    events={
        "decided": "作出征收决定",
        "served": "送达征收决定书",
        "paid": "缴纳或执行完毕",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="征",
    record_fields={
        **common_fields(
            "service_direct",
            "service_mail",
            "service_left",
            "service_entrusted",
            "service_public_notice",
            "performance_record",
            "court_application",
            "decision_change_record",
            "archive_record",
        ),
        **RECORD_FIELDS,
    },
    approval_records=frozenset({"decision_approval"}),
    prerequisites={"levy_decision": (("decision_approval",), f"{JL} 第二十条、第三十八条")},
    stages=(
        Stage(
            "investigation",
            "调查核定",
            records=(R("levy_investigation", "征收调查核定记录", f"{JL} 第三条"),),
            requires=(Req(("levy_investigation",), f"{JL} 第三条"),),
        ),
        Stage(
            "decision",
            "决定",
            records=(
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "levy_decision",
                    "征收决定书",
                    f"{GY} 第十六条第二款",
                    event="decided",
                    discloses="other",
                    decision_kind="levy",
                ),
            ),
            requires=(
                Req(("decision_approval",), f"{JL} 第三十八条"),
                Req(("levy_decision",), f"{GY} 第十六条第二款"),
            ),
        ),
        Stage(
            "service",
            "送达",
            records=service_records(),
            requires=(Req(SERVICE_KEYS, f"{JL} 第二十三条", label="送达回证或送达记录"),),
        ),
        Stage(
            "collection",
            "缴纳与执行",
            records=(
                R("performance_record", "缴纳情况记录", f"{JL} 第二十八条", event="paid"),
                R("enforcement_reminder", "催告书", "行政强制法 第三十五条"),
                R("court_application", "申请人民法院强制执行文书", "行政强制法 第五十四条", event="paid"),
            ),
            requires=(
                Req(("performance_record", "court_application"), f"{JL} 第二十八条", label="缴纳或执行记录"),
            ),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T("decide", "investigation", "decision", "提请作出征收决定", guards=("two_valid_officers",)),
        T("serve", "decision", "service", "送达征收决定书"),
        T("collect", "service", "collection", "进入缴纳"),
        T("archive", "collection", "archived", "缴纳或执行完毕，立卷归档", guards=("performed",)),
    ),
    time_limits=(archive_limit(name="征收完毕后立卷归档", from_event="paid"),),
)

DEFINITION = LEVY
