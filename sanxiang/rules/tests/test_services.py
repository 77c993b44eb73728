"""Assigning a profile and overriding one rule: versioned rows, never edited, written to the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from sanxiang.errors import InvalidInput, SanxiangError
from sanxiang.ledger.models import Entry
from sanxiang.rules import services
from sanxiang.rules.models import RegionProfile, RuleOverride
from sanxiang.rules.selectors import profile_for, rule_for

ON = dt.date(2026, 6, 1)


def test_assigning_the_demo_region_to_the_kunming_profile_changes_other_decisions_to_20_days(administrator):
    # 《松原市行政执法公示办法》第二十七条 (7) → 昆明 工作方案 二、（一）3 (20)
    assert rule_for("disclosure.period.other", region="220702", on=ON).value == 7
    row = services.assign_profile(
        actor=administrator,
        region="220702",
        profile="kunming",
        effective_from=ON,
        document="某区人民政府关于适用昆明市三项制度规则的决定",
    )
    rule = rule_for("disclosure.period.other", region="220702", on=ON)
    assert (rule.value, rule.profile) == (20, "kunming")
    assert rule.citation.startswith("《昆明市全面推行")
    # the day before the assignment, and the rest of 松原市, keep 松原's rule
    assert rule_for("disclosure.period.other", region="220702", on=ON - dt.timedelta(days=1)).value == 7
    assert rule_for("disclosure.period.other", region="220721", on=ON).value == 7
    assert profile_for(region="220702", on=ON).profile.code == "kunming"
    entry = Entry.objects.get(seq=row.ledger_seq)
    assert entry.kind == "rules.profile_assigned"
    assert '"profile":"kunming"' in entry.body


def test_an_override_cites_its_local_document_and_a_later_one_supersedes_it(administrator):
    first = services.override_rule(
        actor=administrator,
        region="2207",
        key="disclosure.correction.period",
        value="10",
        effective_from=dt.date(2026, 1, 1),
        source_title="《松原市行政执法信息更正工作规定》",
        source_article="第五条",
        source_number="松司发〔2025〕3号",
    )
    rule = rule_for("disclosure.correction.period", region="220702", on=ON)
    assert (rule.value, rule.citation) == (10, "《松原市行政执法信息更正工作规定》第五条")
    assert rule.version_id == f"disclosure.correction.period@override/{first.pk}"
    assert rule.label == "公民、法人或者其他组织要求更正公示信息的，在10个工作日内作出处理"
    services.override_rule(
        actor=administrator,
        region="2207",
        key="disclosure.correction.period",
        value="8",
        effective_from=dt.date(2026, 5, 1),
        source_title="松原市行政执法信息更正工作规定（修订）",
        source_article="第五条",
    )
    assert rule_for("disclosure.correction.period", region="220702", on=ON).value == 8
    assert rule_for("disclosure.correction.period", region="220702", on=dt.date(2026, 4, 30)).value == 10
    assert RuleOverride.objects.count() == 2  # the first row is kept as it was
    assert Entry.objects.filter(kind="rules.rule_overridden").count() == 2


def test_a_more_specific_region_wins_over_a_wider_one(administrator):
    services.override_rule(
        actor=administrator,
        region="22",
        key="record.archive",
        value="20",
        effective_from=ON,
        source_title="吉林省某规定",
        source_article="第三条",
    )
    # 2207 is assigned 松原, which sets 30 days (《松原市行政执法全过程记录实施办法》第三十二条)
    assert rule_for("record.archive", region="220702", on=ON).value == 30
    assert rule_for("record.archive", region="220100", on=ON).value == 20


def test_bad_override_input_is_refused_with_the_field_and_the_rule(administrator):
    with pytest.raises(InvalidInput) as caught:
        services.override_rule(
            actor=administrator,
            region="2207",
            key="review.period",
            value="七",
            effective_from=ON,
            source_title="",
        )
    fields = {e.field: e.message for e in caught.value.errors}
    assert fields["value"] == "取值: 应为非负整数（法制审核期限）"
    assert "依据文件" in fields["source_title"]
    assert not RuleOverride.objects.exists()
    with pytest.raises(InvalidInput) as caught:
        services.assign_profile(
            actor=administrator, region="22x", profile="kunming", effective_from=ON, document="x"
        )
    assert caught.value.errors[0].field == "region"


def test_only_an_administrator_sets_rules(
    officer_a, head_a, head_b, reviewer_b, disclosure_officer_b, supervisor
):
    for actor in (officer_a, head_a, head_b, reviewer_b, disclosure_officer_b, supervisor):
        with pytest.raises(SanxiangError) as caught:
            services.assign_profile(
                actor=actor, region="2207", profile="kunming", effective_from=ON, document="x"
            )
        assert caught.value.status == 403
    assert not RegionProfile.objects.exists()


def test_the_cache_serves_reads_without_queries(django_assert_num_queries, db):
    rule_for("review.period", region="220702", on=ON)
    with django_assert_num_queries(0):
        for _ in range(100):
            rule_for("review.period", region="220702", on=ON)
            rule_for("penalty.service", region="530102", on=ON)


def test_the_command_lists_every_rule_with_value_and_source(capsys, db):
    from sanxiang.rules.catalogue import KEYS

    call_command("rules", region="220702", on="2026-06-01")
    out = capsys.readouterr().out
    assert "适用规则配置：松原市" in out
    for key in KEYS:
        assert key in out
    assert "7个工作日\t《松原市行政执法公示办法》第二十七条" in out
    assert "seed" not in out.lower()
