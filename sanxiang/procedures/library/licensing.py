"""行政许可: its stages, records and their fields, record rules, periods, numbering and disclosure."""

from __future__ import annotations

from sanxiang.errors import FieldError
from sanxiang.procedures.definitions import (
    LimitKind,
    Pause,
    ProcedureDefinition,
    Stage,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    LICENCE_CATEGORIES,
    Field,
)
from sanxiang.procedures.library.common import (
    ARCHIVE,
    AV_ONSITE,
    DECISION_CHANGE,
    JL,
    SERVICE_KEYS,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    pause_period_stated,
    service_records,
)

# What a granted licence's decision must state to be disclosed (行政许可法 第三十八条、第三十九条;
# 《松原市行政执法公示办法》第十六条: 行政许可决定结果应当予以公开; 双公示 行政许可信息数据项).
LICENCE_GRANT_SOURCE = "行政许可法 第三十八条、第三十九条; 《松原市行政执法公示办法》第十六条"


LICENCE_GRANT_ITEMS = (
    ("document_number", "文书编号"),
    ("license_category", "许可类别"),
    ("valid_from", "有效期自"),
    ("valid_until", "有效期至"),
)


# ---------------------------------------------------------------- record fields

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    # 行政许可法 第三十八条 (准予或不予, 不予的说明理由); 第三十九条 (许可证件). A granted licence
    # carries what 双公示 publishes of it (行政许可信息数据项): number, category, validity.
    "licence_decision": (
        Field("granted", "准予行政许可", "bool", help="行政许可法 第三十八条"),
        Field("document_number", "文书编号", "text"),
        Field("license_category", "许可类别", "choice", choices=tuple((c, c) for c in LICENCE_CATEGORIES)),
        Field("license_name", "许可证件名称", "text"),
        Field("license_number", "许可证件编号", "text"),
        Field("valid_from", "有效期自", "date"),
        Field("valid_until", "有效期至", "date"),
        CONTENT,
    ),
    # Time not counted in the period must be stated and told in writing (行政许可法 第四十五条;
    # 行政强制法 第二十五条第三款); from this notice the period is paused until the result.
    "expert_work_notice": (
        Field(
            "matter",
            "事项",
            "choice",
            required=True,
            choices=(
                ("bidding", "招标"),
                ("auction", "拍卖"),
                ("inspection", "检验"),
                ("testing", "检测"),
                ("quarantine", "检疫"),
                ("appraisal", "鉴定"),
                ("expert_review", "专家评审"),
            ),
        ),
        Field("expected_end", "预计所需时间截至", "date", required=True, help="行政许可法 第四十五条"),
        CONTENT,
    ),
}


# ---------------------------------------------------------------- record rules


def _licence_grant_stated(view, clean, made_at) -> list[FieldError]:
    if not clean.get("granted"):
        return []
    errors = [
        FieldError(
            f"payload.{name}", "required", f"{label}: 准予许可的决定书须载明（{LICENCE_GRANT_SOURCE}）"
        )
        for name, label in LICENCE_GRANT_ITEMS
        if not clean.get(name)
    ]
    if clean.get("valid_from") and clean.get("valid_until") and clean["valid_until"] < clean["valid_from"]:
        errors.append(FieldError("payload.valid_until", "date_order", "有效期至: 不得早于有效期自"))
    return errors


# ---------------------------------------------------------------- the definition

LICENSING = ProcedureDefinition(
    key="licensing",
    name="行政许可",
    law="licensing",
    source="行政许可法 第四章",
    description="申请、受理、审查、听证（如适用）、决定、颁发证件、归档。行政许可法规定的期限以工作日计算（第八十二条）。",
    initial="application",
    events={
        "applied": "收到申请",
        "supplement_notified": "一次性告知补正",
        "accepted": "受理",
        "hearing_notified": "告知听证权利",
        "hearing_requested": "提出听证申请",
        "hearing_noticed": "送达听证通知",
        "hearing_held": "举行听证",
        "expert_work_started": "开始招标、拍卖、检验、检测、检疫、鉴定或专家评审",
        "expert_work_finished": "招标、拍卖、检验、检测、检疫、鉴定或专家评审结束",
        "decided": "作出许可决定",
        "issued": "颁发许可证件",
        "served": "送达决定书",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="许",
    record_fields={
        **common_fields(
            "hearing_notice",
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
    record_rules={
        "licence_decision": (_licence_grant_stated,),
        "expert_work_notice": (pause_period_stated("行政许可法 第四十五条"),),
    },
    approval_records=frozenset({"decision_approval", "review_opinion"}),
    stages=(
        Stage(
            "application",
            "申请",
            records=(
                R("application_register", "申请登记记录", f"{JL} 第七条", event="applied"),
                R(
                    "supplement_notice",
                    "一次性告知补正材料通知书",
                    "行政许可法 第三十二条第一款第四项",
                    event="supplement_notified",
                ),
                R("not_accepted_notice", "不予受理决定书", "行政许可法 第三十二条第一款第二、三项"),
                R(
                    "acceptance_receipt",
                    "受理通知书（加盖专用印章、注明日期）",
                    "行政许可法 第三十二条第二款",
                    event="accepted",
                ),
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
                    "行政许可法 第三十四条第三款",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R("interested_party_notice", "告知利害关系人记录", "行政许可法 第三十六条"),
                R("review_opinion", "审查意见（承办人、审核人、批准人）", f"{JL} 第三十八条"),
                R(
                    "hearing_rights_notice",
                    "听证权利告知书",
                    "行政许可法 第四十七条第一款",
                    event="hearing_notified",
                ),
                R("hearing_request", "听证申请", "行政许可法 第四十七条第一款", event="hearing_requested"),
                R(
                    "expert_work_notice",
                    "招标、拍卖、检验、检测、检疫、鉴定或专家评审所需时间告知书",
                    "行政许可法 第四十五条",
                    event="expert_work_started",
                ),
                R(
                    "expert_work_result",
                    "招标、拍卖、检验、检测、检疫、鉴定或专家评审结果",
                    "行政许可法 第四十五条",
                    event="expert_work_finished",
                ),
            ),
            requires=(Req(("review_opinion",), f"{JL} 第三十八条"),),
        ),
        Stage(
            "hearing",
            "听证",
            records=(
                R("hearing_notice", "听证通知", "行政许可法 第四十八条第一款第一项", event="hearing_noticed"),
                R(
                    "hearing_record",
                    "听证笔录",
                    "行政许可法 第四十八条第一款第五项",
                    av_required=True,
                    av_source=AV_ONSITE,
                    event="hearing_held",
                ),
            ),
            requires=(Req(("hearing_record",), "行政许可法 第四十八条第二款"),),
        ),
        Stage(
            "decision",
            "决定",
            records=(
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "licence_decision",
                    "准予或不予行政许可决定书",
                    "行政许可法 第三十八条",
                    event="decided",
                    discloses="licensing",
                ),
            ),
            requires=(
                Req(("decision_approval",), f"{JL} 第三十八条"),
                Req(("licence_decision",), "行政许可法 第三十八条"),
            ),
        ),
        Stage(
            "issuance",
            "颁发与送达",
            records=(
                R("licence_issued", "许可证件颁发记录", "行政许可法 第三十九条、第四十四条", event="issued"),
                *service_records(),
            ),
            requires=(
                Req(("licence_issued", *SERVICE_KEYS), "行政许可法 第四十四条", label="颁发或送达记录"),
            ),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
        Stage("not_accepted", "不予受理", terminal=True),
    ),
    transitions=(
        T(
            "accept",
            "application",
            "review",
            "受理",
            guards=("application_complete",),
            requires=(Req(("acceptance_receipt",), "行政许可法 第三十二条第二款"),),
        ),
        T(
            "refuse_acceptance",
            "application",
            "not_accepted",
            "不予受理",
            requires=(Req(("not_accepted_notice",), "行政许可法 第三十二条第一款"),),
        ),
        T("hold_hearing", "review", "hearing", "组织听证", guards=("licensing_hearing_requested_in_time",)),
        T("decide", "review", "decision", "作出决定"),
        T(
            "hearing_to_decision",
            "hearing",
            "decision",
            "根据听证笔录作出决定",
            guards=("licensing_hearing_notice_timely",),
        ),
        T("issue", "decision", "issuance", "颁发证件或送达决定"),
        T("archive", "issuance", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "supplement",
            "一次性告知补正",
            None,
            Unit.WORKING,
            "applied",
            "supplement_notified",
            "行政许可法 第三十二条第一款第四项、第八十二条",
            rule="licensing.supplement",
        ),
        TimeLimit(
            "decision",
            "自受理起作出许可决定",
            None,
            Unit.WORKING,
            "accepted",
            "decided",
            "行政许可法 第四十二条第一款",
            extendable=True,
            extension_source="行政许可法 第四十二条第一款（经本行政机关负责人批准，可以延长十日）",
            rule="licensing.decision.period",
            extension_rule="licensing.decision.extension",
            pauses=(
                Pause("hearing", "听证", "hearing_requested", "hearing_held", "行政许可法 第四十五条"),
                Pause(
                    "expert_work",
                    "招标、拍卖、检验、检测、检疫、鉴定、专家评审",
                    "expert_work_started",
                    "expert_work_finished",
                    "行政许可法 第四十五条",
                ),
            ),
        ),
        TimeLimit(
            "hearing_request",
            "申请人、利害关系人提出听证申请",
            None,
            Unit.WORKING,
            "hearing_notified",
            "hearing_requested",
            "行政许可法 第四十七条第一款",
            rule="licensing.hearing.request",
            kind=LimitKind.PARTY_WINDOW,
        ),
        TimeLimit(
            "hearing_organised",
            "提出申请后组织听证",
            None,
            Unit.WORKING,
            "hearing_requested",
            "hearing_held",
            "行政许可法 第四十七条第一款",
            rule="licensing.hearing.organise",
        ),
        TimeLimit(
            "hearing_notice",
            "听证通知至少提前",
            None,
            Unit.WORKING,
            "hearing_noticed",
            "hearing_held",
            "行政许可法 第四十八条第一款第一项",
            rule="licensing.hearing.notice",
            kind=LimitKind.MINIMUM_NOTICE,
        ),
        TimeLimit(
            "issuance",
            "作出准予决定后颁发、送达证件",
            None,
            Unit.WORKING,
            "decided",
            "issued",
            "行政许可法 第四十四条",
            rule="licensing.issuance",
        ),
        archive_limit(name="办结后立卷归档", from_event="issued"),
    ),
)


DEFINITION = LICENSING
