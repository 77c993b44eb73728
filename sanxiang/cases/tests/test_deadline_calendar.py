"""The case list's deadline rows (CaseDeadline) follow the working-day calendar: when a year's
arrangement is saved with a new holiday, the running deadlines counted in working days move, once
(行政许可法 第四十二条第一款: 二十日; 第八十二条: 期限以工作日计算). Expected dates come from the calendar."""

import datetime as dt

import pytest

from sanxiang.cases.models import CaseDeadline
from sanxiang.cases.tests.test_pauses import ACCEPTED, accepted_licence
from sanxiang.workdays.models import CalendarYear, SpecialDay
from sanxiang.workdays.seeding import HOLIDAY, DayRow
from sanxiang.workdays.services import add_working_days, calendar_year_save, recompute_deadlines

pytestmark = pytest.mark.django_db


def _save_2026_with_extra_holiday(day: dt.date) -> None:
    year = CalendarYear.objects.get(year=2026)
    rows = [
        DayRow(d.date, d.kind, d.name, basis=d.basis)
        for d in SpecialDay.objects.filter(calendar_year=year, region_code="")
    ]
    calendar_year_save(
        year=2026,
        status=year.status,
        notice_number=year.notice_number,
        source=year.source,
        days=[*rows, DayRow(day, HOLIDAY, "临时休假")],
        note="补充假日",
    )


def test_a_calendar_change_moves_the_case_deadline_rows_once(
    handler, traveller, django_capture_on_commit_callbacks
):
    case = accepted_licence(handler)
    before = CaseDeadline.objects.get(case=case, limit="decision").due_date
    assert before == add_working_days(ACCEPTED, 20).due
    holiday = dt.date(2026, 3, 10)  # a Tuesday inside the period
    with django_capture_on_commit_callbacks(execute=True):  # the recompute task runs on commit
        _save_2026_with_extra_holiday(holiday)
    row = CaseDeadline.objects.get(case=case, limit="decision")
    moved = add_working_days(ACCEPTED, 20).due
    assert moved > before and row.due_date == moved
    pk = row.pk
    report = recompute_deadlines(years=[2026], reason="再次计算")  # idempotent: nothing rewritten
    assert report.changed == 0
    assert CaseDeadline.objects.get(case=case, limit="decision").pk == pk
