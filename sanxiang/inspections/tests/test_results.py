from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases import services as cases
from sanxiang.cases.tests.factories import present, video
from sanxiang.disclosure.models import Duty
from sanxiang.errors import InvalidInput
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Outcome, ResultState
from sanxiang.inspections.tests.conftest import TZ, announce
from sanxiang.rules.selectors import rule_for
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db


def on(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


@pytest.fixture
def drawn(head_a, plan, traveller):
    draw = announce(head_a, plan)
    traveller.move_to(on(dt.date(2026, 3, 3), 22))
    services.draw_perform(actor=head_a, draw=draw, randomness="03 07 12 19 25 31 + 09")
    return draw


def checked_on_site(inspection, officer):
    """The officer's part in the cases app: go on site with the drawn team, record it on video, conclude."""
    case = inspection.case
    cases.case_transition(actor=officer, case=case, transition="inspect")
    cases.record_add(
        actor=officer,
        case=case,
        kind="onsite_inspection_record",
        payload={"content": "现场检查"},
        blobs=[video()],
        officers=present(case),
    )
    cases.case_transition(actor=officer, case=case, transition="conclude")


def test_each_drawn_object_becomes_an_inspection_case_with_the_drawn_team(officer_a, drawn, traveller):
    traveller.move_to(on(dt.date(2026, 3, 10)))
    target = drawn.targets.order_by("position").first()
    inspection = services.inspection_open(actor=officer_a, target=target)
    case = inspection.case
    assert (case.procedure, case.source, case.stage) == ("inspection", "spot_check", "preparation")
    assert sorted(case.case_officers.values_list("credential_number", flat=True)) == sorted(
        target.inspectors[0]
    )
    assert case.records.filter(kind="inspection_plan").exists()
    assert services.inspection_open(actor=officer_a, target=target) == inspection  # idempotent


def test_results_move_from_entry_to_review_to_return_to_publication(officer_a, head_a, drawn, traveller):
    # result states 未录入 → 待审核 → 审核退回 → 已公示; 《松原市行政执法公示办法》第三十条 (internal review)
    traveller.move_to(on(dt.date(2026, 3, 10)))
    inspection = services.inspection_open(actor=officer_a, target=drawn.targets.order_by("position").first())
    assert selectors.result_state(inspection) == ResultState.PENDING_ENTRY
    checked_on_site(inspection, officer_a)
    entry = services.result_enter(
        actor=officer_a,
        inspection=inspection,
        outcome=Outcome.NO_PROBLEM,
        description="索证索票齐全",
        checked_on=dt.date(2026, 3, 10),
    )
    assert selectors.result_state(inspection) == ResultState.PENDING_REVIEW
    with pytest.raises(services.Forbidden):
        services.result_review(
            actor=officer_a, entry=entry, approve=True
        )  # a head or disclosure officer reviews
    with pytest.raises(InvalidInput):
        services.result_review(actor=head_a, entry=entry, approve=False)  # a return states its reason
    services.result_review(actor=head_a, entry=entry, approve=False, note="检查情况过简，请补充")
    assert selectors.result_state(inspection) == ResultState.RETURNED
    second = services.result_enter(
        actor=officer_a,
        inspection=inspection,
        outcome=Outcome.CORRECTED,
        description="进货查验记录不全，已责令改正",
        checked_on=dt.date(2026, 3, 10),
    )
    assert second.number == 2 and inspection.entries.count() == 2  # the returned entry stays
    services.result_review(actor=head_a, entry=second, approve=True)
    assert selectors.result_state(inspection) == ResultState.PUBLISHED
    duty = Duty.objects.get(source_kind="inspection", source_ref=inspection.case.number)
    assert duty.status == "published"
    row = selectors.published_results()[0]
    assert row["result"] == "发现问题已责令改正" and row["credit_code"] == inspection.target.code


def test_results_are_due_within_the_jurisdictions_period_in_working_days(officer_a, drawn, traveller):
    # 《企业信息公示暂行条例》第六条 / 《松原市行政执法公示办法》第二十七条: 抽查结果20个工作日内公示;
    # the period counts working days across the 清明 holiday (2026-04-04..06)
    traveller.move_to(on(dt.date(2026, 3, 31)))
    inspection = services.inspection_open(actor=officer_a, target=drawn.targets.order_by("position").first())
    entry = services.result_enter(
        actor=officer_a,
        inspection=inspection,
        outcome=Outcome.NO_PROBLEM,
        description="未发现问题",
        checked_on=dt.date(2026, 3, 31),
    )
    rule = rule_for("disclosure.period.inspection", region="220702", on=dt.date(2026, 3, 31))
    assert rule.value == 20 and rule.unit == "working_days"
    assert entry.due_date == add_working_days(dt.date(2026, 3, 31), 20, region="220702").due
    assert entry.due_date > dt.date(2026, 3, 31) + dt.timedelta(days=28)  # holidays and weekends skipped
    assert entry.rule_version == rule.version_id and entry.rule_citation == rule.citation


def test_a_case_opened_result_names_the_penalty_case_opened_from_it(officer_a, drawn, traveller):
    # 《中华人民共和国行政处罚法》第五十四条: 发现违法的，依法立案查处
    traveller.move_to(on(dt.date(2026, 3, 10)))
    inspection = services.inspection_open(actor=officer_a, target=drawn.targets.order_by("position").first())
    with pytest.raises(InvalidInput) as refused:
        services.result_enter(
            actor=officer_a,
            inspection=inspection,
            outcome=Outcome.CASE_OPENED,
            description="无证经营",
            checked_on=dt.date(2026, 3, 10),
            penalty_case_number="不存在的案号",
        )
    assert (
        refused.value.errors[0].field == "penalty_case_number"
        and "第五十四条" in refused.value.errors[0].message
    )


def test_another_agency_cannot_open_or_see_an_inspection(officer_a, officer_b, drawn, traveller):
    traveller.move_to(on(dt.date(2026, 3, 10)))
    target = drawn.targets.order_by("position").first()
    from sanxiang.errors import NotFound

    with pytest.raises(NotFound):
        services.target_for(officer_b, target.public_id)
    inspection = services.inspection_open(actor=officer_a, target=target)
    with pytest.raises(NotFound):
        selectors.inspection_for(officer_b, inspection.public_id)
