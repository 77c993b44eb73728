"""The annual report: generated, edited, approved by the head, submitted and published by the
jurisdiction's deadlines; the public downloads it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sanxiang.errors import Forbidden, InvalidInput
from sanxiang.supervision import reports as annual
from sanxiang.supervision.models import AnnualReportRevision
from sanxiang.supervision.tests.helpers import a_case, catalogue_item, decision_row
from sanxiang.testing.factories import AgencyFactory, UserFactory


def test_kunming_sets_the_data_deadline_and_the_report_deadline(db):
    # 昆明市三项制度工作方案 二、（一）3: 每年12月15日前报送，次年1月31日前公开
    agency = AgencyFactory(region_code="530102")
    due = annual.deadlines(agency, 2026)
    assert due["data"][0] == dt.date(2026, 12, 15) and due["report"][0] == dt.date(2027, 1, 31)
    # 国办发〔2018〕118号 二、（六）: the national profile fixes only the report (1月31日)
    national = annual.deadlines(AgencyFactory(region_code="110101"), 2026)
    assert national["data"][0] is None and national["report"][0] == dt.date(2027, 1, 31)


def test_a_report_is_drafted_from_the_figures_edited_approved_submitted_and_published(
    officer_a, head_a, agency_a, client_for, anonymous
):
    catalogue_item(agency_a, head_a, category="penalty")
    decision_row(a_case(officer_a), on=dt.date(2025, 5, 6), lines=[("penalty", "fine", "3000", 0)])
    report = annual.report_generate(actor=officer_a, agency=agency_a, year=2025)
    assert "行政处罚1件" in report.narrative and "3,000.00元" in report.narrative
    with pytest.raises(Forbidden):
        annual.report_approve(actor=officer_a, report=report)
    with pytest.raises(InvalidInput):
        annual.report_publish(actor=head_a, report=report)  # not yet submitted
    annual.report_edit(actor=officer_a, report=report, narrative=report.narrative + "\n已按要求整改。")
    assert AnnualReportRevision.objects.filter(report=report).count() == 2
    annual.report_approve(actor=head_a, report=report)
    with pytest.raises(InvalidInput) as refused:
        annual.report_edit(actor=officer_a, report=report, narrative="改")
    assert refused.value.errors[0].field == "narrative"
    report.refresh_from_db()
    annual.report_submit(actor=officer_a, report=report)
    report.refresh_from_db()
    annual.report_publish(actor=head_a, report=report)
    report.refresh_from_db()
    assert report.status == "published" and report.published_by == head_a
    page = anonymous.get("/statistics/?year=2025").content.decode()
    assert f"{agency_a.name}2025年度行政执法总体情况报告" in page
    xlsx = anonymous.get(f"/statistics/reports/{report.public_id}.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert any("行政处罚" in name for name in book.sheetnames)


def test_another_agency_may_not_generate_or_see_a_report(officer_a, officer_b, agency_a, client_for):
    with pytest.raises(Forbidden):
        annual.report_generate(actor=officer_b, agency=agency_a, year=2025)
    report = annual.report_generate(actor=officer_a, agency=agency_a, year=2025)
    assert client_for(officer_b).get(f"/staff/supervision/reports/{report.public_id}/").status_code == 404
    assert client_for(officer_a).get(f"/staff/supervision/reports/{report.public_id}/").status_code == 200


def test_the_annual_report_alert_closes_when_the_report_is_published(db):
    from django.utils import timezone

    from sanxiang.supervision.alerts import alert_sweep
    from sanxiang.supervision.models import Alert

    agency = AgencyFactory(region_code="530102")
    agency.__class__.objects.filter(pk=agency.pk).update(
        created_at=timezone.make_aware(dt.datetime(2020, 1, 1))
    )
    head = UserFactory(agency=agency, roles=["head"])
    now = timezone.make_aware(dt.datetime(2027, 1, 20, 10))
    alert_sweep(now=now)
    alert = Alert.objects.get(kind="annual_report", closed_at__isnull=True)
    assert alert.level == "yellow" and "二、（一）3" in alert.citation  # 昆明 二、（一）3
    report = annual.report_generate(actor=head, agency=agency, year=2026)
    annual.report_approve(actor=head, report=report)
    annual.report_submit(actor=head, report=report)
    annual.report_publish(actor=head, report=report)
    alert_sweep(now=now + dt.timedelta(hours=1))
    alert.refresh_from_db()
    assert alert.closed_at is not None and alert.closed_by == head


def test_the_region_report_sums_every_agency_of_the_district_and_is_published_by_the_justice_bureau(
    officer_a, officer_b, head_a, head_b, agency_a, agency_b, supervisor, supervising_agency, anonymous
):
    # 国办发〔2018〕118号 二、（六）: 年度行政执法数据 of the region; the 司法局 reports for its district
    catalogue_item(agency_a, head_a, category="penalty")
    catalogue_item(agency_b, head_b, category="penalty", code="B-1")
    decision_row(a_case(officer_a), on=dt.date(2025, 5, 6), lines=[("penalty", "fine", "3000", 0)])
    decision_row(a_case(officer_b), on=dt.date(2025, 7, 8), lines=[("penalty", "fine", "500", 0)])
    justice_head = UserFactory(agency=supervising_agency, roles=["head"])
    with pytest.raises(Forbidden):
        annual.report_generate(actor=officer_a, agency=supervising_agency, year=2025)
    report = annual.report_generate(actor=supervisor, agency=supervising_agency, year=2025)
    assert report.subject == f"{supervising_agency.name}所辖各行政执法主体"
    assert "行政处罚2件" in report.narrative and "3,500.00元" in report.narrative
    penalties = next(t for t in annual.tables_of(report) if t.key == "penalties")
    assert {name for name, _ in penalties.rows} == {agency_a.name, agency_b.name}
    assert penalties.total[penalties.columns.index("合计")].display == "2"
    annual.report_edit(actor=supervisor, report=report, narrative=report.narrative + "\n全区已完成整改。")
    with pytest.raises(Forbidden):
        annual.report_approve(actor=head_a, report=report)  # the head of one agency is not the 司法局's
    annual.report_approve(actor=justice_head, report=report)
    report.refresh_from_db()
    annual.report_submit(actor=supervisor, report=report)
    report.refresh_from_db()
    annual.report_publish(actor=justice_head, report=report)
    page = anonymous.get("/statistics/?year=2025").content.decode()
    assert f"{supervising_agency.name}所辖各行政执法主体2025年度行政执法总体情况报告" in page
    xlsx = anonymous.get(f"/statistics/reports/{report.public_id}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["行政处罚(按最重处罚种类计，每件决定计一次)"[:28]]
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert agency_a.name in names and agency_b.name in names and "合计" in names
    pdf = anonymous.get(f"/statistics/reports/{report.public_id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
