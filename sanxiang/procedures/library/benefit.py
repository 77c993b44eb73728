"""行政给付: on application, the agency accepts, examines eligibility, decides whether to grant and
how much, pays it out and archives the file. 昆明 names 行政给付 among the enforcement categories whose
powers, procedure and results are published; the result is disclosed like other decisions. What the
procedure shares with 行政确认 and 行政裁决 lives in ``common``.

No period: no general law fixes one for every 行政给付, and the demo's matter (农村客运班线运营补助, paid
under the subsidy rules of the finance and transport departments) has no period in a law or an
administrative regulation either, so the procedure runs none rather than invent one (the archive
period after payment still runs). A matter whose own law sets one — 《社会救助暂行办法》, 《工伤保险条例》
— would be its own procedure module with its own rule. Where no law sets a period at all, an
applicant may sue an agency that has not acted within two months of the application
(《中华人民共和国行政诉讼法》第四十七条第一款); the platform does not count calendar months, so it does not
track that fallback as a deadline."""

from __future__ import annotations

from sanxiang.procedures.definitions import DemoCase, Stage
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    APPLICATION_EVENTS,
    APPROVAL,
    APPROVAL_REQUIRED,
    JL,
    KUNMING_CATEGORIES,
    R,
    Req,
    T,
    accept_transition,
    application_stage,
    decision_procedure,
    decision_record,
)

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "benefit_review": (
        Field("eligible", "符合给付条件", "bool"),
        Field("reasons", "审核意见及理由", "textarea", required=True),
    ),
    "benefit_decision": (
        Field("granted", "准予给付", "bool"),
        Field("document_number", "文书编号", "text", required=True),
        Field("item", "给付项目", "text", required=True),
        Field("amount", "给付金额（元）", "decimal"),
        CONTENT,
    ),
}

DEMO = DemoCase(
    title="农村客运班线运营补助发放",
    category="transport",
    source="application",
    steps=(
        ("record", "application_register", {"content": "经营者申请农村客运班线运营补助"}),
        ("record", "acceptance_receipt", {"content": "予以受理"}),
        ("transition", "accept"),
        (
            "record",
            "benefit_review",
            {"eligible": True, "reasons": "线路、车辆及运营里程经核实，符合补助条件"},
        ),
        ("approval", "decision_approval"),
        (
            "record",
            "benefit_decision",
            {
                "granted": True,
                "document_number": "宁交给〔{year}〕1号",
                "item": "农村客运班线运营补助",
                "amount": "8000",
                "content": "准予给付",
            },
        ),
        ("transition", "pay"),
    ),
)

BENEFIT = decision_procedure(
    key="benefit",
    name="行政给付",
    law="benefit",
    source=f"{KUNMING_CATEGORIES}; {JL} 第三条",
    description="申请、受理、审核给付条件、作出准予或不予给付的决定、发放、归档。",
    number_prefix="给",
    events={**APPLICATION_EVENTS, "decided": "作出给付决定", "paid": "发放完毕"},
    record_fields=RECORD_FIELDS,
    shared_records=("performance_record",),
    approved="benefit_decision",
    stages=(
        application_stage("给付申请登记记录"),
        Stage(
            "review",
            "审核与决定",
            records=(
                R("benefit_review", "给付条件审核记录", f"{JL} 第三条"),
                APPROVAL,
                decision_record(
                    "benefit_decision", "准予或不予给付决定书", KUNMING_CATEGORIES, decision_kind="benefit"
                ),
            ),
            requires=(
                Req(("benefit_review",), f"{JL} 第三条"),
                APPROVAL_REQUIRED,
                Req(("benefit_decision",), KUNMING_CATEGORIES),
            ),
        ),
        Stage(
            "payment",
            "发放",
            records=(R("performance_record", "给付发放记录", f"{JL} 第二十八条", event="paid"),),
            requires=(Req(("performance_record",), f"{JL} 第二十八条"),),
        ),
    ),
    transitions=(
        accept_transition("review"),
        T("pay", "review", "payment", "作出决定，进入发放"),
        T("archive", "payment", "archived", "发放完毕，立卷归档", guards=("performed",)),
    ),
    archive_after=("paid", "发放完毕后立卷归档"),
    demo=(DEMO,),
)

DEFINITION = BENEFIT
