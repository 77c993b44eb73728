"""Plan → draw → result → publication in a real headless Chromium, each step by the person who does
it: the head sets up the item, makes and files the plan and makes the draw; the officer opens the
inspection and enters the result; the head reviews and publishes it; a visitor verifies the draw.
Screenshots (desktop and a 360 px phone): var/test-artifacts/inspections/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sanxiang.cases.models import APPEND_ONLY_TABLES as CASE_TABLES
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.inspections.models import APPEND_ONLY_TABLES, Inspection
from sanxiang.inspections.tests.conftest import ITEM
from sanxiang.inspections.tests.test_results import checked_on_site
from sanxiang.testing.browser import at_both_widths, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "inspections"
TABLES = CASE_TABLES + APPEND_ONLY_TABLES


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, live_server, user) -> None:
    staff_login(page, live_server.url, user)


def both_widths(page, name: str) -> None:
    at_both_widths(page, ARTIFACTS, name)


def test_plan_draw_result_and_publication_by_the_people_who_do_them(
    flushable, live_server, page, head_a, officer_a, agency_a, classified, inspectors
):
    today = timezone.localdate()
    catalog.entry_publish(
        actor=head_a,
        kind=ListKind.SPOT_CHECKS,
        agency=agency_a,
        data=dict(ITEM),
        effective_from=dt.date(today.year, 1, 1),
        reason="首次公布",
    )
    # the head: item attributes, the plan, its filing and the draw
    login(page, live_server, head_a)
    page.get_by_role("link", name="双随机抽查").click()
    page.get_by_role("heading", name="双随机抽查", exact=True).wait_for()
    page.get_by_role("button", name="设置检查属性").click()
    page.get_by_text("已设置抽查事项").wait_for()
    page.get_by_label("计划名称").fill(f"{today.year}年度食品经营随机抽查计划")
    page.get_by_label("抽查范围").fill("辖区内食品经营者")
    page.get_by_label("开始日期").fill(f"{today.year}-01-01")
    page.get_by_label("结束日期").fill(f"{today.year}-12-31")
    for cls, ratio in (("A", "10"), ("B", "20"), ("C", "30"), ("D", "50")):
        page.locator(f"#ratio_{cls}").fill(ratio)
    both_widths(page, "1-items-and-plan-form")
    page.get_by_role("button", name="制定计划").click()
    page.get_by_role("button", name="报司法局备案").click()
    page.get_by_text("已于").wait_for()
    page.locator("input[name=inspection_date]").fill(today.isoformat())
    page.locator("input[name=randomness_source]").fill("中国福利彩票双色球某期开奖号码")
    page.locator("input[name=randomness_expected_on]").fill(today.isoformat())
    both_widths(page, "2-plan")
    page.get_by_role("button", name="冻结名录库并公布抽取参数").click()
    page.get_by_text("本机关随机数承诺值").first.wait_for()
    page.locator("#randomness").fill("03 07 12 19 25 31 + 09")
    page.get_by_role("button", name="抽取").click()
    page.get_by_text("抽中的检查对象和执法检查人员").wait_for()
    page.get_by_text("已按公开的输入重新计算，抽取结果一致").wait_for()
    both_widths(page, "3-draw")
    draw_url = page.url

    # the officer: opens the inspection of the first drawn object, and after the on-site check
    # (recorded in the cases app) enters the result
    login(page, live_server, officer_a)
    page.goto(draw_url)
    page.get_by_role("button", name="建立检查案件").first.click()
    page.get_by_text("已建立检查案件").wait_for()
    inspection = Inspection.objects.get()
    checked_on_site(inspection, officer_a)
    page.reload()
    page.get_by_label("发现问题已责令改正").check()
    page.get_by_label("检查情况").fill("进货查验记录不全，已当场责令改正")
    both_widths(page, "4-result-entry")
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("检查结果已录入，待审核").wait_for()

    # the head: reviews and publishes
    login(page, live_server, head_a)
    page.goto(live_server.url + f"/staff/inspections/inspections/{inspection.public_id}/")
    page.get_by_role("button", name="审核通过并公示").click()
    page.get_by_text("审核通过，检查结果已公示").wait_for()
    assert "已公示" in page.locator("dl.facts").inner_text()
    both_widths(page, "5-reviewed")

    # a visitor: the plan, the draw with its proof, the verification, the result
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="双随机一公开").click()
    page.get_by_role("heading", name="年度抽查计划").wait_for()
    page.locator("table").nth(1).get_by_role("link").first.click()
    page.get_by_text("本机关随机数承诺值（事先公布）").wait_for()
    assert "A类" not in page.content()
    both_widths(page, "6-portal-draw")
    page.get_by_role("link", name="核验本次抽取").click()
    page.get_by_text("一致：公布的抽取结果正是这些输入的抽取结果").wait_for()
    both_widths(page, "7-portal-verify")
    page.goto(live_server.url + "/inspections/results/")
    page.get_by_text(inspection.target.name).wait_for()
    page.get_by_text("发现问题已责令改正").wait_for()
    both_widths(page, "8-portal-results")


def test_places_and_a_drand_draw_by_the_head_on_desktop_and_phone(
    flushable, live_server, page, head_a, agency_a, classified, entities
):
    """The head registers a place on the 名录库 page, and makes a draw committed to a drand round by
    entering the round's published signature (quicknet round 657413, see test_drand)."""
    import time_machine

    from sanxiang.inspections import services
    from sanxiang.inspections.tests.conftest import TZ
    from sanxiang.inspections.tests.test_drand import QUICKNET_ROUND, QUICKNET_SIGNATURE
    from sanxiang.testing.factories import OfficerFactory

    with time_machine.travel(dt.datetime(2023, 9, 14, 9, 0, tzinfo=TZ), tick=False):
        item = catalog.entry_publish(
            actor=head_a,
            kind=ListKind.SPOT_CHECKS,
            agency=agency_a,
            data={**ITEM, "code": "CC-SP-009", "name": "集中用餐场所监督检查", "target": "集中用餐场所"},
            effective_from=dt.date(2023, 1, 1),
            reason="首次公布",
        ).entry
        services.profile_set(
            actor=head_a, item=item, level="key", object_kinds=["enterprise", "place"], category="market"
        )
        for i in range(4):
            OfficerFactory(agency=agency_a, name=f"检查员{i}", valid_from=dt.date(2023, 1, 1))
        plan = services.plan_create(
            actor=head_a,
            year=2023,
            title="2023年度集中用餐场所抽查计划",
            scope="辖区内集中用餐场所",
            batches=[
                services.BatchInput("第一批", item, dt.date(2023, 9, 1), dt.date(2023, 12, 31), {"N": "10"})
            ],
        )
        services.plan_file(actor=head_a, plan=plan)

    with time_machine.travel(dt.datetime(2023, 9, 14, 10, 0, tzinfo=TZ), tick=True):
        login(page, live_server, head_a)
        page.goto(live_server.url + "/staff/inspections/objects/")
        page.get_by_label("对象类型").select_option("place")
        page.get_by_label("编号（产品批号、项目编号或场所编号）").fill("CS-001")
        page.get_by_label("名称").fill("某某学校食堂")
        page.get_by_label("所属市场主体统一社会信用代码（检查时为当事人）").fill(entities[0].credit_code)
        page.get_by_role("button", name="登记").click()
        page.get_by_text("已将场所“某某学校食堂”登记入检查对象名录库").wait_for()
        both_widths(page, "9-objects")
        page.goto(live_server.url + f"/staff/inspections/plans/{plan.public_id}/")
        page.locator("input[name=inspection_date]").fill("2023-09-20")
        page.get_by_label("drand 公共随机信标的某一轮（抽取时录入该轮签名，系统验证签名）").check()
        page.locator("input[name=randomness_expected_on]").fill("2023-09-15")
        page.locator("input[name=beacon_round]").fill(str(QUICKNET_ROUND))
        both_widths(page, "10-plan-drand")
        page.get_by_role("button", name="冻结名录库并公布抽取参数").click()
        page.get_by_text(f"第{QUICKNET_ROUND}轮").first.wait_for()
        draw_url = page.url

    with time_machine.travel(dt.datetime(2023, 9, 15, 20, 0, tzinfo=TZ), tick=True):
        login(page, live_server, head_a)
        page.goto(draw_url)
        page.get_by_label(f"第{QUICKNET_ROUND}轮签名").fill(QUICKNET_SIGNATURE)
        page.get_by_role("button", name="抽取").click()
        page.get_by_text("已按公开的输入重新计算，抽取结果一致").wait_for()
        both_widths(page, "11-draw-drand")
        assert " round " not in page.inner_text("main") and "randomness" not in page.inner_text("main")
        page.context.clear_cookies()
        page.goto(draw_url.replace("/staff/inspections/", "/inspections/"))
        page.get_by_text("drand 链标识").wait_for()
        both_widths(page, "12-portal-draw-drand")
        assert f"第{QUICKNET_ROUND}轮随机数" in page.inner_text("main")
        assert " round " not in page.inner_text("main") and "randomness" not in page.inner_text("main")
