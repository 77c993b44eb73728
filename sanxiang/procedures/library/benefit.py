"""行政给付: on application, the agency accepts, examines eligibility, decides whether to grant and
how much, pays it out and archives the file. 昆明 names 行政给付 among the enforcement categories whose
powers, procedure and results are published; the result is disclosed like other decisions."""

from __future__ import annotations

from sanxiang.procedures.definitions import ProcedureDefinition, Stage
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    ARCHIVE,
    DECISION_CHANGE,
    JL,
    KUNMING_CATEGORIES,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
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

BENEFIT = ProcedureDefinition(
    key="benefit",
    name="行政给付",
    law="benefit",
    source=f"{KUNMING_CATEGORIES}; {JL} 第三条",
    description="申请、受理、审核给付条件、作出准予或不予给付的决定、发放、归档。",
    initial="application",
    events={
        "applied": "收到申请",
        "accepted": "受理",
        "decided": "作出给付决定",
        "paid": "发放完毕",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="给",
    record_fields={
        **common_fields("performance_record", "decision_change_record", "archive_record"),
        **RECORD_FIELDS,
    },
    approval_records=frozenset({"decision_approval"}),
    prerequisites={"benefit_decision": (("decision_approval",), f"{JL} 第三十八条")},
    stages=(
        Stage(
            "application",
            "申请与受理",
            records=(
                R("application_register", "给付申请登记记录", f"{JL} 第七条", event="applied"),
                R("acceptance_receipt", "受理通知书", f"{JL} 第七条", event="accepted"),
            ),
            requires=(Req(("application_register",), f"{JL} 第七条"),),
        ),
        Stage(
            "review",
            "审核与决定",
            records=(
                R("benefit_review", "给付条件审核记录", f"{JL} 第三条"),
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "benefit_decision",
                    "准予或不予给付决定书",
                    KUNMING_CATEGORIES,
                    event="decided",
                    discloses="other",
                    decision_kind="benefit",
                ),
            ),
            requires=(
                Req(("benefit_review",), f"{JL} 第三条"),
                Req(("decision_approval",), f"{JL} 第三十八条"),
                Req(("benefit_decision",), KUNMING_CATEGORIES),
            ),
        ),
        Stage(
            "payment",
            "发放",
            records=(R("performance_record", "给付发放记录", f"{JL} 第二十八条", event="paid"),),
            requires=(Req(("performance_record",), f"{JL} 第二十八条"),),
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
        T("pay", "review", "payment", "作出决定，进入发放"),
        T("archive", "payment", "archived", "发放完毕，立卷归档", guards=("performed",)),
    ),
    time_limits=(archive_limit(name="发放完毕后立卷归档", from_event="paid"),),
)

DEFINITION = BENEFIT
