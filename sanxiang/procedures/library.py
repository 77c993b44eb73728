"""The procedure definitions. Data only: every requirement, guard and period names its source.

Abbreviations in sources: 行政处罚法 (2021), 行政许可法, 行政强制法; "seed 002 记录办法" is
松原市行政执法全过程记录实施办法, "seed 002 公示办法" 松原市行政执法公示办法.
"""

from __future__ import annotations

from sanxiang.procedures.definitions import (
    LimitKind,
    Pause,
    ProcedureDefinition,
    RecordSpec,
    Requirement,
    Stage,
    TimeLimit,
    Transition,
    Unit,
)

R = RecordSpec
Req = Requirement
T = Transition

JL = "seed 002 记录办法"  # 全过程记录实施办法
AV_ONSITE = f"{JL} 第十三条"

# Records shared by several procedures.
ARCHIVE = R("archive_record", "案卷归档记录", f"{JL} 第三十二条", event="archived")


def archive_limit(*, name: str, from_event: str) -> TimeLimit:
    """Every procedure files its record within 30 days of its end (seed 002 记录办法 第三十二条)."""
    return TimeLimit("archive", name, 30, Unit.NATURAL, from_event, "archived", f"{JL} 第三十二条")


def payment_limit(*, from_event: str) -> TimeLimit:
    """The party pays a fine within 15 days of receiving the decision (行政处罚法 第六十六条)."""
    return TimeLimit(
        "payment",
        "当事人缴纳罚款",
        15,
        Unit.NATURAL,
        from_event,
        "paid",
        "行政处罚法 第六十六条",
        kind=LimitKind.PARTY_WINDOW,
    )


CLOSING = R("closing_report", "结案报告", "行政处罚法 第四十七条", event="closed")
# After the decision: it was changed, revoked or found unlawful (行政复议、行政诉讼 or 自行纠正) — the
# disclosed decision is withdrawn within 3 working days with a public reason (行政处罚法 第四十八条;
# seed 002 公示办法 第二十八条).
DECISION_CHANGE = R(
    "decision_change_record",
    "决定变更、撤销或确认违法记录",
    "行政处罚法 第四十八条; 行政复议法 第六十三、六十四、六十五条; 行政诉讼法 第七十、七十四、七十五条",
    changes_decision=True,
)


def _service_records() -> tuple[RecordSpec, ...]:
    """送达: every legal method (seed 002 记录办法 第二十三至二十七条)."""
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


# ---------------------------------------------------------------- 行政处罚一般程序

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
                    "行政处罚法 第五十六条; seed 002 记录办法 第十二条第四项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R(
                    "evidence_preservation",
                    "证据先行登记保存通知书及清单",
                    "行政处罚法 第五十六条; seed 002 记录办法 第十四条",
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
                    "行政处罚法 第四十五条; seed 002 记录办法 第十二条第五项",
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
                    "行政处罚法 第六十四条第八项; seed 002 记录办法 第十二条第六项",
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
                R("review_submission", "法制审核送审材料", "seed 002 审核办法 第六条"),
                R("review_opinion", "法制审核意见书", "seed 002 审核办法 第十条; seed 002 记录办法 第十七条"),
            ),
            requires=(Req(("review_opinion",), "行政处罚法 第五十八条; seed 002 审核办法 第四条"),),
        ),
        Stage(
            "collective_discussion",
            "集体讨论",
            records=(
                R(
                    "collective_discussion_minutes",
                    "集体讨论记录",
                    "行政处罚法 第五十七条第二款; seed 002 记录办法 第十九条",
                ),
            ),
            requires=(Req(("collective_discussion_minutes",), "seed 002 记录办法 第十九条"),),
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
                Req(("decision_approval",), "行政处罚法 第五十七条; seed 002 记录办法 第二十条、第三十八条"),
                Req(("decision_document",), "行政处罚法 第五十九条"),
            ),
        ),
        Stage(
            "service",
            "送达",
            records=_service_records(),
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
            requires=(Req(("review_opinion",), "seed 002 审核办法 第十条"),),
        ),
        T(
            "discussion_to_decision",
            "collective_discussion",
            "decision",
            "集体讨论决定",
            guards=("legal_review_passed_if_major", "no_heavier_for_defence"),
        ),
        T("serve", "decision", "service", "送达决定书"),
        T("execute", "service", "execution", "进入执行"),
        T("close", "execution", "closed", "执行完毕", guards=("performed",)),
        T("archive", "closed", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "emergency_approval",
            "紧急先行启动后补报审批",
            24,
            Unit.HOURS,
            "emergency_started",
            "filed",
            f"{JL} 第八条",
        ),
        TimeLimit(
            "preservation_decision",
            "先行登记保存证据的处理决定",
            7,
            Unit.WORKING,
            "evidence_preserved",
            "preservation_decided",
            "行政处罚法 第五十六条、第八十五条",
        ),
        TimeLimit(
            "hearing_request",
            "当事人提出听证申请",
            5,
            Unit.WORKING,
            "notice_served",
            "hearing_requested",
            "行政处罚法 第六十四条第一项、第八十五条",
            kind=LimitKind.PARTY_WINDOW,
        ),
        TimeLimit(
            "hearing_notice",
            "听证通知至少提前",
            7,
            Unit.WORKING,
            "hearing_noticed",
            "hearing_held",
            "行政处罚法 第六十四条第二项、第八十五条",
            kind=LimitKind.MINIMUM_NOTICE,
        ),
        TimeLimit(
            "decision",
            "自立案起作出处罚决定",
            90,
            Unit.NATURAL,
            "filed",
            "decided",
            "行政处罚法 第六十条",
            extendable=True,
            extension_source="行政处罚法 第六十条（法律、法规、规章另有规定的，从其规定）",
        ),
        TimeLimit(
            "service",
            "决定书送达（未当场交付的）",
            7,
            Unit.WORKING,
            "decided",
            "served",
            "行政处罚法 第六十一条、第八十五条",
        ),
        payment_limit(from_event="served"),
        archive_limit(name="结案后立卷归档", from_event="closed"),
    ),
)


# ---------------------------------------------------------------- 行政处罚简易程序

PENALTY_SIMPLE = ProcedureDefinition(
    key="penalty_simple",
    name="行政处罚简易程序",
    law="penalty",
    source="行政处罚法 第五章第二节",
    description="违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的，可以当场作出行政处罚决定。",
    initial="on_spot",
    events={
        "decided": "当场作出处罚决定",
        "fine_collected": "当场收缴罚款",
        "fine_deposited": "罚款交至行政机关",
        "filed_with_agency": "报所属行政机关备案",
        "paid": "当事人缴纳罚款",
        "closed": "结案",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    stages=(
        Stage(
            "on_spot",
            "当场处罚",
            records=(
                R("simple_facts_record", "适用简易程序的事实依据和法律依据记录", f"{JL} 第二十二条第一项"),
                R("statement_defence", "当事人陈述、申辩记录", f"{JL} 第二十二条第三项"),
                R("defence_review", "陈述申辩复核及处理记录", f"{JL} 第二十二条第四项"),
                R(
                    "on_spot_decision",
                    "当场行政处罚决定书",
                    "行政处罚法 第五十二条第一款",
                    event="decided",
                    discloses="penalty",
                ),
                R("refusal_record", "当事人拒绝签收的记录", "行政处罚法 第五十二条第二款"),
            ),
            requires=(
                Req(("simple_facts_record",), f"{JL} 第二十二条第一项"),
                Req(("on_spot_decision",), "行政处罚法 第五十二条第一款"),
            ),
        ),
        Stage(
            "filing",
            "备案",
            records=(
                R(
                    "agency_filing",
                    "向所属行政机关备案记录",
                    "行政处罚法 第五十二条第三款; seed 002 记录办法 第二十二条第五项",
                    event="filed_with_agency",
                ),
                R(
                    "fine_collection",
                    "当场收缴罚款记录",
                    f"{JL} 第二十二条第六项; 行政处罚法 第六十八条",
                    event="fine_collected",
                ),
                R("fine_deposit", "罚款交至行政机关记录", "行政处罚法 第七十一条", event="fine_deposited"),
            ),
            requires=(
                Req(("agency_filing",), "行政处罚法 第五十二条第三款"),
                Req(("fine_deposit",), "行政处罚法 第七十一条", when="fine_collected_on_spot"),
            ),
        ),
        Stage(
            "execution",
            "执行",
            records=(R("performance_record", "履行情况记录", f"{JL} 第二十八条", event="paid"),),
            requires=(Req(("performance_record",), f"{JL} 第二十八条"),),
        ),
        Stage(
            "closed",
            "结案",
            records=(CLOSING,),
            requires=(Req(("closing_report",), "行政处罚法 第四十七条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T(
            "decide_on_spot",
            "on_spot",
            "filing",
            "当场作出决定并交付",
            guards=("simple_procedure_eligible", "credentials_shown"),
        ),
        T("file_with_agency", "filing", "execution", "备案后执行"),
        T("close", "execution", "closed", "执行完毕", guards=("performed",)),
        T("archive", "closed", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "deposit",
            "当场收缴的罚款交至行政机关",
            2,
            Unit.WORKING,
            "fine_collected",
            "fine_deposited",
            "行政处罚法 第七十一条、第八十五条",
        ),
        payment_limit(from_event="decided"),
        archive_limit(name="结案后立卷归档", from_event="closed"),
    ),
)


# ---------------------------------------------------------------- 行政许可

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
                *_service_records(),
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
            5,
            Unit.WORKING,
            "applied",
            "supplement_notified",
            "行政许可法 第三十二条第一款第四项、第八十二条",
        ),
        TimeLimit(
            "decision",
            "自受理起作出许可决定",
            20,
            Unit.WORKING,
            "accepted",
            "decided",
            "行政许可法 第四十二条第一款",
            extendable=True,
            extension_source="行政许可法 第四十二条第一款（经本行政机关负责人批准，可以延长十日）",
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
            5,
            Unit.WORKING,
            "hearing_notified",
            "hearing_requested",
            "行政许可法 第四十七条第一款",
            kind=LimitKind.PARTY_WINDOW,
        ),
        TimeLimit(
            "hearing_organised",
            "提出申请后组织听证",
            20,
            Unit.WORKING,
            "hearing_requested",
            "hearing_held",
            "行政许可法 第四十七条第一款",
        ),
        TimeLimit(
            "hearing_notice",
            "听证通知至少提前",
            7,
            Unit.WORKING,
            "hearing_noticed",
            "hearing_held",
            "行政许可法 第四十八条第一款第一项",
            kind=LimitKind.MINIMUM_NOTICE,
        ),
        TimeLimit(
            "issuance",
            "作出准予决定后颁发、送达证件",
            10,
            Unit.WORKING,
            "decided",
            "issued",
            "行政许可法 第四十四条",
        ),
        archive_limit(name="办结后立卷归档", from_event="issued"),
    ),
)


# ---------------------------------------------------------------- 行政强制措施

COERCIVE_MEASURE = ProcedureDefinition(
    key="coercive_measure",
    name="行政强制措施",
    law="coercion",
    source="行政强制法 第三章",
    description="查封、扣押等行政强制措施：报批（紧急情况当场实施后24小时内补办批准）、实施、处理决定、解除或结案、归档。",
    initial="proposal",
    events={
        "emergency_implemented": "紧急情况当场实施",
        "approved": "负责人批准",
        "implemented": "实施查封、扣押",
        "testing_started": "开始检测、检验、检疫或者技术鉴定",
        "testing_finished": "检测、检验、检疫或者技术鉴定结束",
        "handled": "作出处理决定或解除",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    stages=(
        Stage(
            "proposal",
            "报批",
            records=(
                R(
                    "measure_approval",
                    "行政强制措施审批表",
                    "行政强制法 第十八条第一项; seed 002 记录办法 第三十八条",
                    event="approved",
                ),
                R("emergency_report", "紧急情况当场实施报告", "行政强制法 第十九条"),
            ),
        ),
        Stage(
            "implementation",
            "实施",
            records=(
                R(
                    "onsite_record",
                    "现场笔录",
                    "行政强制法 第十八条第七项",
                    av_required=True,
                    av_source=f"{JL} 第十五条第二款",
                ),
                R(
                    "seizure_decision",
                    "查封、扣押决定书及清单",
                    "行政强制法 第二十四条",
                    av_required=True,
                    av_source=f"{JL} 第十五条第二款",
                    event="implemented",
                    discloses="other",
                ),
                R("rights_notice", "告知理由、依据和权利记录", "行政强制法 第十八条第五项"),
                R("statement_defence", "陈述申辩记录", "行政强制法 第十八条第六项"),
                R("refusal_record", "当事人拒绝签名的注明", "行政强制法 第十八条第八项"),
                R("emergency_approval", "紧急实施后补办的批准手续", "行政强制法 第十九条", event="approved"),
            ),
            requires=(
                Req(("onsite_record",), "行政强制法 第十八条第七项"),
                Req(("seizure_decision",), "行政强制法 第二十四条"),
                Req(("rights_notice",), "行政强制法 第十八条第五项"),
            ),
        ),
        Stage(
            "custody",
            "保管与处理",
            records=(
                R("extension_approval", "延长查封、扣押期限审批及告知书", "行政强制法 第二十五条"),
                R(
                    "testing_notice",
                    "检测、检验、检疫或者技术鉴定期间告知书",
                    "行政强制法 第二十五条第三款",
                    event="testing_started",
                ),
                R(
                    "testing_result",
                    "检测、检验、检疫或者技术鉴定结果",
                    "行政强制法 第二十五条第三款",
                    event="testing_finished",
                ),
                R(
                    "handling_decision",
                    "没收、销毁或解除查封扣押决定书",
                    "行政强制法 第二十七条、第二十八条",
                    event="handled",
                ),
            ),
            requires=(Req(("handling_decision",), "行政强制法 第二十七条"),),
        ),
        Stage(
            "released",
            "立即解除",
            records=(R("release_record", "解除行政强制措施记录", "行政强制法 第十九条", event="handled"),),
            requires=(Req(("release_record",), "行政强制法 第十九条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T(
            "implement",
            "proposal",
            "implementation",
            "经批准后实施",
            guards=("head_approved",),
            requires=(Req(("measure_approval",), "行政强制法 第十八条第一项"),),
        ),
        T(
            "implement_emergency",
            "proposal",
            "implementation",
            "紧急情况当场实施",
            guards=("emergency",),
            requires=(Req(("emergency_report",), "行政强制法 第十九条"),),
            event="emergency_implemented",
        ),
        T(
            "take_into_custody",
            "implementation",
            "custody",
            "查封扣押完成",
            guards=("two_valid_officers", "credentials_shown", "party_or_witness_present", "head_approved"),
        ),
        T(
            "release_unapproved",
            "implementation",
            "released",
            "负责人不批准，立即解除",
            guards=("emergency_not_approved",),
            skip_stage_requirements=True,
        ),
        T("archive", "custody", "archived", "立卷归档"),
        T("archive_released", "released", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "emergency_approval",
            "当场实施后报告并补办批准手续",
            24,
            Unit.HOURS,
            "emergency_implemented",
            "approved",
            "行政强制法 第十九条",
        ),
        TimeLimit(
            "custody",
            "查封、扣押期限",
            30,
            Unit.NATURAL,
            "implemented",
            "handled",
            "行政强制法 第二十五条第一款",
            extendable=True,
            extension_source="行政强制法 第二十五条第一款（经负责人批准可延长，不超过三十日）",
            pauses=(
                Pause(
                    "testing",
                    "检测、检验、检疫或者技术鉴定",
                    "testing_started",
                    "testing_finished",
                    "行政强制法 第二十五条第三款",
                ),
            ),
        ),
        archive_limit(name="结束后立卷归档", from_event="handled"),
    ),
)


# ---------------------------------------------------------------- 行政检查

INSPECTION = ProcedureDefinition(
    key="inspection",
    name="行政检查",
    law="inspection",
    source="行政处罚法 第五十四、五十五条; seed 002 记录办法 第十至十三条; seed 002 公示办法 第二十七条",
    description="检查准备、现场检查、检查结果处理与公示、归档；发现违法的转入行政处罚一般程序立案查处。",
    initial="preparation",
    events={
        "checked": "完成现场检查",
        "concluded": "作出检查结论",
        "published": "公示检查结果",
        "archived": "归档",
    },
    after_decision=(DECISION_CHANGE,),
    stages=(
        Stage(
            "preparation",
            "检查准备",
            records=(
                R("inspection_plan", "检查计划或抽查任务", "seed 002 公示办法 第十一条"),
                R("inspection_approval", "检查审批记录", f"{JL} 第三十八条"),
            ),
            requires=(
                Req(("inspection_plan", "inspection_approval"), f"{JL} 第三十八条", label="检查计划或审批"),
            ),
        ),
        Stage(
            "on_site",
            "现场检查",
            records=(
                R(
                    "onsite_inspection_record",
                    "现场检查笔录",
                    f"{JL} 第十条、第十二条第三项",
                    av_required=True,
                    av_source=AV_ONSITE,
                    event="checked",
                ),
                R(
                    "sampling_record",
                    "抽样记录及物品清单",
                    f"{JL} 第十二条第四项",
                    av_required=True,
                    av_source=AV_ONSITE,
                ),
                R("refusal_record", "拒绝接受检查的记录", f"{JL} 第十二条第三款", event="checked"),
            ),
            requires=(
                Req(("onsite_inspection_record", "refusal_record"), f"{JL} 第十条", label="现场检查笔录"),
            ),
        ),
        Stage(
            "result",
            "检查结果",
            records=(
                R(
                    "inspection_result",
                    "检查结果记录",
                    "seed 002 公示办法 第十七条",
                    event="concluded",
                    discloses="inspection",
                ),
                R("referral_to_case", "转立案查处记录", "行政处罚法 第五十四条"),
            ),
            requires=(Req(("inspection_result",), "seed 002 公示办法 第十七条"),),
        ),
        Stage(
            "publication",
            "结果公示",
            records=(
                R(
                    "result_publication",
                    "检查结果公示记录",
                    "seed 002 公示办法 第二十七条",
                    event="published",
                ),
            ),
            requires=(Req(("result_publication",), "seed 002 公示办法 第十六条、第二十七条"),),
        ),
        Stage("archived", "归档", records=(ARCHIVE,), terminal=True),
    ),
    transitions=(
        T("inspect", "preparation", "on_site", "实施现场检查", guards=("two_valid_officers",)),
        T("conclude", "on_site", "result", "检查完毕", guards=("credentials_shown",)),
        T("publish", "result", "publication", "公示检查结果"),
        T(
            "refer",
            "result",
            "publication",
            "发现违法，转入立案查处并公示",
            guards=("problems_found",),
            requires=(Req(("referral_to_case",), "行政处罚法 第五十四条"),),
        ),
        T("archive", "publication", "archived", "立卷归档"),
    ),
    time_limits=(
        TimeLimit(
            "publication",
            "检查结果公示",
            20,
            Unit.WORKING,
            "concluded",
            "published",
            "seed 002 公示办法 第二十七条",
        ),
        TimeLimit(
            "archive", "检查结束后立卷归档", 30, Unit.NATURAL, "published", "archived", f"{JL} 第三十二条"
        ),
    ),
)


ALL = (PENALTY_GENERAL, PENALTY_SIMPLE, LICENSING, COERCIVE_MEASURE, INSPECTION)
