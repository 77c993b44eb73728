"""行政收费: the fee is assessed against its published basis and standard, the payment notice is served,
the fee is collected (with a receipt) — or, unpaid after a written 催告, enforced by the court (行政强制法
第三十五条、第五十四条) — and the file archived. Its result is disclosed as the agency decides under
《松原市行政执法公示办法》第十六条第二款 (行政收费决定结果); the full-process record covers it
(《松原市行政执法全过程记录实施办法》第二条). What it shares with 行政征收 lives in ``common``."""

from __future__ import annotations

from sanxiang.procedures.definitions import DemoCase, Stage
from sanxiang.procedures.fields import Field
from sanxiang.procedures.library.common import (
    COLLECTION_EVENTS,
    GY,
    JL,
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
    "fee_assessment": money_assessment_fields(
        item="收费项目", basis="收费依据及标准", amount="应收金额（元）"
    ),
    "fee_notice": money_decision_fields(item="收费项目", amount="收费金额（元）"),
}

# 《中华人民共和国道路运输条例》第八十条: 交通运输主管部门发放经营许可证件和车辆营运证，可以收取工本费
DEMO_BASIS = "《中华人民共和国道路运输条例》第八十条；吉林省财政厅、价格主管部门核定的工本费收费标准"
DEMO = DemoCase(
    title="车辆营运证工本费",
    category="transport",
    source="application",
    steps=(
        (
            "record",
            "fee_assessment",
            {"item": "车辆营运证工本费", "basis": DEMO_BASIS, "amount": "10", "content": "核定"},
        ),
        (
            "record",
            "fee_notice",
            {
                "document_number": "宁交费〔{year}〕1号",
                "item": "车辆营运证工本费",
                "amount": "10",
                "content": "缴纳车辆营运证工本费10元",
            },
        ),
        ("transition", "serve"),
        (
            "record",
            "service_direct",
            {"recipient": "当事人", "document": "缴费通知书", "content": "直接送达"},
        ),
        ("transition", "collect"),
        (
            "record",
            "performance_record",
            {"amount_paid": "10", "performed": True, "content": "非税收入票据已开具"},
        ),
        ("transition", "archive"),
        ("record", "archive_record", {"volumes": "1", "location": "局档案室"}),
    ),
)

FEE = decision_procedure(
    key="fee",
    name="行政收费",
    law="fee",
    source=f"{JL} 第二条; {GY} 第十六条第二款; 行政强制法 第三十五条、第五十四条",
    description="依据公布的收费项目和标准核定应收金额，送达缴费通知，收缴并出具票据；逾期不缴纳的催告，"
    "催告书送达{coercion.court.reminder_wait}后仍不缴纳的申请人民法院强制执行；立卷归档。",
    number_prefix="费",
    events={"decided": "作出收费决定", "served": "送达缴费通知", **COLLECTION_EVENTS},
    record_fields=RECORD_FIELDS,
    shared_records=(*SERVICE_FIELDS, "performance_record", "court_application"),
    record_rules={"court_application": (court_after_reminder,)},
    stages=(
        Stage(
            "assessment",
            "核定收费",
            description="核对收费项目、依据和标准，核定应收金额，制作缴费通知书。",
            records=(
                R("fee_assessment", "收费核定记录", f"{JL} 第三条"),
                decision_record("fee_notice", "缴费通知书", f"{GY} 第十六条第二款", decision_kind="fee"),
            ),
            requires=(
                Req(("fee_assessment",), f"{JL} 第三条"),
                Req(("fee_notice",), f"{GY} 第十六条第二款"),
            ),
        ),
        service_stage(),
        collection_stage("收缴与执行", "收费票据及缴纳情况记录"),
    ),
    transitions=(
        T("serve", "assessment", "service", "送达缴费通知", guards=("two_valid_officers",)),
        T("collect", "service", "collection", "进入收缴"),
        T("archive", "collection", "archived", "收缴或执行完毕，立卷归档", guards=("performed",)),
    ),
    archive_after=("paid", "收缴完毕后立卷归档"),
    time_limits=(court_wait_limit(),),
    demo=(DEMO,),
)

DEFINITION = FEE
