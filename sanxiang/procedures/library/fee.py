"""行政收费: the fee is assessed against its published basis and standard, the payment notice is served,
the fee is collected (with a receipt) and the file archived. Its result is disclosed as the agency
decides under 《松原市行政执法公示办法》第十六条第二款 (行政收费决定结果); the full-process record
covers it (《松原市行政执法全过程记录实施办法》第二条)."""

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
    "fee_assessment": (
        Field("item", "收费项目", "text", required=True),
        Field("basis", "收费依据及标准", "textarea", required=True),
        Field("amount", "应收金额（元）", "decimal", required=True),
        CONTENT,
    ),
    "fee_notice": (
        DOC_NO,
        Field("item", "收费项目", "text", required=True),
        Field("amount", "收费金额（元）", "decimal", required=True),
        CONTENT,
    ),
}

FEE = ProcedureDefinition(
    key="fee",
    name="行政收费",
    law="fee",
    source=f"{JL} 第二条; {GY} 第十六条第二款",
    description="依据公布的收费项目和标准核定应收金额，送达缴费通知，收缴并出具票据，立卷归档。",
    initial="assessment",
    events={
        "decided": "作出收费决定",
        "served": "送达缴费通知",
        "paid": "缴纳费用",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="费",
    record_fields={
        **common_fields(
            "service_direct",
            "service_mail",
            "service_left",
            "service_entrusted",
            "service_public_notice",
            "performance_record",
            "decision_change_record",
            "archive_record",
        ),
        **RECORD_FIELDS,
    },
    stages=(
        Stage(
            "assessment",
            "核定收费",
            description="核对收费项目、依据和标准，核定应收金额，制作缴费通知书。",
            records=(
                R("fee_assessment", "收费核定记录", f"{JL} 第三条"),
                R(
                    "fee_notice",
                    "缴费通知书",
                    f"{GY} 第十六条第二款",
                    event="decided",
                    discloses="other",
                    decision_kind="fee",
                ),
            ),
            requires=(
                Req(("fee_assessment",), f"{JL} 第三条"),
                Req(("fee_notice",), f"{GY} 第十六条第二款"),
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
            "收缴",
            records=(R("performance_record", "收费票据及缴纳情况记录", f"{JL} 第二十八条", event="paid"),),
            requires=(Req(("performance_record",), f"{JL} 第二十八条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T("serve", "assessment", "service", "送达缴费通知", guards=("two_valid_officers",)),
        T("collect", "service", "collection", "进入收缴"),
        T("archive", "collection", "archived", "收缴完毕，立卷归档", guards=("performed",)),
    ),
    time_limits=(archive_limit(name="收缴完毕后立卷归档", from_event="paid"),),
)

DEFINITION = FEE
