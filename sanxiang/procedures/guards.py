"""Named guards: the predicates a definition refers to by name, each with its legal source.

A guard reads only the ``CaseContext`` the caller (the cases app) builds: the records made, the
events and their dates, and a few named facts. The fact names are the contract with the cases
app; ``FACTS`` lists them with their meaning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanxiang.procedures.definitions import ProcedureDefinition
    from sanxiang.procedures.engine import CaseContext


@dataclass(frozen=True)
class Guard:
    key: str
    # what must hold, in Chinese; shown on the flowchart and in refusals. A period, amount or count
    # in it is a ``{rule.key}`` placeholder filled from the rules registry (``describe``).
    template: str
    source: str
    predicate: Callable[[CaseContext, ProcedureDefinition], bool]

    def describe(self, *, region: str | None = None, on: dt.date | None = None) -> str:
        from sanxiang.rules.selectors import fill

        return fill(self.template, region=region, on=on)

    @property
    def description(self) -> str:
        """What must hold, as the national profile has it today (the public flowcharts)."""
        return self.describe()


GUARDS: dict[str, Guard] = {}

# Facts the cases app supplies in CaseContext.facts (key -> meaning).
FACTS: dict[str, str] = {
    "filing_approved": "立案审批已由承办人、审核人、批准人完成 (bool)",
    "emergency_reason": "情况紧急先行启动的理由 (str)",
    "reporter_named": "投诉举报人为实名 (bool)",
    "reporter_informed": "已告知投诉举报人不予立案 (bool)",
    "valid_officers": "证件在类别、区域、日期上均有效的执法人员人数 (int)",
    "credentials_shown": "已出示执法证件 (bool)",
    "hearing_eligible": "拟作出的处罚属于行政处罚法第六十三条可以要求听证的情形 (bool)",
    "hearing_waived": "当事人明确放弃听证 (bool)",
    "defence_heard": "已听取当事人陈述、申辩，或当事人明确放弃 (bool)",
    "penalty_increased_after_defence": "因当事人陈述申辩而加重了拟处罚 (bool)",
    "is_major": "属于重大执法决定 (bool; catalog.services.is_major_decision 的结果非空)",
    "legal_review_passed": "法制审核已通过 (bool)",
    "legal_review_requested": "已送法制审核（含非重大、机关认为需要审核的） (bool)",
    "collective_discussion_required": "情节复杂或重大违法，须集体讨论 (bool)",
    "enforcement_needed": "当事人逾期不履行，需要强制执行 (bool)",
    "performed": "当事人已履行完毕，或已强制执行完毕，或终结执行 (bool)",
    "no_penalty_decided": "作出的是不予行政处罚决定，没有须履行的处罚 (bool)",
    "facts_certain": "违法事实确凿并有法定依据 (bool)",
    "party_kind": "当事人类别: person / organisation (str)",
    "penalty_kinds": "拟作出的处罚种类 (list[str]，见 catalog PenaltyKind)",
    "fine_amount": "拟罚款数额，元 (Decimal)",
    "fine_collected_on_spot": "当场收缴罚款 (bool)",
    "application_complete": "申请材料齐全、符合法定形式 (bool)",
    "head_approved": "行政机关负责人已批准 (bool)",
    "emergency": "情况紧急需要当场实施 (bool)",
    "party_or_witness_present": "当事人到场，或当事人不到场时有见证人到场 (bool)",
    "problems_found": "检查发现问题 (bool)",
}


def guard(key: str, description: str, source: str):
    def register(fn: Callable[[CaseContext, ProcedureDefinition], bool]):
        if key in GUARDS:
            raise ValueError(f"guard {key!r} registered twice")
        GUARDS[key] = Guard(key=key, template=description, source=source, predicate=fn)
        return fn

    return register


def _flag(ctx: CaseContext, name: str) -> bool:
    return bool(ctx.facts.get(name, False))


def _rule(ctx: CaseContext, key: str):
    """The rule ``key`` for the case's region on the case's day (the rules registry)."""
    from sanxiang.rules.selectors import rule_for

    return rule_for(key, region=ctx.region, on=ctx.local_today())


def _limit_state(ctx: CaseContext, defn: ProcedureDefinition, limit_key: str) -> str | None:
    from sanxiang.procedures.engine import deadline_for_limit

    status = deadline_for_limit(defn, defn.time_limit(limit_key), ctx)
    return status.state


# --- starting a case (《松原市行政执法全过程记录实施办法》第八、九、三十八条) ---


@guard(
    "filing_approved",
    "立案审批已经承办人提出、审核人审核、批准人批准",
    "《松原市行政执法全过程记录实施办法》第八条、第三十八条",
)
def _filing_approved(ctx, defn):
    return _flag(ctx, "filing_approved")


@guard(
    "emergency_reason_recorded", "已记录情况紧急先行启动的理由", "《松原市行政执法全过程记录实施办法》第八条"
)
def _emergency_reason(ctx, defn):
    return bool(str(ctx.facts.get("emergency_reason", "")).strip())


@guard(
    "named_reporter_informed",
    "实名投诉、举报经审查不启动程序的，已告知投诉人、举报人",
    "《松原市行政执法全过程记录实施办法》第九条",
)
def _reporter_informed(ctx, defn):
    return not _flag(ctx, "reporter_named") or _flag(ctx, "reporter_informed")


# --- investigation ---


@guard(
    "two_valid_officers",
    "执法人员不少于{penalty.officers_minimum}且执法证件有效",
    "行政处罚法 第四十二条; 《松原市行政执法全过程记录实施办法》第十条",
)
def _two_officers(ctx, defn):
    try:
        present = int(ctx.facts.get("valid_officers", 0))
    except (TypeError, ValueError):
        return False
    return present >= int(_rule(ctx, "penalty.officers_minimum").value or 0)


@guard(
    "credentials_shown",
    "已主动出示执法证件",
    "行政处罚法 第五十五条; 《松原市行政执法全过程记录实施办法》第十条",
)
def _credentials_shown(ctx, defn):
    return _flag(ctx, "credentials_shown")


@guard("evidence_preserved", "已先行登记保存证据", "行政处罚法 第五十六条")
def _evidence_preserved(ctx, defn):
    return ctx.has("evidence_preservation")


# --- notice, defence and hearing ---


@guard("hearing_eligible", "拟作出的处罚属于当事人可以要求听证的情形", "行政处罚法 第六十三条")
def _hearing_eligible(ctx, defn):
    return _flag(ctx, "hearing_eligible")


@guard("hearing_requested_in_time", "当事人在告知后法定期限内提出了听证申请", "行政处罚法 第六十四条第一项")
def _hearing_requested_in_time(ctx, defn):
    return _limit_state(ctx, defn, "hearing_request") == "met"


@guard(
    "hearing_window_closed",
    "听证申请期限已届满，或当事人已提出或明确放弃听证",
    "行政处罚法 第六十四条第一项",
)
def _hearing_window_closed(ctx, defn):
    if not _flag(ctx, "hearing_eligible") or _flag(ctx, "hearing_waived"):
        return True
    return _limit_state(ctx, defn, "hearing_request") in {"met", "late", "lapsed"}


@guard("hearing_notice_timely", "听证通知在举行听证的法定天数之前送达", "行政处罚法 第六十四条第二项")
def _hearing_notice_timely(ctx, defn):
    return _limit_state(ctx, defn, "hearing_notice") == "met"


@guard("defence_heard", "已告知并听取当事人的陈述、申辩", "行政处罚法 第六十二条")
def _defence_heard(ctx, defn):
    return _flag(ctx, "defence_heard")


@guard("no_heavier_for_defence", "未因当事人陈述、申辩而给予更重的处罚", "行政处罚法 第四十五条第二款")
def _no_heavier(ctx, defn):
    return not _flag(ctx, "penalty_increased_after_defence")


# --- legal review, collective discussion, decision ---


@guard(
    "is_major",
    "属于重大执法决定，须法制审核",
    "行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第三条",
)
def _is_major(ctx, defn):
    return _flag(ctx, "is_major")


@guard(
    "legal_review_passed_if_major",
    "重大执法决定（或已送审的决定）已经法制审核且审核通过",
    "行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第四条",
)
def _review_passed(ctx, defn):
    required = _flag(ctx, "is_major") or _flag(ctx, "legal_review_requested")
    return not required or _flag(ctx, "legal_review_passed")


@guard(
    "collective_discussion_required", "情节复杂或者重大违法行为，须集体讨论", "行政处罚法 第五十七条第二款"
)
def _collective_required(ctx, defn):
    return _flag(ctx, "collective_discussion_required")


@guard(
    "collective_discussion_held_if_required",
    "须集体讨论的，已集体讨论决定",
    "行政处罚法 第五十七条第二款; 《松原市行政执法全过程记录实施办法》第十九条",
)
def _collective_held(ctx, defn):
    return not _flag(ctx, "collective_discussion_required") or ctx.has("collective_discussion_minutes")


# --- execution ---


@guard(
    "enforcement_needed", "当事人逾期不履行，需要强制执行", "《松原市行政执法全过程记录实施办法》第二十九条"
)
def _enforcement_needed(ctx, defn):
    return _flag(ctx, "enforcement_needed")


@guard("performed", "行政决定已履行或执行完毕", "《松原市行政执法全过程记录实施办法》第二十八条")
def _performed(ctx, defn):
    return _flag(ctx, "performed")


@guard(
    "no_penalty_decided",
    "作出的是不予行政处罚决定（没有须履行或执行的处罚）",
    "行政处罚法 第五十七条第一款第二项",
)
def _no_penalty_decided(ctx, defn):
    return _flag(ctx, "no_penalty_decided")


@guard("penalty_to_perform", "决定给予了行政处罚（不予处罚的，送达后结案）", "行政处罚法 第五十七条第一款")
def _penalty_to_perform(ctx, defn):
    return not _flag(ctx, "no_penalty_decided")


@guard("fine_to_pay", "决定给予了罚款", "行政处罚法 第六十六条")
def _fine_to_pay(ctx, defn):
    return not _flag(ctx, "no_penalty_decided") and "fine" in (ctx.facts.get("penalty_kinds") or ())


@guard("fine_collected_on_spot", "当场收缴了罚款", "行政处罚法 第六十八条、第七十一条")
def _collected_on_spot(ctx, defn):
    return _flag(ctx, "fine_collected_on_spot")


# --- simple procedure (行政处罚法 第五十一条) ---


@guard(
    "simple_procedure_eligible",
    "违法事实确凿并有法定依据，对公民处{penalty.simple.fine_limit_person}以下、"
    "对法人或者其他组织处{penalty.simple.fine_limit_organisation}以下罚款或者警告",
    "行政处罚法 第五十一条",
)
def _simple_eligible(ctx, defn):
    from sanxiang.procedures.library.penalty_simple import SIMPLE_KINDS, simple_fine_limit

    if not _flag(ctx, "facts_certain"):
        return False
    kinds = set(ctx.facts.get("penalty_kinds") or ())
    if not kinds or not kinds <= SIMPLE_KINDS:
        return False
    if "fine" not in kinds:
        return True
    limit = simple_fine_limit(str(ctx.facts.get("party_kind", "")), region=ctx.region, on=ctx.local_today())
    try:
        amount = Decimal(str(ctx.facts.get("fine_amount")))
    except (ArithmeticError, ValueError):
        return False
    return Decimal(0) < amount <= limit.value


# --- licensing (行政许可法) ---


@guard("application_complete", "申请材料齐全、符合法定形式", "行政许可法 第三十二条第一款第五项")
def _application_complete(ctx, defn):
    return _flag(ctx, "application_complete")


@guard(
    "licensing_hearing_requested_in_time",
    "申请人、利害关系人在告知后{licensing.hearing.request}内提出听证申请",
    "行政许可法 第四十七条",
)
def _licensing_hearing_requested(ctx, defn):
    return _limit_state(ctx, defn, "hearing_request") == "met"


@guard(
    "licensing_hearing_notice_timely",
    "听证通知于举行听证的{licensing.hearing.notice}前送达",
    "行政许可法 第四十八条第一款第一项",
)
def _licensing_hearing_notice(ctx, defn):
    return _limit_state(ctx, defn, "hearing_notice") == "met"


# --- coercive measures (行政强制法) ---


@guard("head_approved", "实施前已向行政机关负责人报告并经批准", "行政强制法 第十八条第一项")
def _head_approved(ctx, defn):
    return _flag(ctx, "head_approved")


@guard("emergency", "情况紧急，需要当场实施行政强制措施", "行政强制法 第十九条")
def _emergency(ctx, defn):
    return _flag(ctx, "emergency")


@guard(
    "party_or_witness_present",
    "通知当事人到场；当事人不到场的，邀请见证人到场",
    "行政强制法 第十八条第四项、第九项",
)
def _party_or_witness(ctx, defn):
    return _flag(ctx, "party_or_witness_present")


@guard("emergency_not_approved", "负责人认为不应当采取行政强制措施，应当立即解除", "行政强制法 第十九条")
def _emergency_not_approved(ctx, defn):
    return not _flag(ctx, "head_approved")


# --- inspection ---


@guard("problems_found", "检查发现违法问题，需要立案查处", "行政处罚法 第五十四条")
def _problems_found(ctx, defn):
    return _flag(ctx, "problems_found")
