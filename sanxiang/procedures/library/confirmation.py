"""行政确认: on application, the agency accepts the complete materials, examines (and, where needed,
verifies on site), decides whether to confirm, serves the decision and archives the file. 昆明 and
陵川 name 行政确认 among the enforcement categories whose procedure is published and recorded
(《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）1;
《陵川县交通运输局关于推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案》
二、（二）1); its result is disclosed like other decisions (other: 20 working days nationally)."""

from __future__ import annotations

from sanxiang.procedures.definitions import ProcedureDefinition, Stage
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    ARCHIVE,
    AV_ONSITE,
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
    "confirmation_decision": (
        Field("confirmed", "予以确认", "bool"),
        Field("document_number", "文书编号", "text", required=True),
        Field("reason", "确认或不予确认的理由", "textarea", required=True),
        CONTENT,
    ),
}

CONFIRMATION = ProcedureDefinition(
    key="confirmation",
    name="行政确认",
    law="confirmation",
    source=f"{KUNMING_CATEGORIES}; {LINGCHUAN_RECORDING}; {JL} 第三条",
    description="申请、受理、审查（必要时实地核查）、作出确认或不予确认的决定、送达、归档。",
    initial="application",
    events={
        "applied": "收到申请",
        "accepted": "受理",
        "decided": "作出确认决定",
        "served": "送达决定",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="确",
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
    prerequisites={"confirmation_decision": (("decision_approval",), f"{JL} 第三十八条")},
    stages=(
        Stage(
            "application",
            "申请与受理",
            records=(
                R("application_register", "申请登记记录", f"{JL} 第七条", event="applied"),
                R("acceptance_receipt", "受理通知书", f"{JL} 第七条", event="accepted"),
            ),
            requires=(Req(("application_register",), f"{JL} 第七条"),),
        ),
        Stage(
            "review",
            "审查",
            records=(
                R(
                    "onsite_verification",
                    "实地核查笔录",
                    f"{JL} 第十二条第三项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "confirmation_decision",
                    "确认或不予确认决定书",
                    KUNMING_CATEGORIES,
                    event="decided",
                    discloses="other",
                    decision_kind="confirmation",
                ),
            ),
            requires=(
                Req(("decision_approval",), f"{JL} 第三十八条"),
                Req(("confirmation_decision",), KUNMING_CATEGORIES),
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
            "review",
            "受理",
            requires=(Req(("acceptance_receipt",), f"{JL} 第七条"),),
        ),
        T("serve", "review", "service", "作出决定并送达"),
        T("archive", "service", "archived", "立卷归档"),
    ),
    time_limits=(archive_limit(name="送达后立卷归档", from_event="served"),),
)

DEFINITION = CONFIRMATION
