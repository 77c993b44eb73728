"""The counting rules of enforcement statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.registry.models import Agency
from sanxiang.supervision.statistics import NO_DUTY, Figures, Period
from sanxiang.supervision.tests.helpers import a_case, catalogue_item, decision_row
from sanxiang.testing.factories import OfficerFactory

P = "penalty"
YEAR = Period.year(2026)


def table(figures: Figures, key: str):
    return next(t for t in figures.tables() if t.key == key)


def row(t, name: str) -> dict[str, str]:
    cells = dict(t.rows)[name]
    return {col: c.display for col, c in zip(t.columns, cells, strict=True)}


@pytest.fixture
def a_with_penalty_power(agency_a, head_a):
    catalogue_item(agency_a, head_a, category="penalty")
    return agency_a


def test_a_decision_counts_once_under_its_heaviest_penalty(officer_a, a_with_penalty_power):
    # 行政处罚法 第九条: the kinds in order; 并处 counts once, under the heaviest
    decision_row(
        a_case(officer_a),
        lines=[(P, "warning", None, 0), (P, "fine", "5000", 0), (P, "confiscate_gains", "1200.50", 0)],
    )
    decision_row(a_case(officer_a), lines=[(P, "fine", "200", 0)])
    decision_row(a_case(officer_a), lines=[(P, "fine", "3000", 0), (P, "revoke_permit", None, 0)])
    decision_row(a_case(officer_a), lines=[(P, "criticism", None, 0)])
    figures = Figures(Agency.objects.filter(pk=a_with_penalty_power.pk), YEAR)
    r = row(table(figures, "penalties"), a_with_penalty_power.name)
    assert r["没收违法所得、没收非法财物"] == "1"
    assert r["罚款"] == "1"
    assert r["吊销许可证件"] == "1"
    assert r["警告、通报批评"] == "1"
    assert r["合计"] == "4"
    assert row(table(figures, "behaviours"), a_with_penalty_power.name)["行政处罚"] == "4"


def test_fines_and_confiscations_are_summed_as_fixed_in_the_decision_and_a_corrected_document_replaces_its_row(
    officer_a, a_with_penalty_power
):
    # 罚没金额 as the 决定书 fixes it; 《松原市行政执法全过程记录实施办法》: a correction is a new record
    decision_row(a_case(officer_a), lines=[(P, "fine", "5000", 0), (P, "confiscate_gains", "1200.50", 0)])
    first = decision_row(a_case(officer_a), lines=[(P, "fine", "200", 0)])
    decision_row(first.case, lines=[(P, "fine", "300", 0)], corrects=first)
    figures = Figures(Agency.objects.filter(pk=a_with_penalty_power.pk), YEAR)
    r = row(table(figures, "penalties"), a_with_penalty_power.name)
    assert r["罚款金额（元）"] == "5,300.00"
    assert r["没收金额（元）"] == "1,200.50"
    assert r["罚没金额合计（元）"] == "6,500.50"
    assert r["合计"] == "2"
    assert figures.amounts()[a_with_penalty_power.pk]["fine"] == Decimal("5300.00")


def test_a_power_not_used_is_zero_and_a_power_the_agency_lacks_is_no_duty(
    officer_a, a_with_penalty_power, agency_b
):
    # 行政执法事项清单 (《松原市行政执法公示办法》第二十二条) says which powers an agency has
    figures = Figures(Agency.objects.filter(pk__in=[a_with_penalty_power.pk, agency_b.pk]), YEAR)
    behaviours = table(figures, "behaviours")
    a = row(behaviours, a_with_penalty_power.name)
    b = row(behaviours, agency_b.name)
    assert a["行政处罚"] == "0" and a["行政许可"] == NO_DUTY
    assert b["行政处罚"] == NO_DUTY
    assert row(table(figures, "penalties"), agency_b.name)["罚款金额（元）"] == NO_DUTY
    assert row(table(figures, "licensing"), a_with_penalty_power.name)["准予"] == NO_DUTY


def test_licences_granted_and_refused_and_measures_apart_from_executions(officer_a, agency_a, head_a):
    # 行政许可法 第三十八条 (准予/不予); 行政强制法 第九条 (措施) and 第十二条 (执行)
    catalogue_item(agency_a, head_a, category="licensing", code="XK-1")
    catalogue_item(agency_a, head_a, category="coercion", code="QZ-1")
    decision_row(a_case(officer_a, procedure="licensing", title="食品经营许可"), kind="licence", granted=True)
    decision_row(
        a_case(officer_a, procedure="licensing", title="食品经营许可"), kind="licence", granted=False
    )
    decision_row(
        a_case(officer_a), kind="measure", lines=[("measure", "seize", None, 0), ("measure", "seal", None, 0)]
    )
    figures = Figures(Agency.objects.filter(pk=agency_a.pk), YEAR)
    lic = row(table(figures, "licensing"), agency_a.name)
    assert lic["申请"] == "2" and lic["准予"] == "1" and lic["不予许可"] == "1" and lic["撤销"] == "0"
    coer = row(table(figures, "coercion"), agency_a.name)
    assert coer["措施：查封"] == "1" and coer["措施：扣押"] == "1" and coer["执行：代履行"] == "0"


def test_credential_rate_and_reviewers_against_the_jurisdictions_ratio(agency_a):
    # 国办发〔2018〕118号 四、（十一）: 法制审核人员原则上不少于执法人员总数的5%
    for _ in range(3):
        OfficerFactory(agency=agency_a)
    OfficerFactory(agency=agency_a, valid_until=dt.date(2026, 6, 30))
    figures = Figures(Agency.objects.filter(pk=agency_a.pk), YEAR)
    r = row(table(figures, "indicators"), agency_a.name)
    assert r["执法人员（持有效证件）"] == "3"
    assert r["持证率"] == "75%"
    assert r["应配审核人员"] == "1" and r["法制审核人员"] == "0"
