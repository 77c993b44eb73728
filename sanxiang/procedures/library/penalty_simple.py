"""行政处罚简易程序: its stages, records and their fields, record rules, periods, numbering and disclosure."""

from __future__ import annotations

import datetime as dt

from sanxiang.errors import FieldError
from sanxiang.procedures.definitions import (
    ProcedureDefinition,
    Stage,
    TimeLimit,
    Unit,
)
from sanxiang.procedures.fields import (
    CONTENT,
    DOC_NO,
    PENALTY,
    SEVERITY,
    Field,
    Penalty,
)
from sanxiang.procedures.library.common import (
    ARCHIVE,
    CLOSING,
    DECISION_CHANGE,
    JL,
    R,
    Req,
    T,
    archive_limit,
    common_fields,
    payment_limit,
)

# 行政处罚法 第五十一条
SIMPLE_SOURCE = "行政处罚法 第五十一条"


# The rules-registry key of each kind of party's limit (行政处罚法 第五十一条).
SIMPLE_FINE_LIMIT_RULES = {
    "person": "penalty.simple.fine_limit_person",
    "organisation": "penalty.simple.fine_limit_organisation",
}
PARTY_WORDS = {"person": "公民", "organisation": "法人或者其他组织"}


def simple_fine_limit(party_kind: str, *, region: str | None, on: dt.date):
    """The most the simple procedure may fine a party of ``party_kind`` (``person`` /
    ``organisation``) for ``region`` on ``on``: the rules registry's ``penalty.simple.fine_limit_*``
    (行政处罚法 第五十一条). A party whose kind is not known gets the 公民 limit, the lower one — the
    one place both the transition guard and the record rule read it."""
    from sanxiang.rules.selectors import rule_for

    key = SIMPLE_FINE_LIMIT_RULES.get(party_kind, SIMPLE_FINE_LIMIT_RULES["person"])
    return rule_for(key, region=region, on=on)


SIMPLE_KINDS = frozenset({"warning", "fine"})


# ---------------------------------------------------------------- record fields

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "simple_facts_record": (
        Field("facts", "违法事实", "textarea", required=True),
        Field("basis", "法律依据", "text", required=True),
        Field("facts_certain", "违法事实确凿并有法定依据", "bool", help="行政处罚法 第五十一条"),
        *PENALTY,
    ),
    "on_spot_decision": (DOC_NO, *PENALTY, SEVERITY, CONTENT),
    "fine_collection": (Field("amount", "收缴金额（元）", "decimal", required=True), CONTENT),
}


# ---------------------------------------------------------------- record rules


def simple_procedure_errors(
    penalty: Penalty | None, party_kind: str, *, where: str, region: str | None, on: dt.date
) -> list[FieldError]:
    """简易程序: only a warning, or a fine up to the registry's limit for 公民 / 法人或者其他组织."""
    if penalty is None:
        return []
    if not penalty.kinds <= SIMPLE_KINDS:
        return [
            FieldError(
                f"{where}.penalty_kinds",
                "simple_procedure_kind",
                f"处罚种类: 简易程序只能给予警告或罚款（{SIMPLE_SOURCE}）",
            )
        ]
    limit = simple_fine_limit(party_kind, region=region, on=on)
    if "fine" in penalty.kinds and penalty.fine > limit.value:
        who = PARTY_WORDS.get(party_kind, PARTY_WORDS["person"])
        return [
            FieldError(
                f"{where}.fine_amount",
                "simple_procedure_fine",
                f"罚款数额: 简易程序对{who}罚款不得超过{limit.display_value}（{limit.citation}）",
            )
        ]
    return []


def _simple_limits(view, payload, made_at) -> list[FieldError]:
    return simple_procedure_errors(
        Penalty.of(payload),
        view.party_kind,
        where="payload",
        region=view.case.agency.region_code,
        on=view.today,
    )


# ---------------------------------------------------------------- the definition

PENALTY_SIMPLE = ProcedureDefinition(
    key="penalty_simple",
    name="行政处罚简易程序",
    law="penalty",
    source="行政处罚法 第五章第二节",
    description="违法事实确凿并有法定依据，对公民处{penalty.simple.fine_limit_person}以下、对法人或者其他组织处"
    "{penalty.simple.fine_limit_organisation}以下罚款或者警告的，可以当场作出行政处罚决定。",
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
    number_prefix="简罚",
    record_fields={
        **common_fields(
            "statement_defence",
            "defence_review",
            "performance_record",
            "decision_change_record",
            "closing_report",
            "archive_record",
        ),
        **RECORD_FIELDS,
    },
    record_rules={"simple_facts_record": (_simple_limits,), "on_spot_decision": (_simple_limits,)},
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
                    "行政处罚法 第五十二条第三款; 《松原市行政执法全过程记录实施办法》第二十二条第五项",
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
            None,
            Unit.WORKING,
            "fine_collected",
            "fine_deposited",
            "行政处罚法 第七十一条、第八十五条",
            rule="penalty.simple.deposit",
        ),
        payment_limit(from_event="decided"),
        archive_limit(name="结案后立卷归档", from_event="closed"),
    ),
)


DEFINITION = PENALTY_SIMPLE
