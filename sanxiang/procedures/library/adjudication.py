"""行政裁决: a civil dispute the law lets the agency settle — application, acceptance, a copy to the
other party for its reply (答辩), hearing both sides (调查、质证，可以调解), the 裁决书, service and
archive. 昆明 and 陵川 name 行政裁决 among the enforcement categories whose procedure is published and
recorded; its result is disclosed like other decisions."""

from __future__ import annotations

from sanxiang.procedures.definitions import ProcedureDefinition, Stage
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    ARCHIVE,
    DECISION_CHANGE,
    JL,
    KUNMING_CATEGORIES,
    LINGCHUAN_RECORDING,
    SERVICE_KEYS,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    service_records,
)

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "adjudication_decision": (
        Field("document_number", "裁决书文号", "text", required=True),
        Field("facts", "争议事实", "textarea", required=True),
        Field("basis", "裁决依据", "textarea", required=True),
        Field("result", "裁决结果", "textarea", required=True),
        CONTENT,
    ),
}

ADJUDICATION = ProcedureDefinition(
    key="adjudication",
    name="行政裁决",
    law="adjudication",
    source=f"{KUNMING_CATEGORIES}; {LINGCHUAN_RECORDING}; {JL} 第三条",
    description="申请、受理、通知被申请人答辩、调查质证（可以调解）、作出裁决、送达、归档。",
    initial="application",
    events={
        "applied": "收到裁决申请",
        "accepted": "受理",
        "decided": "作出裁决",
        "served": "送达裁决书",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="裁",
    record_fields={
        **common_fields(
            "service_direct",
            "service_mail",
            "service_left",
            "service_entrusted",
            "service_public_notice",
            "decision_change_record",
            "archive_record",
        ),
        **RECORD_FIELDS,
    },
    approval_records=frozenset({"decision_approval"}),
    prerequisites={"adjudication_decision": (("decision_approval",), f"{JL} 第三十八条")},
    stages=(
        Stage(
            "application",
            "申请与受理",
            records=(
                R("application_register", "裁决申请登记记录", f"{JL} 第七条", event="applied"),
                R("acceptance_receipt", "受理通知书", f"{JL} 第七条", event="accepted"),
            ),
            requires=(Req(("application_register",), f"{JL} 第七条"),),
        ),
        Stage(
            "hearing_both",
            "答辩与调查",
            records=(
                R("reply_notice", "答辩通知书", f"{JL} 第十二条"),
                R("reply_statement", "被申请人答辩书", f"{JL} 第十二条"),
                R("inquiry_record", "调查、质证笔录", f"{JL} 第十二条第一项"),
                R("mediation_record", "调解记录", f"{JL} 第三条"),
            ),
            requires=(
                Req(("reply_notice",), f"{JL} 第十二条"),
                Req(("inquiry_record",), f"{JL} 第十二条第一项"),
            ),
        ),
        Stage(
            "decision",
            "裁决",
            records=(
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "adjudication_decision",
                    "行政裁决书",
                    KUNMING_CATEGORIES,
                    event="decided",
                    discloses="other",
                    decision_kind="adjudication",
                ),
            ),
            requires=(
                Req(("decision_approval",), f"{JL} 第三十八条"),
                Req(("adjudication_decision",), KUNMING_CATEGORIES),
            ),
        ),
        Stage(
            "service",
            "送达",
            records=service_records(),
            requires=(Req(SERVICE_KEYS, f"{JL} 第二十三条", label="送达回证或送达记录"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T(
            "accept",
            "application",
            "hearing_both",
            "受理",
            requires=(Req(("acceptance_receipt",), f"{JL} 第七条"),),
        ),
        T("decide", "hearing_both", "decision", "调查终结，提请裁决", guards=("two_valid_officers",)),
        T("serve", "decision", "service", "送达裁决书"),
        T("archive", "service", "archived", "立卷归档"),
    ),
    time_limits=(archive_limit(name="送达后立卷归档", from_event="served"),),
)

DEFINITION = ADJUDICATION
