"""The dashboard, its exports, the API for every figure and the public statistics page."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from sanxiang.supervision.tests.helpers import a_case, catalogue_item, decision_row

P = "penalty"


def _data(officer_a, agency_a, head_a):
    catalogue_item(agency_a, head_a, category="penalty")
    decision_row(a_case(officer_a), on=dt.date(2026, 3, 2), lines=[(P, "fine", "5000", 0)])
    decision_row(a_case(officer_a), on=dt.date(2026, 5, 9), lines=[(P, "warning", None, 0)])


def test_the_supervisor_sees_charts_with_their_tables_and_an_officer_may_not(
    officer_a, agency_a, head_a, supervisor, agency_b, client_for
):
    _data(officer_a, agency_a, head_a)
    page = client_for(supervisor).get("/staff/supervision/?year=2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "各月作出的行政执法决定" in html and "数据表" in html
    assert "5,000.00" in html and "无相关职责" in html  # agency B has no penalty power
    assert client_for(officer_a).get("/staff/supervision/").status_code == 403


def test_every_chart_and_table_exports_to_xlsx(officer_a, agency_a, head_a, supervisor, client_for):
    _data(officer_a, agency_a, head_a)
    whole = client_for(supervisor).get("/staff/supervision/?year=2026&format=xlsx")
    book = load_workbook(io.BytesIO(whole.content))
    assert "行政处罚(按最重处罚种类计，每件决定计一次)"[:28] in book.sheetnames
    trend = client_for(supervisor).get("/staff/supervision/?year=2026&format=xlsx&part=trend")
    sheet = load_workbook(io.BytesIO(trend.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("项目", "行政处罚")
    assert rows[4] == ("2026-03", "1") and rows[6] == ("2026-05", "1")


def test_the_api_returns_every_figure_and_the_public_tables_need_no_login(
    officer_a, agency_a, head_a, supervisor, client_for, anonymous
):
    _data(officer_a, agency_a, head_a)
    body = client_for(supervisor).get("/api/supervision/dashboard?year=2026").json()
    assert {c["key"] for c in body["charts"]} >= {"trend", "alerts", "disclosure", "review", "evaluation"}
    assert {t["key"] for t in body["tables"]} == {
        "behaviours",
        "penalties",
        "licensing",
        "coercion",
        "indicators",
    }
    assert client_for(officer_a).get("/api/supervision/dashboard").status_code == 403
    public = anonymous.get("/api/supervision/public/statistics?year=2026").json()
    assert "indicators" not in {t["key"] for t in public}
    penalties = next(t for t in public if t["key"] == "penalties")
    assert penalties["rows"][0]["values"][-1] == "5000.00"
    assert anonymous.get("/api/supervision/public/statistics?year=1800").status_code == 422


def test_the_public_statistics_page_writes_zero_and_no_duty(officer_a, agency_a, head_a, agency_b, anonymous):
    _data(officer_a, agency_a, head_a)
    html = anonymous.get("/statistics/?year=2026").content.decode()
    assert "行政执法统计" in html and "无相关职责" in html and "某区交通运输局" in html
    xlsx = anonymous.get("/statistics/?year=2026&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_summary_of_agencies_without_penalty_power_says_so_without_a_unit(agency_b, supervisor):
    # 统计口径: a power the agency's 行政执法事项清单 does not hold is "无相关职责", not an amount in 元.
    from sanxiang.registry.models import Agency
    from sanxiang.supervision.dashboard import build
    from sanxiang.supervision.statistics import NO_DUTY, Period

    board = build(Agency.objects.filter(pk=agency_b.pk), Period.year(2026), user=supervisor)
    assert dict(board.summary)["罚没金额"] == NO_DUTY
