"""The thresholds the procedures apply come from the rules registry, for the case's region and day,
and every sentence that states one is built from the registry's value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.procedures import registry
from sanxiang.procedures.engine import CaseContext, check_transition
from sanxiang.procedures.fields import Penalty
from sanxiang.procedures.guards import GUARDS
from sanxiang.procedures.library.penalty_simple import simple_fine_limit, simple_procedure_errors
from sanxiang.rules import services as rule_services
from sanxiang.rules.selectors import placeholders

pytestmark = pytest.mark.django_db

SIMPLE = registry.get("penalty_simple")
ON = dt.date(2026, 6, 1)
REGION = "220702"


def _simple_ctx(party_kind: str, amount: str, region: str = REGION) -> CaseContext:
    return CaseContext(
        records={"simple_facts_record": 1, "on_spot_decision": 1},
        facts={
            "facts_certain": True,
            "party_kind": party_kind,
            "penalty_kinds": ["fine"],
            "fine_amount": Decimal(amount),
            "credentials_shown": True,
        },
        today=ON,
        region=region,
    )


def _eligible(ctx: CaseContext) -> bool:
    unmet = check_transition(SIMPLE, "on_spot", "decide_on_spot", ctx)
    return "simple_procedure_eligible" not in {u.rule for u in unmet}


def _record_rule_allows(party_kind: str, amount: str) -> bool:
    penalty = Penalty.of({"penalty_kinds": ["fine"], "fine_amount": amount})
    return not simple_procedure_errors(penalty, party_kind, where="payload", region=REGION, on=ON)


@pytest.mark.parametrize(
    ("party_kind", "amount", "allowed"),
    [
        ("person", "200", True),
        ("person", "200.01", False),
        ("organisation", "3000", True),
        ("organisation", "3000.01", False),
        # a party whose kind is not known gets the 公民 limit, the lower one, in both places
        ("", "200", True),
        ("", "201", False),
    ],
)
def test_the_guard_and_the_record_rule_apply_the_same_simple_procedure_limit(party_kind, amount, allowed):
    # 行政处罚法 第五十一条: 对公民处二百元以下、对法人或者其他组织处三千元以下罚款
    assert _eligible(_simple_ctx(party_kind, amount)) is allowed
    assert _record_rule_allows(party_kind, amount) is allowed


def test_a_local_override_of_the_simple_procedure_limit_applies_to_its_region_only(administrator):
    # 行政处罚法 第五十一条 (the national limit); the override is a cited local document
    rule_services.override_rule(
        actor=administrator,
        region="2207",
        key="penalty.simple.fine_limit_person",
        value="100",
        effective_from=dt.date(2026, 1, 1),
        source_title="《某市适用行政处罚简易程序的规定》",
        source_article="第三条",
    )
    assert simple_fine_limit("person", region=REGION, on=ON).value == Decimal("100")
    assert not _eligible(_simple_ctx("person", "150"))
    assert _eligible(_simple_ctx("person", "150", region="530102"))  # 昆明: the national 200
    errors = simple_procedure_errors(
        Penalty.of({"penalty_kinds": ["fine"], "fine_amount": "150"}),
        "person",
        where="payload",
        region=REGION,
        on=ON,
    )
    assert [e.message for e in errors] == [
        "罚款数额: 简易程序对公民罚款不得超过100元（《某市适用行政处罚简易程序的规定》第三条）"
    ]
    unmet = check_transition(SIMPLE, "on_spot", "decide_on_spot", _simple_ctx("person", "150"))
    refusal = next(u for u in unmet if u.rule == "simple_procedure_eligible")
    assert "对公民处100元以下" in refusal.message


def test_the_officers_minimum_comes_from_the_registry():
    # 行政处罚法 第四十二条: 执法人员不得少于两人
    assert GUARDS["two_valid_officers"].description == "执法人员不少于2名且执法证件有效"


def test_every_placeholder_in_a_guard_or_a_description_is_filled():
    # every sentence shown on the flowcharts and in refusals is built from the registry's values
    for guard in GUARDS.values():
        assert "{" not in guard.description, guard.key
    for defn in registry.definitions():
        assert "{" not in defn.summary, defn.key
    assert "200元" in SIMPLE.summary and "3000元" in SIMPLE.summary
    assert placeholders(SIMPLE.description) == [
        "penalty.simple.fine_limit_person",
        "penalty.simple.fine_limit_organisation",
    ]
