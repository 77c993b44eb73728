"""The day tallies give the figures of the live computation: before the first sweep, after it, and
with decisions, corrected 决定书, licensing applications and acceptances written after it (those
days are computed live, those rows added to the stored counts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.cases.models import CaseEvent, CaseRecord
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Agency
from sanxiang.supervision.dashboard import build
from sanxiang.supervision.models import DecisionTally, StepTally, TallyMark
from sanxiang.supervision.statistics import Figures, Period
from sanxiang.supervision.tallies import tally_sweep
from sanxiang.supervision.tests.helpers import a_case, catalogue_item, decision_row

P = "penalty"
YEAR = Period.year(2026)


def _snapshot(agencies, period=YEAR) -> tuple:
    tallied = Figures(agencies, period)
    live = Figures(agencies, period, tallied=False)
    return (
        [t.as_json() for t in tallied.tables()],
        tallied.monthly(),
    ), ([t.as_json() for t in live.tables()], live.monthly())


def _local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def _event(case, transition: str, at: dt.datetime) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind="transition", transition=transition, at=at, actor=case.opened_by, ledger_seq=0
    )


def _application(officer, at: dt.datetime):
    """A licensing case (申请) registered at ``at``."""
    from sanxiang.cases.models import Case

    case = a_case(officer, procedure="licensing", title="食品经营许可申请")
    Case.objects.filter(pk=case.pk).update(opened_at=at)
    case.refresh_from_db()
    return case


def _table(snapshot, key: str) -> dict:
    return next(t for t in snapshot[0] if t["key"] == key)


def _assert_same(agencies, period=YEAR) -> None:
    tallied, live = _snapshot(agencies, period)
    assert tallied == live


@pytest.fixture
def decisions(officer_a, officer_b, agency_a, agency_b, head_a, head_b):
    catalogue_item(agency_a, head_a, category="penalty")
    catalogue_item(agency_b, head_b, category="licensing")
    # 行政处罚法 第九条: 并处 counts once under the heaviest; 罚没金额 as the 决定书 fixes it
    decision_row(
        a_case(officer_a),
        on=dt.date(2026, 1, 31),
        lines=[(P, "warning", None, 0), (P, "fine", "5000", 0), (P, "confiscate_gains", "1200.50", 0)],
    )
    decision_row(a_case(officer_a), on=dt.date(2026, 2, 1), lines=[(P, "fine", "200.10", 0)])
    decision_row(a_case(officer_a), on=dt.date(2026, 2, 1), lines=[(P, "other_kind", None, 0)])
    decision_row(a_case(officer_a), on=dt.date(2026, 3, 2), lines=[(P, "revoke_permit", None, 0)])
    decision_row(
        a_case(officer_a), on=dt.date(2026, 3, 2), kind="measure", lines=[("measure", "seal", None, 0)]
    )
    decision_row(a_case(officer_a), on=dt.date(2026, 4, 5), kind="levy", lines=[("levy", "fee", "88.80", 0)])
    decision_row(a_case(officer_a), on=dt.date(2025, 12, 31), lines=[(P, "fine", "999", 0)])
    decision_row(a_case(officer_b), on=dt.date(2026, 5, 6), kind="licence", granted=True)
    decision_row(a_case(officer_b), on=dt.date(2026, 5, 6))
    decision_row(a_case(officer_b), on=dt.date(2026, 5, 7), kind="licence", granted=False)
    # 行政强制法 第九条: a decision counts once under each measure it imposes; other measures apart
    decision_row(
        a_case(officer_a),
        on=dt.date(2026, 3, 3),
        kind="measure",
        lines=[("measure", "seize", None, 0), ("measure", "freeze", None, 0), ("measure", "detain", None, 0)],
    )
    decision_row(
        a_case(officer_a),
        on=dt.date(2026, 3, 3),
        kind="measure",
        lines=[("measure", "seal", None, 0), ("measure", "detain", None, 0), ("measure", "close", None, 0)],
    )
    # 行政许可: 申请 (a licensing case opened), 受理 / 不予受理 by the local day of the event
    application = _application(officer_b, _local(2026, 3, 1, 9, 0))
    _event(application, "accept", _local(2026, 12, 31, 23, 30))
    _event(application, "refuse_acceptance", _local(2027, 1, 1, 0, 10))
    _event(application, "accept", _local(2026, 6, 1, 0, 5))
    # 行政强制法 第十二条: 代履行 recorded in the last minutes of the year
    now = timezone.now()
    CaseRecord.objects.create(
        case=application,
        kind="enforcement_record",
        stage=application.stage,
        payload={"measure": "代履行"},
        made_at=_local(2026, 12, 31, 23, 50),
        uploaded_at=now,
        made_by=application.opened_by,
        ledger_seq=0,
    )
    return Agency.objects.filter(pk__in=[agency_a.pk, agency_b.pk])


def test_before_any_sweep_the_figures_are_the_live_ones(decisions):
    assert not TallyMark.objects.exists()
    _assert_same(decisions)
    tallied, _ = _snapshot(decisions)
    licensing, coercion = _table(tallied, "licensing"), _table(tallied, "coercion")
    # 申请 1, 受理 2 (the event of 2027-01-01 00:10 is next year's), 准予 1, 不予许可 1
    assert licensing["total"][:5] == [1, 2, 0, 1, 1]
    assert coercion["total"][:4] == [2, 1, 1, 3]  # 查封、扣押、冻结、其他 (detain twice, close once)
    assert coercion["total"][coercion["columns"].index("执行：代履行")] == 1


def test_licensing_steps_written_after_the_sweep_count_at_once_and_the_next_sweep_adds_them(
    decisions, officer_b
):
    first = tally_sweep()
    # 申请 of 3月1日, 受理 of 6月1日 and 12月31日, 不予受理 of 2027-01-01
    assert first.steps == StepTally.objects.count() == 4
    application = _application(officer_b, _local(2026, 3, 1, 10, 0))
    _event(application, "accept", _local(2026, 6, 1, 8, 0))
    _event(application, "refuse_acceptance", _local(2026, 6, 2, 8, 0))
    _assert_same(decisions)
    assert _table(_snapshot(decisions)[0], "licensing")["total"][:3] == [2, 3, 1]
    report = tally_sweep()
    assert report.steps == 3  # 申请 of 3月1日 and 受理 of 6月1日 added to, 不予受理 of 6月2日 new
    _assert_same(decisions)
    again = tally_sweep()
    assert (again.steps, again.rows) == (0, 0)
    _assert_same(decisions, Period(dt.date(2026, 6, 1), dt.date(2026, 6, 1)))


def test_after_the_sweep_the_figures_are_the_live_ones_and_a_second_sweep_writes_nothing(decisions):
    first = tally_sweep()
    assert first.rows == DecisionTally.objects.count() > 0
    _assert_same(decisions)
    entries = Entry.objects.filter(kind="supervision.tally_sweep").count()
    second = tally_sweep()
    assert (second.days, second.rows) == (0, 0)
    assert Entry.objects.filter(kind="supervision.tally_sweep").count() == entries == 1
    _assert_same(decisions)


def test_decisions_and_corrections_written_after_the_sweep_count_at_once_and_the_next_sweep_stores_them(
    decisions, officer_a
):
    tally_sweep()
    # 《松原市行政执法全过程记录实施办法》: a corrected 决定书 is a new row that replaces the one it corrects
    first = decision_row(a_case(officer_a), on=dt.date(2026, 6, 1), lines=[(P, "fine", "100", 0)])
    tally_sweep()
    earlier = decisions.get(pk=officer_a.agency_id)
    decision_row(first.case, on=dt.date(2026, 6, 2), lines=[(P, "fine", "300", 0)], corrects=first)
    decision_row(a_case(officer_a), on=dt.date(2026, 1, 31), lines=[(P, "detention", None, 0)])
    tallied, live = _snapshot(decisions)
    assert tallied == live
    penalties = next(t for t in tallied[0] if t["key"] == "penalties")
    row = next(r for r in penalties["rows"] if r["agency"] == earlier.name)
    assert row["values"][penalties["columns"].index("罚款金额（元）")] == "5500.10"
    report = tally_sweep()
    assert report.days == 3  # 1月31日, 6月1日 (the replaced row) and 6月2日
    _assert_same(decisions)
    _assert_same(decisions, Period(dt.date(2026, 1, 15), dt.date(2026, 2, 1)))


def test_the_dashboard_built_from_the_tallies_is_the_live_dashboard(decisions):
    tally_sweep()
    tallied, live = build(decisions, YEAR), build(decisions, YEAR, tallied=False)
    assert tallied.summary == live.summary
    assert [(c.key, c.columns, c.rows) for c in tallied.charts] == [
        (c.key, c.columns, c.rows) for c in live.charts
    ]
    assert [t.as_json() for t in tallied.tables] == [t.as_json() for t in live.tables]
