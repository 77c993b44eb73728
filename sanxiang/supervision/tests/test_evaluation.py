"""案卷评查: the standard's vetoes and deductions, the draw and who may evaluate which case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry
from sanxiang.supervision import evaluations
from sanxiang.supervision.models import Rectification, StandardItem
from sanxiang.supervision.standards import install, score
from sanxiang.supervision.tests.helpers import a_case
from sanxiang.testing.factories import UserFactory


@pytest.fixture
def standard(db):
    return install()


def items(standard):
    return list(StandardItem.objects.filter(standard=standard))


def test_the_shipped_standard_has_nine_vetoes_and_20_plus_80_points(standard):
    # 《测绘地理信息行政处罚案卷评查标准》: 基本标准9项; 卷面20分; 内容80分
    rows = items(standard)
    assert sum(1 for i in rows if i.section == "veto") == 9
    assert sum(i.points for i in rows if i.section == "form") == standard.form_points == 20
    assert sum(i.points for i in rows if i.section == "content") == standard.content_points == 80


def test_a_veto_item_fails_the_case_whatever_its_points(standard):
    # 《测绘地理信息行政处罚案卷评查标准》: 基本标准中任何一项存在问题，为不合格卷（评查总分即为零分）
    result = score(standard=standard, items=items(standard), marks={"J4": {"veto": True}})
    assert result.grade == "fail" and result.total == 0 and result.vetoed == ("J4",)
    assert result.form == 20 and result.content == 80  # the points themselves were full


def test_deductions_floor_at_zero_and_an_item_never_loses_more_than_its_points(standard):
    # 《测绘地理信息行政处罚案卷评查标准》: 扣完为止，不计负分
    marks = {i.code: {"deduction": 99} for i in items(standard) if i.section == "form"}
    result = score(standard=standard, items=items(standard), marks=marks)
    assert result.form == 0 and result.content == 80 and result.total == 80 and result.grade == "pass"
    heavy = {i.code: {"deduction": i.points} for i in items(standard) if i.section != "veto"}
    assert score(standard=standard, items=items(standard), marks=heavy).total == 0


def test_grades_follow_the_standards_thresholds(standard):
    rows = items(standard)
    assert score(standard=standard, items=rows, marks={}).grade == "excellent"
    assert score(standard=standard, items=rows, marks={"C2": {"deduction": 11}}).grade == "pass"  # 89
    many = {"C2": {"deduction": 20}, "C4": {"deduction": 10}, "C5": {"deduction": 10}, "C6": {"deduction": 1}}
    assert score(standard=standard, items=rows, marks=many).total == Decimal(59)
    assert score(standard=standard, items=rows, marks=many).grade == "fail"


def _archived(case, on=dt.date(2026, 6, 30)):
    Case.objects.filter(pk=case.pk).update(
        sealed_at=timezone.make_aware(dt.datetime(on.year, on.month, on.day, 12))
    )
    case.refresh_from_db()
    return case


def test_an_evaluator_never_gets_a_case_they_handled(standard, officer_a, officer_b, supervisor):
    # 回避: an evaluator does not evaluate a case he or she handled (行政处罚法 第四十三条 的回避原则)
    mine = _archived(a_case(officer_a, title="甲案"))
    theirs = _archived(a_case(officer_b, title="乙案"))
    campaign = evaluations.campaign_start(
        actor=supervisor,
        title="2026年上半年行政处罚案卷评查",
        archived_from=dt.date(2026, 1, 1),
        archived_to=dt.date(2026, 12, 31),
        size=2,
        evaluators=[officer_a, officer_b],
        rectify_due=timezone.localdate() + dt.timedelta(days=30),
    )
    assigned = {cc.case_id: cc.evaluator for cc in campaign.cases.all()}
    assert assigned == {mine.pk: officer_b, theirs.pk: officer_a}
    with pytest.raises(InvalidInput) as refused:
        evaluations.campaign_start(
            actor=supervisor,
            title="只派本案办案人员",
            archived_from=dt.date(2026, 1, 1),
            archived_to=dt.date(2026, 12, 31),
            size=2,
            evaluators=[officer_a],
            rectify_due=timezone.localdate() + dt.timedelta(days=30),
        )
    assert refused.value.errors[0].field == "evaluators" and mine.number in refused.value.errors[0].message


def test_the_draw_is_recomputed_from_its_ledger_entry(standard, officer_a, supervisor):
    cases = [_archived(a_case(officer_a, title=f"案{i}")) for i in range(5)]
    evaluator = UserFactory(agency=supervisor.agency, roles=["supervisor"])
    campaign = evaluations.campaign_start(
        actor=supervisor,
        title="随机抽取",
        archived_from=dt.date(2026, 1, 1),
        archived_to=dt.date(2026, 12, 31),
        size=3,
        evaluators=[evaluator],
        rectify_due=timezone.localdate() + dt.timedelta(days=30),
    )
    payload = Entry.objects.get(seq=campaign.ledger_seq).fields["payload"]
    pool = sorted(str(c.public_id) for c in cases)
    assert payload["pool_sha256"] == evaluations.pool_digest(pool)
    assert [s["case"] for s in payload["selection"]] == evaluations.draw(pool, seed=payload["seed"], size=3)


def test_a_score_returns_rectification_items_that_the_agency_reports_done(
    standard, officer_a, head_a, supervisor
):
    case = _archived(a_case(officer_a))
    evaluator = UserFactory(agency=supervisor.agency, roles=["supervisor"])
    campaign = evaluations.campaign_start(
        actor=supervisor,
        title="评查",
        archived_from=dt.date(2026, 1, 1),
        archived_to=dt.date(2026, 12, 31),
        size=1,
        evaluators=[evaluator],
        rectify_due=timezone.localdate() + dt.timedelta(days=30),
    )
    cc = campaign.cases.get()
    with pytest.raises(InvalidInput) as refused:
        evaluations.evaluation_submit(actor=evaluator, campaign_case=cc, marks={"F2": {"deduction": "5"}})
    assert refused.value.errors[0].field == "deduction_F2" and "不计负分" in refused.value.errors[0].message
    result = evaluations.evaluation_submit(
        actor=evaluator, campaign_case=cc, marks={"F2": {"deduction": "2", "note": "询问笔录漏填时间"}}
    )
    assert result.score == Decimal("98.0") and result.grade == "excellent" and result.case == case
    item = Rectification.objects.get()
    assert item.agency == case.agency and "询问笔录漏填时间" in item.text
    evaluations.rectification_done(actor=head_a, rectification=item, note="已补正并组织培训")
    item.refresh_from_db()
    assert item.done_by == head_a and item.done_at is not None
