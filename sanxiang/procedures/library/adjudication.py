"""行政裁决: a civil dispute the law lets the agency settle — application, acceptance, a copy to the
other party for its reply (答辩), hearing both sides (调查、质证，可以调解), the 裁决书, service and
archive. 昆明 and 陵川 name 行政裁决 among the enforcement categories whose procedure is published and
recorded; its result is disclosed like other decisions. The matter's own law gives the ground and the
periods; no general law fixes a period for every 行政裁决. The demo's matter is a 专利侵权纠纷
(《中华人民共和国专利法》第六十五条, numbered so since the 2020 amendment): the law fixes no period for the
department's handling, but a party who disagrees may sue within the registry's ``adjudication.court.wait``
days of receiving the decision, and only when that time has passed without a suit or compliance may
the department apply to the court for enforcement. What the procedure shares with 行政确认 and 行政给付
lives in ``common``."""

from __future__ import annotations

from django.utils import timezone

from sanxiang.errors import FieldError
from sanxiang.procedures.definitions import DemoCase, LimitKind, Stage, TimeLimit, Unit
from sanxiang.procedures.fields import CONTENT, Field
from sanxiang.procedures.library.common import (
    APPLICATION_EVENTS,
    APPROVAL,
    APPROVAL_REQUIRED,
    JL,
    KUNMING_CATEGORIES,
    LINGCHUAN_RECORDING,
    SERVICE_FIELDS,
    R,
    Req,
    T,
    accept_transition,
    application_stage,
    common_fields,
    decision_procedure,
    decision_record,
    service_stage,
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

PATENT = "《中华人民共和国专利法》第六十五条"
COURT = R("court_application", "申请人民法院强制执行文书", PATENT, event="court_applied")


def court_after_window(view, clean, made_at) -> list[FieldError]:
    """The department applies to the court only once the decision has been served and the party's
    time to sue has run (专利法 第六十五条: 侵权人期满不起诉又不停止侵权行为的)."""
    from sanxiang.rules.selectors import rule_for
    from sanxiang.workdays.services import add_natural_days

    served_at = view.events.get("served")
    if served_at is None:
        return [
            FieldError(
                "kind",
                "service_first",
                f"申请强制执行: 处理决定送达当事人后，当事人期满不起诉又不履行的，才可以申请人民法院强制执行（{PATENT}）",
            )
        ]
    region = view.case.agency.region_code
    served = timezone.localdate(served_at)
    wait = rule_for("adjudication.court.wait", region=region, on=served)
    earliest = add_natural_days(served, wait.days, region=region).due
    if timezone.localdate(made_at) < earliest:
        return [
            FieldError(
                "kind",
                "court_wait",
                f"申请强制执行: 当事人可以自收到处理通知之日起{wait.display_value}内起诉，期满后才可以申请人民法院"
                f"强制执行，最早可于 {earliest.isoformat()} 申请（{wait.citation}）",
            )
        ]
    return []


# 《中华人民共和国专利法》第六十五条: 专利侵权纠纷，专利权人或者利害关系人可以请求管理专利工作的部门处理
DEMO_BASIS = PATENT
DEMO = DemoCase(
    title="实用新型专利侵权纠纷处理",
    category="market",
    source="application",
    steps=(
        ("record", "application_register", {"content": "专利权人请求处理专利侵权纠纷"}),
        ("record", "acceptance_receipt", {"content": "符合受理条件，予以受理"}),
        ("transition", "accept"),
        ("record", "reply_notice", {"content": "向被请求人送达请求书副本，限期答辩"}),
        ("record", "reply_statement", {"content": "被请求人提交答辩书"}),
        ("record", "inquiry_record", {"content": "双方到场，口头审理、质证"}, "officers", "video"),
        ("transition", "decide"),
        ("approval", "decision_approval"),
        (
            "record",
            "adjudication_decision",
            {
                "document_number": "宁市监专裁〔{year}〕1号",
                "facts": "被请求人制造、销售的产品落入涉案实用新型专利权的保护范围",
                "basis": DEMO_BASIS,
                "result": "认定侵权行为成立，责令被请求人立即停止侵权行为",
                "content": "专利侵权纠纷处理决定书",
            },
        ),
    ),
)

ADJUDICATION = decision_procedure(
    key="adjudication",
    name="行政裁决",
    law="adjudication",
    source=f"{KUNMING_CATEGORIES}; {LINGCHUAN_RECORDING}; {JL} 第三条",
    description="申请、受理、通知被申请人答辩、调查质证（可以调解）、作出裁决、送达、归档。",
    number_prefix="裁",
    events={
        **APPLICATION_EVENTS,
        "decided": "作出裁决",
        "served": "送达裁决书",
        "court_applied": "申请人民法院强制执行",
    },
    record_fields={**RECORD_FIELDS, **common_fields("court_application")},
    shared_records=SERVICE_FIELDS,
    approved="adjudication_decision",
    after_decision=(COURT,),
    record_rules={"court_application": (court_after_window,)},
    stages=(
        application_stage("裁决申请登记记录"),
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
                APPROVAL,
                decision_record(
                    "adjudication_decision", "行政裁决书", KUNMING_CATEGORIES, decision_kind="adjudication"
                ),
            ),
            requires=(APPROVAL_REQUIRED, Req(("adjudication_decision",), KUNMING_CATEGORIES)),
        ),
        service_stage(),
    ),
    transitions=(
        accept_transition("hearing_both"),
        T("decide", "hearing_both", "decision", "调查终结，提请裁决", guards=("two_valid_officers",)),
        T("serve", "decision", "service", "送达裁决书"),
        T("archive", "service", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "court_application",
            "当事人起诉期满后申请人民法院强制执行",
            None,
            Unit.NATURAL,
            "served",
            "court_applied",
            PATENT,
            kind=LimitKind.MINIMUM_NOTICE,
            rule="adjudication.court.wait",
        ),
    ),
    demo=(DEMO,),
)

DEFINITION = ADJUDICATION
