"""行政确认: on application, the agency accepts the complete materials, examines (and, where needed,
verifies on site), decides whether to confirm, serves the decision and archives the file. 昆明 and
陵川 name 行政确认 among the enforcement categories whose procedure is published and recorded
(《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）1;
《陵川县交通运输局关于推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案》
二、（二）1); its result is disclosed like other decisions (the profile's ``disclosure.period.other``).
The matter's own law (its 行政执法事项清单 entry) gives the ground and the period: no general law
fixes one for every 行政确认. The demo's matter is 市场主体登记 (《中华人民共和国市场主体登记管理条例》
第十九条: 申请材料齐全、符合法定形式的予以确认并当场登记; 不能当场登记的, the registry's
``confirmation.decision.period`` working days, extendable once by ``confirmation.decision.extension``
with the head's approval); an agency whose matters follow another law (工伤认定: 《工伤保险条例》第二十条,
sixty days) overrides the rule for its region, citing that law. What the procedure shares with
行政裁决 and 行政给付 lives in ``common``."""

from __future__ import annotations

from sanxiang.procedures.definitions import DemoCase, Stage, TimeLimit, Unit
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    APPLICATION_EVENTS,
    APPROVAL,
    APPROVAL_REQUIRED,
    AV_ONSITE,
    JL,
    KUNMING_CATEGORIES,
    LINGCHUAN_RECORDING,
    SERVICE_FIELDS,
    R,
    Req,
    T,
    accept_transition,
    application_stage,
    decision_procedure,
    decision_record,
    service_stage,
)

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "confirmation_decision": (
        Field("confirmed", "予以确认", "bool"),
        Field("document_number", "文书编号", "text", required=True),
        Field("reason", "确认或不予确认的理由", "textarea", required=True),
        CONTENT,
    ),
}

# 《中华人民共和国市场主体登记管理条例》第十九条: 对申请材料齐全、符合法定形式的予以确认并当场登记
REGISTRATION = "《中华人民共和国市场主体登记管理条例》第十九条第一款"
DEMO = DemoCase(
    title="个体工商户设立登记",
    category="market",
    source="application",
    party="person",
    steps=(
        ("record", "application_register", {"content": "申请人提交登记申请书、身份证明及经营场所证明"}),
        ("record", "acceptance_receipt", {"content": "材料齐全、符合法定形式，予以受理"}),
        ("transition", "accept"),
        ("approval", "decision_approval"),
        (
            "record",
            "confirmation_decision",
            {
                "confirmed": True,
                "document_number": "宁市监登〔{year}〕1号",
                "reason": f"经形式审查，申请材料齐全、符合法定形式（{REGISTRATION}）",
                "content": "予以登记，签发营业执照",
            },
        ),
        ("transition", "serve"),
        (
            "record",
            "service_direct",
            {"recipient": "申请人", "document": "营业执照", "content": "直接送达"},
        ),
        ("transition", "archive"),
        ("record", "archive_record", {"volumes": "1", "location": "局档案室"}),
    ),
)

CONFIRMATION = decision_procedure(
    key="confirmation",
    name="行政确认",
    law="confirmation",
    source=f"{KUNMING_CATEGORIES}; {LINGCHUAN_RECORDING}; {JL} 第三条",
    description="申请、受理、审查（必要时实地核查）、作出确认或不予确认的决定、送达、归档。",
    number_prefix="确",
    events={**APPLICATION_EVENTS, "decided": "作出确认决定", "served": "送达决定"},
    record_fields=RECORD_FIELDS,
    shared_records=SERVICE_FIELDS,
    approved="confirmation_decision",
    stages=(
        application_stage("申请登记记录"),
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
                APPROVAL,
                decision_record(
                    "confirmation_decision",
                    "确认或不予确认决定书",
                    KUNMING_CATEGORIES,
                    decision_kind="confirmation",
                ),
            ),
            requires=(APPROVAL_REQUIRED, Req(("confirmation_decision",), KUNMING_CATEGORIES)),
        ),
        service_stage(),
    ),
    transitions=(
        accept_transition("review"),
        T("serve", "review", "service", "作出决定并送达"),
        T("archive", "service", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "decision",
            "自受理起作出确认决定",
            None,
            Unit.WORKING,
            "accepted",
            "decided",
            REGISTRATION,
            extendable=True,
            extension_source=f"{REGISTRATION}（情形复杂的，经登记机关负责人批准，可以再延长）",
            rule="confirmation.decision.period",
            extension_rule="confirmation.decision.extension",
        ),
    ),
    demo=(DEMO,),
)

DEFINITION = CONFIRMATION
