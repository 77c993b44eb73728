"""行政征收: the amount owed is investigated and assessed, the head approves, the 征收决定书 is served,
the sum is collected — after a 催告 and, if still unpaid, by court enforcement (行政强制法 第三十五、
五十四条) — and the file archived. Its result is disclosed as the agency decides under
《松原市行政执法公示办法》第十六条第二款; the full-process record covers it (记录办法 第二条). What it
shares with 行政收费 lives in ``common``."""

from __future__ import annotations

from sanxiang.procedures.definitions import DemoCase, Stage
from sanxiang.procedures.fields import Field
from sanxiang.procedures.library.common import (
    APPROVAL,
    APPROVAL_REQUIRED,
    COLLECTION_EVENTS,
    GY,
    JL,
    KUNMING_CATEGORIES,
    SERVICE_FIELDS,
    R,
    Req,
    T,
    collection_stage,
    court_after_reminder,
    court_wait_limit,
    decision_procedure,
    decision_record,
    money_assessment_fields,
    money_decision_fields,
    service_stage,
)

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "levy_investigation": money_assessment_fields(
        item="征收项目", basis="征收依据", amount="核定征收金额（元）"
    ),
    "levy_decision": money_decision_fields(item="征收项目", amount="征收金额（元）", basis="征收依据"),
}

# 《城镇排水与污水处理条例》第三十二条: 排水单位和个人应当按照国家有关规定缴纳污水处理费
DEMO_BASIS = "《城镇排水与污水处理条例》第三十二条"
DEMO = DemoCase(
    title="征收城镇污水处理费",
    category="urban",
    source="inspection",
    steps=(
        (
            "record",
            "levy_investigation",
            {"item": "污水处理费", "basis": DEMO_BASIS, "amount": "1200", "content": "按用水量核定"},
        ),
        ("transition", "decide"),
        ("approval", "decision_approval"),
        (
            "record",
            "levy_decision",
            {
                "document_number": "宁城管征〔{year}〕1号",
                "item": "污水处理费",
                "amount": "1200",
                "basis": DEMO_BASIS,
                "content": "征收污水处理费1200元",
            },
        ),
        ("transition", "serve"),
        (
            "record",
            "service_direct",
            {"recipient": "当事人", "document": "征收决定书", "content": "直接送达"},
        ),
        ("transition", "collect"),
        ("record", "enforcement_reminder", {"content": "逾期未缴纳，书面催告"}),
    ),
)

LEVY = decision_procedure(
    key="levy",
    name="行政征收",
    law="levy",
    source=f"{JL} 第二条; {GY} 第十六条第二款; {KUNMING_CATEGORIES}; 行政强制法 第三十五条、第五十四条",
    description="调查核定征收项目和金额，经负责人批准作出征收决定并送达，当事人缴纳；逾期不缴纳的催告，"
    "催告书送达{coercion.court.reminder_wait}后仍不履行的申请人民法院强制执行；立卷归档。",
    number_prefix="征",
    events={"decided": "作出征收决定", "served": "送达征收决定书", **COLLECTION_EVENTS},
    record_fields=RECORD_FIELDS,
    shared_records=(*SERVICE_FIELDS, "performance_record", "court_application"),
    record_rules={"court_application": (court_after_reminder,)},
    approved="levy_decision",
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
                APPROVAL,
                decision_record("levy_decision", "征收决定书", f"{GY} 第十六条第二款", decision_kind="levy"),
            ),
            requires=(APPROVAL_REQUIRED, Req(("levy_decision",), f"{GY} 第十六条第二款")),
        ),
        service_stage(),
        collection_stage("缴纳与执行", "缴纳情况记录"),
    ),
    transitions=(
        T("decide", "investigation", "decision", "提请作出征收决定", guards=("two_valid_officers",)),
        T("serve", "decision", "service", "送达征收决定书"),
        T("collect", "service", "collection", "进入缴纳"),
        T("archive", "collection", "archived", "缴纳或执行完毕，立卷归档", guards=("performed",)),
    ),
    archive_after=("paid", "征收完毕后立卷归档"),
    time_limits=(court_wait_limit(),),
    demo=(DEMO,),
)

DEFINITION = LEVY
