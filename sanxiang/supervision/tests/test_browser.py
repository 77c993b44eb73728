"""The supervisor's pages in a real headless Chromium, desktop and a 360 px phone (no horizontal
overflow). Screenshots: var/test-artifacts/supervision/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sanxiang.supervision.alerts import alert_sweep
from sanxiang.supervision.tests.helpers import a_case, catalogue_item, decision_row
from sanxiang.testing.browser import at_both_widths, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "supervision"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, live_server, user) -> None:
    staff_login(page, live_server.url, user)


def both_widths(page, name: str) -> None:
    at_both_widths(page, ARTIFACTS, name)


def test_the_supervisor_opens_the_dashboard_and_the_alerts_and_the_public_reads_the_statistics(
    flushable, live_server, page, officer_a, head_a, agency_a, agency_b, supervisor
):
    year = timezone.localdate().year
    catalogue_item(agency_a, head_a, category="penalty")
    for month, lines in ((1, [("penalty", "fine", "5000", 0)]), (2, [("penalty", "warning", None, 0)])):
        decision_row(a_case(officer_a), on=dt.date(year, month, 10), lines=lines)
    emergency = a_case(officer_a, title="无证经营案")
    from sanxiang.cases.models import CaseDeadline

    CaseDeadline.objects.create(
        case=emergency,
        agency=agency_a,
        limit="decision",
        name="自立案起作出处罚决定",
        source="行政处罚法 第六十条",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    alert_sweep()

    login(page, live_server, supervisor)
    page.goto(live_server.url + "/staff/supervision/")
    page.get_by_role("heading", name=f"执法监督统计 · {year}年度").wait_for()
    assert page.locator("svg.chart").count() >= 4
    assert "无相关职责" in page.content()
    both_widths(page, "dashboard")
    page.get_by_role("link", name="查看全部预警").click()
    page.get_by_role("heading", name="执法监督预警").wait_for()
    assert "红色预警" in page.content() and "行政处罚法" in page.content()
    both_widths(page, "alerts")

    page.context.clear_cookies()
    page.goto(live_server.url + "/statistics/")
    page.get_by_role("heading", name=f"行政执法统计 · {year}年度").wait_for()
    both_widths(page, "public-statistics")


def test_the_supervisor_starts_a_campaign_an_evaluator_scores_a_case_and_the_agency_reports_its_rectification(
    flushable, live_server, page, officer_a, head_a, agency_a, supervisor, supervising_agency
):
    from sanxiang.cases.models import Case
    from sanxiang.testing.factories import UserFactory

    evaluator = UserFactory(
        agency=supervising_agency, roles=["supervisor"], username="evaluator", display_name="王评查"
    )
    case = a_case(officer_a, title="销售过期食品案")
    Case.objects.filter(pk=case.pk).update(sealed_at=timezone.now() - dt.timedelta(days=3))

    login(page, live_server, supervisor)
    page.goto(live_server.url + "/staff/supervision/")
    page.get_by_role("link", name="案卷评查").first.click()
    page.get_by_role("heading", name="案卷评查").wait_for()
    page.get_by_label("活动名称").fill("2026年度行政处罚案卷评查")
    page.get_by_label("随机抽取案卷数").fill("1")
    page.get_by_label("王评查（某区司法局）").check()
    both_widths(page, "campaign-new")
    page.get_by_role("button", name="随机抽取并指派").click()
    page.get_by_role("heading", name="2026年度行政处罚案卷评查").wait_for()
    assert case.number in page.content() and "王评查" in page.content()

    login(page, live_server, evaluator)
    page.goto(live_server.url + "/staff/supervision/campaigns/")
    page.get_by_role("link", name=f"{case.number} 销售过期食品案").click()
    page.get_by_role("heading", name=f"案卷评查：{case.number}").wait_for()
    assert "平台核查" in page.content()
    page.locator("input[name=deduction_F2]").fill("2")
    page.get_by_label("F2 说明").fill("询问笔录漏填询问时间")
    both_widths(page, "evaluate")
    page.get_by_role("button", name="提交评查结果").click()
    page.get_by_role("heading", name="2026年度行政处罚案卷评查").wait_for()
    assert "优秀" in page.content()

    login(page, live_server, head_a)
    page.goto(live_server.url + "/staff/supervision/results/")
    page.get_by_role("heading", name="评查结果与整改").wait_for()
    assert "询问笔录漏填询问时间" in page.content()
    page.get_by_label("整改情况").fill("已补正询问笔录并组织全员培训")
    page.get_by_role("button", name="报送整改情况").click()
    page.get_by_text("已整改").wait_for()
    both_widths(page, "results")


def test_a_head_generates_edits_approves_and_publishes_the_annual_report_which_the_public_downloads(
    flushable, live_server, page, officer_a, head_a, agency_a
):
    year = timezone.localdate().year - 1
    catalogue_item(agency_a, head_a, category="penalty")
    decision_row(a_case(officer_a), on=dt.date(year, 6, 1), lines=[("penalty", "fine", "3000", 0)])
    login(page, live_server, head_a)
    page.goto(live_server.url + "/staff/supervision/reports/")
    page.get_by_label("年度").select_option(str(year))
    page.get_by_role("button", name="生成年度报告").click()
    page.get_by_role("heading", name=f"{agency_a.name}{year}年度行政执法总体情况报告").wait_for()
    text = page.get_by_label("情况说明（根据数据起草，请修改完善）")
    assert "行政处罚1件" in text.input_value()
    text.fill(text.input_value() + "\n本年度无重大执法过错。")
    page.get_by_role("button", name="保存情况说明").click()
    page.get_by_text("情况说明已保存").wait_for()
    page.get_by_role("button", name="负责人批准").click()
    page.get_by_role("button", name="报送年度数据").click()
    page.get_by_role("button", name="在门户网站公开").click()
    page.get_by_text("已在门户网站公开").wait_for()
    both_widths(page, "annual-report")

    page.context.clear_cookies()
    page.goto(live_server.url + f"/statistics/?year={year}")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").last.click()
    assert download.value.suggested_filename == f"annual-report-{year}.xlsx"
    both_widths(page, "public-statistics-with-report")


def test_the_head_imports_devices_and_the_supervisor_reads_the_indicator_and_the_standard_versions(
    flushable, live_server, page, head_a, agency_a, supervisor, tmp_path
):
    from sanxiang.registry.devices import device_register
    from sanxiang.supervision.standards import install
    from sanxiang.testing.factories import OfficerFactory

    for _ in range(4):
        OfficerFactory(agency=agency_a)

    device_register(
        actor=head_a, agency=agency_a, serial_number="ZFJLY-001", in_service_from=dt.date(2025, 1, 1)
    )
    install()
    upload = tmp_path / "devices.csv"
    upload.write_text(
        "设备类别,设备编号,品牌型号,启用日期\n照相机,XJ-01,某品牌相机,2025-03-01\n", encoding="utf-8"
    )

    login(page, live_server, head_a)
    page.goto(live_server.url + "/staff/registry/devices/")
    page.get_by_role("heading", name="执法记录设备台账").wait_for()
    page.get_by_label("设备清单文件").set_input_files(str(upload))
    page.get_by_role("button", name="导入").click()
    page.get_by_text("已导入 1 台设备。").wait_for()
    assert "XJ-01" in page.content() and "ZFJLY-001" in page.content()
    both_widths(page, "devices")

    login(page, live_server, supervisor)
    page.goto(live_server.url + "/staff/supervision/")
    page.locator("#chart-devices").wait_for()
    both_widths(page, "dashboard-devices")
    page.goto(live_server.url + "/staff/supervision/standards/")
    page.get_by_role("heading", name="案卷评查标准各版本").wait_for()
    assert "第1版" in page.content()
    both_widths(page, "standards")
