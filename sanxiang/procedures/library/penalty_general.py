"""行政处罚一般程序: its stages, records and their fields, record rules, periods, numbering and disclosure."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sanxiang.errors import FieldError
from sanxiang.procedures.definitions import (
    AppRecord,
    LimitKind,
    ProcedureDefinition,
    Stage,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    DOC_NO,
    HEARING_PENALTY_KINDS,
    MAJOR_FLAGS,
    PARTY_PENALTIES,
    PENALTY,
    SEVERITY,
    Field,
    Penalty,
)
from sanxiang.procedures.library.common import (
    ARCHIVE,
    AV_ONSITE,
    CLOSING,
    DECISION_CHANGE,
    JL,
    SERVICE_KEYS,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    payment_limit,
    service_records,
)

# ---------------------------------------------------------------- record fields

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "decision_document": (
        DOC_NO,
        *PENALTY,
        PARTY_PENALTIES,
        Field("license_revoked", "暂扣或吊销证照名称及编号", "text", help="双公示 行政处罚信息数据项"),
        SEVERITY,
        CONTENT,
    ),
    "case_source": (
        Field("summary", "来源及线索摘要", "textarea", required=True),
        Field("party_summary", "当事人基本情况", "textarea"),
    ),
    "not_filing_record": (
        Field("reason", "不予立案理由", "textarea", required=True),
        Field("reporter_informed", "已告知投诉人、举报人", "bool", help=f"{JL} 第九条"),
        Field("informed_how", "告知方式及时间", "text"),
    ),
    "investigation_report": (
        Field("facts", "违法事实", "textarea", required=True),
        Field("evidence", "证据", "textarea", required=True),
        Field("basis", "处罚依据", "text", required=True),
        *PENALTY,
        *MAJOR_FLAGS,
    ),
    "penalty_notice": (
        DOC_NO,
        *PENALTY,
        Field("hearing_rights", "告知听证权利", "bool", help="行政处罚法 第六十三条、第六十四条"),
        CONTENT,
    ),
    "hearing_report": (Field("opinion", "听证意见", "textarea", required=True), *PENALTY),
    "decision_draft": (
        Field("drafter", "起草人", "text", required=True),
        Field("basis", "决定依据", "textarea", required=True),
        *PENALTY,
    ),
    "enforcement_record": (
        Field("measure", "强制执行方式", "text", required=True),
        Field("completed", "执行完毕", "bool"),
        CONTENT,
    ),
}


# ---------------------------------------------------------------- record rules


def _not_heavier_than_notice(view, payload, made_at) -> list[FieldError]:
    notice = view.latest("penalty_notice")
    before = Penalty.of(notice.payload) if notice else None
    after = Penalty.of(payload)
    if before and after and after.heavier_than(before):
        return [
            FieldError(
                "payload.penalty_kinds",
                "heavier_after_defence",
                f"处罚: {after.describe()} 重于告知的 {before.describe()}，"
                "不得因当事人陈述、申辩而给予更重的处罚（行政处罚法 第四十五条第二款）",
            )
        ]
    return []


def _hearing_notice_days(view, payload, made_at) -> list[FieldError]:
    from sanxiang.rules.selectors import rule_for
    from sanxiang.workdays.services import add_working_days

    hearing_at = parse_datetime(payload.get("hearing_at", ""))
    if hearing_at is None:
        return []
    region = view.case.agency.region_code
    notified = timezone.localdate(made_at)
    notice = rule_for("penalty.hearing.notice", region=region, on=notified)
    earliest = add_working_days(notified, notice.days, region=region).due
    if timezone.localdate(hearing_at) < earliest:
        return [
            FieldError(
                "payload.hearing_at",
                "hearing_notice_period",
                f"举行听证时间: 应当在举行听证的{notice.display_value}前通知当事人，最早可定于 {earliest.isoformat()}"
                f"（{notice.citation}）",
            )
        ]
    return []


def _hearing_rights(view, payload, made_at) -> list[FieldError]:
    penalty = Penalty.of(payload)
    if penalty and penalty.kinds & HEARING_PENALTY_KINDS and not payload.get("hearing_rights"):
        return [
            FieldError(
                "payload.hearing_rights",
                "hearing_rights_required",
                "告知听证权利: 拟作出的处罚属于当事人可以要求听证的情形，应当告知听证权利（行政处罚法 第六十三条、第六十四条）",
            )
        ]
    return []


def _reporter_told_how(view, payload, made_at) -> list[FieldError]:
    if view.case.reporter_named and payload.get("reporter_informed") and not payload.get("informed_how"):
        return [
            FieldError(
                "payload.informed_how",
                "required",
                "告知方式及时间: 已告知实名投诉、举报人的，应记录告知情况（《松原市行政执法全过程记录实施办法》第九条）",
            )
        ]
    return []


def _party_penalties_of_case(view, clean, made_at) -> list[FieldError]:
    """Each line names a party of the case (行政处罚法 第五十九条第一款第一项: 当事人的姓名或者名称)."""
    parties = {str(p.public_id) for p in view.parties}
    return [
        FieldError(
            f"payload.party_penalties[{i}].party",
            "party_of_case",
            "各当事人分别给予的处罚: 不是本案的当事人（行政处罚法 第五十九条）",
        )
        for i, item in enumerate(clean.get("party_penalties") or ())
        if item["party"] not in parties
    ]


RECORD_RULES = {
    "decision_document": (_not_heavier_than_notice, _party_penalties_of_case),
    "decision_draft": (_not_heavier_than_notice,),
    "hearing_notice": (_hearing_notice_days,),
    "penalty_notice": (_hearing_rights,),
    "not_filing_record": (_reporter_told_how,),
}


# ---------------------------------------------------------------- the definition

PENALTY_GENERAL = ProcedureDefinition(
    key="penalty_general",
    name="行政处罚一般程序",
    law="penalty",
    source="行政处罚法 第五章第三节",
    description="依职权或依投诉举报启动，经立案、调查取证、告知、听证（如适用）、法制审核（重大决定）、集体讨论（如需要）、决定、送达、执行、结案至归档。",
    initial="intake",
    events={
        "emergency_started": "情况紧急先行启动",
        "filed": "立案",
        "evidence_preserved": "证据先行登记保存",
        "preservation_decided": "对先行登记保存的证据作出处理决定",
        "notice_served": "送达行政处罚告知书",
        "hearing_requested": "当事人提出听证申请",
        "hearing_noticed": "送达听证通知书",
        "hearing_held": "举行听证",
        "decided": "作出行政处罚决定",
        "served": "送达行政处罚决定书",
        "paid": "当事人缴纳罚款",
        "closed": "结案",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    number_prefix="罚",
    record_fields={
        **common_fields(
            "court_application",
            "statement_defence",
            "defence_review",
            "hearing_notice",
            "service_direct",
            "service_mail",
            "service_left",
            "service_entrusted",
            "service_public_notice",
            "performance_record",
            "decision_change_record",
            "closing_report",
            "archive_record",
        ),
        **RECORD_FIELDS,
    },
    record_rules=RECORD_RULES,
    approval_records=frozenset({"filing_approval", "decision_approval"}),
    # The legal review writes its own opinion (《松原市重大行政执法决定法制审核办法》第十条；《松原市行政执法全过程记录实施办法》第十七条).
    app_records={
        "review_opinion": AppRecord(
            "review",
            "reviewer",
            "《松原市重大行政执法决定法制审核办法》第十条; 《松原市行政执法全过程记录实施办法》第十七条",
        )
    },
    prerequisites={
        "decision_document": (
            ("decision_approval",),
            "行政处罚法 第五十七条; 《松原市行政执法全过程记录实施办法》第三十八条",
        ),
        "defence_review": (("statement_defence",), "行政处罚法 第四十五条第一款"),
        "hearing_report": (("hearing_record",), "行政处罚法 第六十五条"),
    },
    review_transitions={"notice": "to_review", "hearing": "hearing_to_review"},
    review_stage="legal_review",
    stages=(
        Stage(
            "intake",
            "案件来源登记",
            description="监督检查、投诉举报、移送、上级交办等来源登记，依程序启动审批表报负责人批准。",
            records=(
                R("case_source", "案件来源登记表", f"{JL} 第九条"),
                R("filing_approval", "立案审批表", f"{JL} 第八条、第三十八条", event="filed"),
                R("not_filing_record", "不予立案记录", f"{JL} 第九条"),
            ),
        ),
        Stage(
            "investigation",
            "调查取证",
            records=(
                R("inquiry_record", "询问笔录", f"{JL} 第十二条第一项"),
                R("evidence_request", "调取证据通知书及证据清单", f"{JL} 第十二条第二项"),
                R(
                    "onsite_inspection_record",
                    "现场检查（勘验）笔录",
                    f"{JL} 第十二条第三项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R(
                    "sampling_record",
                    "抽样取证通知书及物品清单",
                    "行政处罚法 第五十六条; 《松原市行政执法全过程记录实施办法》第十二条第四项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R(
                    "evidence_preservation",
                    "证据先行登记保存通知书及清单",
                    "行政处罚法 第五十六条; 《松原市行政执法全过程记录实施办法》第十四条",
                    event="evidence_preserved",
                ),
                R(
                    "preservation_decision",
                    "先行登记保存证据处理决定书",
                    "行政处罚法 第五十六条",
                    event="preservation_decided",
                ),
                R(
                    "seizure_record",
                    "查封、扣押决定书及清单",
                    f"{JL} 第十五条",
                    av_required=True,
                    av_source=f"{JL} 第十五条第二款",
                ),
                R("expert_opinion", "鉴定意见书", f"{JL} 第十二条第七项"),
                R("refusal_record", "当事人拒绝签名或拒绝配合调查的记录", f"{JL} 第十二条第三款"),
                R("investigation_report", "案件调查终结报告", "行政处罚法 第五十七条"),
                R("transfer_letter", "案件移送书", "行政处罚法 第二十七条"),
            ),
            requires=(
                Req(
                    (
                        "inquiry_record",
                        "evidence_request",
                        "onsite_inspection_record",
                        "sampling_record",
                        "expert_opinion",
                    ),
                    "行政处罚法 第五十四条",
                    label="调查取证笔录或文书",
                ),
                Req(("investigation_report",), "行政处罚法 第五十七条"),
                Req(
                    ("preservation_decision",),
                    "行政处罚法 第五十六条",
                    when="evidence_preserved",
                ),
            ),
        ),
        Stage(
            "notice",
            "告知与陈述申辩",
            records=(
                R("penalty_notice", "行政处罚事先告知书", "行政处罚法 第四十四条", event="notice_served"),
                R(
                    "statement_defence",
                    "陈述申辩笔录",
                    "行政处罚法 第四十五条; 《松原市行政执法全过程记录实施办法》第十二条第五项",
                ),
                R("defence_review", "陈述申辩复核意见", "行政处罚法 第四十五条第一款"),
                R("hearing_request", "听证申请", "行政处罚法 第六十四条第一项", event="hearing_requested"),
                R("hearing_waiver", "放弃听证声明", "行政处罚法 第六十四条"),
            ),
            requires=(Req(("penalty_notice",), "行政处罚法 第四十四条"),),
        ),
        Stage(
            "hearing",
            "听证",
            records=(
                R("hearing_notice", "听证通知书", "行政处罚法 第六十四条第二项", event="hearing_noticed"),
                R(
                    "hearing_record",
                    "听证笔录",
                    "行政处罚法 第六十四条第八项; 《松原市行政执法全过程记录实施办法》第十二条第六项",
                    av_required=True,
                    av_source=AV_ONSITE,
                    event="hearing_held",
                ),
                R("hearing_report", "听证报告", "行政处罚法 第六十五条"),
            ),
            requires=(
                Req(("hearing_notice",), "行政处罚法 第六十四条第二项"),
                Req(("hearing_record",), "行政处罚法 第六十四条第八项"),
            ),
        ),
        Stage(
            "legal_review",
            "法制审核",
            description="重大执法决定在作出决定前由法制机构审核；审核程序由 review 应用办理。",
            records=(
                R("review_submission", "法制审核送审材料", "《松原市重大行政执法决定法制审核办法》第六条"),
                R(
                    "review_opinion",
                    "法制审核意见书",
                    "《松原市重大行政执法决定法制审核办法》第十条; 《松原市行政执法全过程记录实施办法》第十七条",
                ),
            ),
            requires=(
                Req(
                    ("review_opinion",), "行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第四条"
                ),
            ),
        ),
        Stage(
            "collective_discussion",
            "集体讨论",
            records=(
                R(
                    "collective_discussion_minutes",
                    "集体讨论记录",
                    "行政处罚法 第五十七条第二款; 《松原市行政执法全过程记录实施办法》第十九条",
                ),
            ),
            requires=(
                Req(("collective_discussion_minutes",), "《松原市行政执法全过程记录实施办法》第十九条"),
            ),
        ),
        Stage(
            "decision",
            "决定",
            records=(
                R("decision_draft", "处理意见及决定草拟记录", f"{JL} 第十六条"),
                R("decision_approval", "负责人审批记录", f"{JL} 第二十条、第三十八条"),
                R(
                    "decision_document",
                    "行政处罚决定书",
                    "行政处罚法 第五十九条",
                    event="decided",
                    discloses="penalty",
                ),
            ),
            requires=(
                Req(
                    ("decision_approval",),
                    "行政处罚法 第五十七条; 《松原市行政执法全过程记录实施办法》第二十条、第三十八条",
                ),
                Req(("decision_document",), "行政处罚法 第五十九条"),
            ),
        ),
        Stage(
            "service",
            "送达",
            records=service_records(),
            requires=(Req(SERVICE_KEYS, "行政处罚法 第六十一条", label="送达回证或送达记录"),),
        ),
        Stage(
            "execution",
            "执行",
            records=(
                R("performance_record", "履行情况记录", f"{JL} 第二十八条", event="paid"),
                R("rectification_check", "责令改正情况核查记录", f"{JL} 第二十八条第二款"),
                R("enforcement_reminder", "催告书", f"{JL} 第二十九条; 行政强制法 第三十五条"),
                R("enforcement_record", "强制执行文书", f"{JL} 第三十条"),
                R("court_application", "申请法院强制执行文书", f"{JL} 第三十一条; 行政强制法 第五十三条"),
            ),
            requires=(
                Req(("performance_record", "enforcement_record", "court_application"), f"{JL} 第二十八条"),
                Req(
                    ("enforcement_reminder",),
                    f"{JL} 第二十九条; 行政强制法 第三十五条",
                    when="enforcement_needed",
                ),
            ),
        ),
        Stage(
            "closed",
            "结案",
            records=(CLOSING,),
            requires=(Req(("closing_report",), "行政处罚法 第四十七条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True, description="归档后案卷封存。"),
        Stage("not_filed", "不予立案", terminal=True),
    ),
    transitions=(
        T(
            "file",
            "intake",
            "investigation",
            "立案",
            guards=("filing_approved",),
            requires=(Req(("case_source",), f"{JL} 第九条"), Req(("filing_approval",), f"{JL} 第八条")),
            event="filed",
        ),
        T(
            "emergency_start",
            "intake",
            "investigation",
            "紧急先行启动",
            guards=("emergency_reason_recorded",),
            requires=(Req(("case_source",), f"{JL} 第九条"),),
            event="emergency_started",
        ),
        T(
            "decline",
            "intake",
            "not_filed",
            "不予立案",
            guards=("named_reporter_informed",),
            requires=(Req(("not_filing_record",), f"{JL} 第九条"),),
        ),
        T(
            "notify",
            "investigation",
            "notice",
            "调查终结，告知拟处罚",
            guards=("two_valid_officers", "credentials_shown"),
        ),
        T(
            "transfer",
            "investigation",
            "closed",
            "移送有关机关",
            skip_stage_requirements=True,
            requires=(Req(("transfer_letter",), "行政处罚法 第二十七条"),),
        ),
        T(
            "hold_hearing",
            "notice",
            "hearing",
            "组织听证",
            guards=("hearing_eligible", "hearing_requested_in_time"),
        ),
        T(
            "to_review",
            "notice",
            "legal_review",
            "提交法制审核",
            guards=("is_major", "defence_heard", "hearing_window_closed"),
        ),
        T(
            "to_discussion",
            "notice",
            "collective_discussion",
            "提请集体讨论",
            guards=(
                "collective_discussion_required",
                "defence_heard",
                "hearing_window_closed",
                "legal_review_passed_if_major",
            ),
        ),
        T(
            "decide",
            "notice",
            "decision",
            "作出处罚决定",
            guards=(
                "defence_heard",
                "hearing_window_closed",
                "legal_review_passed_if_major",
                "collective_discussion_held_if_required",
                "no_heavier_for_defence",
            ),
        ),
        T(
            "hearing_to_review",
            "hearing",
            "legal_review",
            "听证后提交法制审核",
            guards=("is_major", "hearing_notice_timely"),
        ),
        T(
            "hearing_to_decision",
            "hearing",
            "decision",
            "听证后作出决定",
            guards=(
                "hearing_notice_timely",
                "legal_review_passed_if_major",
                "collective_discussion_held_if_required",
                "no_heavier_for_defence",
            ),
        ),
        T(
            "review_to_discussion",
            "legal_review",
            "collective_discussion",
            "审核后提请集体讨论",
            guards=("collective_discussion_required", "legal_review_passed_if_major"),
        ),
        T(
            "review_to_decision",
            "legal_review",
            "decision",
            "审核通过，作出决定",
            guards=(
                "legal_review_passed_if_major",
                "collective_discussion_held_if_required",
                "no_heavier_for_defence",
            ),
        ),
        T(
            "reinvestigate",
            "legal_review",
            "investigation",
            "退回补充调查",
            skip_stage_requirements=True,
            requires=(Req(("review_opinion",), "《松原市重大行政执法决定法制审核办法》第十条"),),
        ),
        T(
            "discussion_to_decision",
            "collective_discussion",
            "decision",
            "集体讨论决定",
            guards=("legal_review_passed_if_major", "no_heavier_for_defence"),
        ),
        T("serve", "decision", "service", "送达决定书"),
        T(
            "execute",
            "service",
            "execution",
            "进入执行",
            guards=("penalty_to_perform",),
            only_when_allowed=True,
        ),
        # 不予行政处罚 (第五十七条第一款第二项): nothing to perform, the case ends once it is served
        T(
            "close_no_penalty",
            "service",
            "closed",
            "不予处罚，结案",
            guards=("no_penalty_decided",),
            only_when_allowed=True,
        ),
        T("close", "execution", "closed", "执行完毕", guards=("performed",)),
        T("archive", "closed", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "emergency_approval",
            "紧急先行启动后补报审批",
            None,
            Unit.HOURS,
            "emergency_started",
            "filed",
            f"{JL} 第八条",
            rule="record.emergency_approval",
        ),
        TimeLimit(
            "preservation_decision",
            "先行登记保存证据的处理决定",
            None,
            Unit.WORKING,
            "evidence_preserved",
            "preservation_decided",
            "行政处罚法 第五十六条、第八十五条",
            rule="penalty.preservation.decision",
        ),
        TimeLimit(
            "hearing_request",
            "当事人提出听证申请",
            None,
            Unit.WORKING,
            "notice_served",
            "hearing_requested",
            "行政处罚法 第六十四条第一项、第八十五条",
            kind=LimitKind.PARTY_WINDOW,
            rule="penalty.hearing.request",
        ),
        TimeLimit(
            "hearing_notice",
            "听证通知至少提前",
            None,
            Unit.WORKING,
            "hearing_noticed",
            "hearing_held",
            "行政处罚法 第六十四条第二项、第八十五条",
            kind=LimitKind.MINIMUM_NOTICE,
            rule="penalty.hearing.notice",
        ),
        TimeLimit(
            "decision",
            "自立案起作出处罚决定",
            None,
            Unit.NATURAL,
            "filed",
            "decided",
            "行政处罚法 第六十条",
            extendable=True,
            extension_source="行政处罚法 第六十条（法律、法规、规章另有规定的，从其规定）",
            rule="penalty.decision.period",
            extension_needs_basis=True,
        ),
        TimeLimit(
            "service",
            "决定书送达（未当场交付的）",
            None,
            Unit.WORKING,
            "decided",
            "served",
            "行政处罚法 第六十一条、第八十五条",
            rule="penalty.service",
        ),
        payment_limit(from_event="served"),
        archive_limit(name="结案后立卷归档", from_event="closed"),
    ),
)


DEFINITION = PENALTY_GENERAL
