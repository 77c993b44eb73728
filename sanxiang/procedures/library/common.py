"""What several procedures share: records (归档, 结案, 送达, 决定变更), their fields, the archive and
payment limits and the record rule for stated pauses. Each procedure module imports what it uses.

Abbreviations in sources: 行政处罚法 (2021), 行政许可法, 行政强制法; "《松原市行政执法全过程记录实施办法》" is
松原市行政执法全过程记录实施办法, "《松原市行政执法公示办法》" 松原市行政执法公示办法.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from sanxiang.errors import FieldError
from sanxiang.procedures.definitions import (
    DemoCase,
    LimitKind,
    ProcedureDefinition,
    RecordSpec,
    Requirement,
    Stage,
    TimeLimit,
    Transition,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    DECISION_CHANGE_BY,
    DECISION_CHANGE_GROUNDS,
    DOC_NO,
    PENALTY,
    SERVICE,
    Field,
)

R = RecordSpec
Req = Requirement
T = Transition

JL = "《松原市行政执法全过程记录实施办法》"  # 全过程记录实施办法
GY = "《松原市行政执法公示办法》"  # 公示办法
AV_ONSITE = f"{JL} 第十三条"

# Records shared by several procedures.
ARCHIVE = R("archive_record", "案卷归档记录", f"{JL} 第三十二条", event="archived")


def archive_limit(*, name: str, from_event: str) -> TimeLimit:
    """Every procedure files its record within the registry's period of its end (《松原市行政执法全过程记录实施办法》
    第三十二条: 30 days)."""
    return TimeLimit(
        "archive", name, None, Unit.NATURAL, from_event, "archived", f"{JL} 第三十二条", rule="record.archive"
    )


def payment_limit(*, from_event: str) -> TimeLimit:
    """The party pays a fine within 15 days of receiving the decision (行政处罚法 第六十六条); only a
    decision that imposes a fine starts it."""
    return TimeLimit(
        "payment",
        "当事人缴纳罚款",
        None,
        Unit.NATURAL,
        from_event,
        "paid",
        "行政处罚法 第六十六条",
        kind=LimitKind.PARTY_WINDOW,
        rule="penalty.payment",
        when="fine_to_pay",
    )


CLOSING = R("closing_report", "结案报告", "行政处罚法 第四十七条", event="closed")
# After the decision: it was changed, revoked or found unlawful (行政复议、行政诉讼 or 自行纠正) — the
# disclosed decision is withdrawn within 3 working days with a public reason (行政处罚法 第四十八条;
# 《松原市行政执法公示办法》第二十八条).
DECISION_CHANGE = R(
    "decision_change_record",
    "决定变更、撤销或确认违法记录",
    "行政处罚法 第四十八条; 行政复议法 第六十三、六十四、六十五条; 行政诉讼法 第七十、七十四、七十五条",
    changes_decision=True,
)


def service_records() -> tuple[RecordSpec, ...]:
    """送达: every legal method (《松原市行政执法全过程记录实施办法》第二十三至二十七条)."""
    return (
        R("service_direct", "直接送达回证", f"{JL} 第二十三条", event="served"),
        R("service_mail", "邮寄送达凭证及回执", f"{JL} 第二十四条", event="served"),
        R(
            "service_left",
            "留置送达回证",
            f"{JL} 第二十五条",
            av_required=True,
            av_source=f"{JL} 第二十五条",
            event="served",
        ),
        R("service_entrusted", "委托、转交送达回证", f"{JL} 第二十六条", event="served"),
        R(
            "service_public_notice",
            "公告送达记录",
            f"{JL} 第二十七条",
            av_required=True,
            av_source=f"{JL} 第二十七条",
            event="served",
        ),
    )


SERVICE_KEYS = (
    "service_direct",
    "service_mail",
    "service_left",
    "service_entrusted",
    "service_public_notice",
)


# ---------------------------------------------------------------- fields of the shared records

COMMON_FIELDS: dict[str, tuple[Field, ...]] = {
    "court_application": (
        Field("court", "受理法院", "text", required=True),
        Field("completed", "执行完毕或终结", "bool"),
        CONTENT,
    ),
    "statement_defence": (
        Field("waived", "当事人明确放弃陈述申辩", "bool"),
        CONTENT,
    ),
    "defence_review": (
        Field("adopted", "采纳陈述申辩意见", "bool"),
        Field("reasons", "复核意见及理由", "textarea", required=True),
        *PENALTY,
    ),
    "hearing_notice": (
        DOC_NO,
        Field("hearing_at", "举行听证时间", "datetime", required=True),
        Field("place", "听证地点", "text", required=True),
    ),
    "service_direct": SERVICE,
    "service_mail": (*SERVICE, Field("tracking_number", "挂号信或特快专递单号", "text", required=True)),
    "service_left": (*SERVICE, Field("witness", "见证人", "text", required=True)),
    "service_entrusted": (*SERVICE, Field("reason", "委托、转交原因", "text", required=True)),
    "service_public_notice": (
        *SERVICE,
        Field("reason", "其他方式均无法送达的情况", "textarea", required=True),
        Field("medium", "公告方式和载体", "text", required=True),
    ),
    "performance_record": (
        Field("amount_paid", "已缴纳金额（元）", "decimal"),
        Field("performed", "已全部履行", "bool"),
        CONTENT,
    ),
    # 行政处罚法 第四十八条: a disclosed decision changed, revoked or found unlawful is withdrawn
    # within 3 days with a public reason; the values of ``ground`` are the disclosure app's
    # withdrawal grounds (disclosure.models.EVENT_GROUNDS).
    "decision_change_record": (
        Field("ground", "结果", "choice", required=True, choices=DECISION_CHANGE_GROUNDS),
        Field("by", "途径", "choice", required=True, choices=DECISION_CHANGE_BY),
        Field("occurred_on", "变更、撤销或确认违法的日期", "date", required=True),
        Field("document_number", "复议决定书、判决书或纠正决定文号", "text"),
        Field("explanation", "公开说明", "textarea", required=True, help="撤下公示时向社会公开"),
    ),
    "closing_report": (Field("summary", "结案情况", "textarea", required=True),),
    "archive_record": (
        Field("volumes", "案卷册数", "text", required=True),
        Field("location", "保存地点", "text", required=True),
        Field("content", "卷内目录及备注", "textarea"),
    ),
}


def pause_period_stated(source: str) -> Callable:
    """The time not counted must be stated (and told in writing): it ends on or after the notice."""

    def rule(view, clean, made_at) -> list[FieldError]:
        end = clean.get("expected_end")
        if end and dt.date.fromisoformat(end) < timezone.localdate(made_at):
            return [
                FieldError(
                    "payload.expected_end",
                    "pause_period",
                    f"期间截至: 不能早于告知之日，所需时间应当明确并书面告知（{source}）",
                )
            ]
        return []

    return rule


def common_fields(*keys: str) -> dict[str, tuple[Field, ...]]:
    """The fields of the shared records ``keys`` (those a procedure uses)."""
    return {k: COMMON_FIELDS[k] for k in keys}


# The enforcement categories beyond 许可、处罚、强制、检查 that the source documents name.
KUNMING_CATEGORIES = (
    "《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）1"
)
LINGCHUAN_RECORDING = "《陵川县交通运输局关于推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案》二、（二）1"


# ---------------------------------------------------------------- the shape the newer procedures share
#
# 行政收费、行政征收、行政确认、行政裁决、行政给付: a decision record approved by the head (记录办法
# 第三十八条), disclosed like other decisions, changeable afterwards (复议、诉讼、自行纠正), the file
# archived within the registry's period. Each module states only its own stages and records.

APPROVAL = R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条")
APPROVAL_REQUIRED = Req(("decision_approval",), f"{JL} 第三十八条")
SERVICE_FIELDS = SERVICE_KEYS


def decision_record(key: str, name: str, source: str, *, decision_kind: str) -> RecordSpec:
    """The decision record of a newer procedure: it marks ``decided`` and is disclosed as an
    "other" decision (国办发〔2018〕118号 二、（六）; the profile's ``disclosure.period.other``)."""
    return R(key, name, source, event="decided", discloses="other", decision_kind=decision_kind)


def service_stage() -> Stage:
    """送达 by any legal method (《松原市行政执法全过程记录实施办法》第二十三至二十七条)."""
    return Stage(
        "service",
        "送达",
        records=service_records(),
        requires=(Req(SERVICE_KEYS, f"{JL} 第二十三条", label="送达回证或送达记录"),),
    )


def application_stage(register_name: str) -> Stage:
    """申请与受理: the application is registered and a 受理通知书 issued (记录办法 第七条)."""
    return Stage(
        "application",
        "申请与受理",
        records=(
            R("application_register", register_name, f"{JL} 第七条", event="applied"),
            R("acceptance_receipt", "受理通知书", f"{JL} 第七条", event="accepted"),
        ),
        requires=(Req(("application_register",), f"{JL} 第七条"),),
    )


def accept_transition(target: str) -> Transition:
    return T(
        "accept", "application", target, "受理", requires=(Req(("acceptance_receipt",), f"{JL} 第七条"),)
    )


APPLICATION_EVENTS = {"applied": "收到申请", "accepted": "受理"}

# 金钱给付义务 (收费、征收): paid, or — after a written 催告 — enforced by the court
# (行政强制法 第三十五条、第四十五条、第五十三条、第五十四条).
COLLECTION_EVENTS = {
    "paid": "缴纳或执行完毕",
    "reminded": "送达催告书",
    "court_applied": "申请人民法院强制执行",
}
COURT_SOURCE = "行政强制法 第五十三条、第五十四条"


def collection_stage(name: str, paid_name: str) -> Stage:
    return Stage(
        "collection",
        name,
        records=(
            R("performance_record", paid_name, f"{JL} 第二十八条", event="paid"),
            R("enforcement_reminder", "催告书", "行政强制法 第三十五条、第五十四条", event="reminded"),
            R("court_application", "申请人民法院强制执行文书", COURT_SOURCE, event="court_applied"),
        ),
        requires=(
            Req(("performance_record", "court_application"), f"{JL} 第二十八条", label="缴纳或执行记录"),
        ),
    )


def court_wait_limit() -> TimeLimit:
    """催告书送达十日后当事人仍未履行义务的，才可以申请人民法院强制执行 (行政强制法 第五十四条；
    第六十九条: 十日以内期限是指工作日) — the registry's ``coercion.court.reminder_wait``."""
    return TimeLimit(
        "court_application",
        "催告书送达后申请人民法院强制执行",
        None,
        Unit.WORKING,
        "reminded",
        "court_applied",
        "行政强制法 第五十四条、第六十九条",
        kind=LimitKind.MINIMUM_NOTICE,
        rule="coercion.court.reminder_wait",
    )


def court_after_reminder(view, clean, made_at) -> list[FieldError]:
    """A court application needs the 催告书 served at least the registry's period before it."""
    from sanxiang.rules.selectors import rule_for
    from sanxiang.workdays.services import add_working_days

    reminder = view.latest("enforcement_reminder")
    region = view.case.agency.region_code
    if reminder is None:
        return [
            FieldError(
                "kind",
                "reminder_first",
                f"申请强制执行: 申请人民法院强制执行前，应当催告当事人履行义务（{COURT_SOURCE}）",
            )
        ]
    served = timezone.localdate(reminder.made_at)
    wait = rule_for("coercion.court.reminder_wait", region=region, on=served)
    earliest = add_working_days(served, wait.days, region=region).due
    if timezone.localdate(made_at) < earliest:
        return [
            FieldError(
                "kind",
                "reminder_wait",
                f"申请强制执行: 催告书送达{wait.display_value}后当事人仍未履行义务的，才可以申请人民法院强制执行，"
                f"最早可于 {earliest.isoformat()} 申请（{wait.citation}）",
            )
        ]
    return []


def decision_procedure(
    *,
    key: str,
    name: str,
    law: str,
    source: str,
    description: str,
    number_prefix: str,
    events: dict[str, str],
    stages: tuple[Stage, ...],
    transitions: tuple[Transition, ...],
    record_fields: dict[str, tuple[Field, ...]],
    shared_records: tuple[str, ...] = (),
    approved: str = "",
    archive_after: tuple[str, str] = ("served", "送达后立卷归档"),
    time_limits: tuple[TimeLimit, ...] = (),
    record_rules: dict | None = None,
    after_decision: tuple[RecordSpec, ...] = (),
    demo: tuple[DemoCase, ...] = (),
) -> ProcedureDefinition:
    """A procedure of the newer shape: its own stages, then 归档; ``approved`` names the decision
    record the head approves first (记录办法 第三十八条); ``archive_after`` is (event, name) of the
    archive limit; ``after_decision`` adds records made in any stage once the decision is final."""
    after_event, archive_name = archive_after
    return ProcedureDefinition(
        key=key,
        name=name,
        law=law,
        source=source,
        description=description,
        initial=stages[0].key,
        events={**events, "archived": "归档"},
        after_decision=(DECISION_CHANGE, *after_decision),
        number_prefix=number_prefix,
        record_fields={
            **common_fields(*shared_records, "decision_change_record", "archive_record"),
            **record_fields,
        },
        record_rules=record_rules or {},
        approval_records=frozenset({"decision_approval"}) if approved else frozenset(),
        prerequisites={approved: (("decision_approval",), f"{JL} 第三十八条")} if approved else {},
        stages=(*stages, Stage("archived", "归档", records=(ARCHIVE,), terminal=True)),
        transitions=transitions,
        time_limits=(*time_limits, archive_limit(name=archive_name, from_event=after_event)),
        demo=demo,
    )


def money_assessment_fields(*, item: str, basis: str, amount: str) -> tuple[Field, ...]:
    """The assessment of a sum owed (收费核定, 征收调查核定): what, on which basis, how much."""
    return (
        Field("item", item, "text", required=True),
        Field("basis", basis, "textarea", required=True),
        Field("amount", amount, "decimal", required=True),
        CONTENT,
    )


def money_decision_fields(*, item: str, amount: str, basis: str = "") -> tuple[Field, ...]:
    """The decision fixing a sum owed (缴费通知书, 征收决定书): its number, what and how much — the
    decision row's line (``cases.decisions``) reads ``item`` and ``amount``."""
    fields = [
        DOC_NO,
        Field("item", item, "text", required=True),
        Field("amount", amount, "decimal", required=True),
    ]
    if basis:
        fields.append(Field("basis", basis, "textarea", required=True))
    return (*fields, CONTENT)
