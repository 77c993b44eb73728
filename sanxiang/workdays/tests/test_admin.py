"""An administrator enters a year's State Council notice in the Django admin; the cache follows."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from sanxiang.workdays.models import CalendarYear, CalendarYearRevision, DeadlineRecomputation, SpecialDay
from sanxiang.workdays.services import add_working_days, is_working_day
from sanxiang.workdays.tests.probe import ProbeDeadline

D = dt.date
ADD_URL = reverse("admin:workdays_calendaryear_add")


def inline_data(rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        "days-TOTAL_FORMS": str(len(rows)),
        "days-INITIAL_FORMS": str(initial),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"days-{i}-{key}"] = value
    return data


def day(date: str, kind: str, name: str, **extra) -> dict:
    return {"date": date, "kind": kind, "name": name, "region_code": "", "basis": "", **extra}


def test_an_administrator_enters_a_new_year_with_its_notice_number(
    administrator, client_for, django_capture_on_commit_callbacks, tracked_probes
):
    # Issue 3 part 6: a new year's State Council notice is entered as data, with its notice number
    client = client_for(administrator)
    stored = ProbeDeadline(label="provisional")
    stored.set_deadline(add_working_days(D(2031, 9, 30), 1))
    stored.save()
    assert is_working_day(D(2031, 10, 1))  # cached: weekends only

    data = {"year": "2031", "status": "published", "notice_number": "国办发明电〔2030〕99号"}
    data |= inline_data(
        [day("2031-10-01", "holiday", "国庆节"), day("2031-10-11", "makeup_workday", "国庆节")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2031)
    assert (year.status, year.notice_number, year.source, year.version) == (
        CalendarYear.Status.PUBLISHED,
        "国办发明电〔2030〕99号",
        CalendarYear.Source.MANUAL,
        1,
    )
    revision = CalendarYearRevision.objects.get(calendar_year=year)
    assert revision.changed_by == administrator
    assert len(revision.snapshot["days"]) == 2
    # the cache was invalidated by the save: the new holiday and make-up day apply at once
    assert not is_working_day(D(2031, 10, 1))
    assert is_working_day(D(2031, 10, 11))
    # and the stored provisional deadline was recomputed
    stored.refresh_from_db()
    assert (stored.due_date, stored.provisional, stored.calendar_version) == (D(2031, 10, 2), False, "2031:1")
    assert DeadlineRecomputation.objects.filter(object_id=str(stored.pk)).exists()


def test_an_admin_edit_of_a_day_invalidates_the_cache_and_bumps_the_version(
    administrator, client_for, calendar
):
    client = client_for(administrator)
    year = CalendarYear.objects.get(year=2026)
    before = year.version
    assert is_working_day(D(2026, 10, 10))  # 国办发明电〔2025〕7号: 10月10日（周六）上班
    makeup = SpecialDay.objects.get(date=D(2026, 10, 10), region_code="")
    existing = list(year.days.order_by("pk"))
    rows = []
    for stored in existing:
        row = day(
            stored.date.isoformat(), stored.kind, stored.name, id=str(stored.pk), calendar_year=str(year.pk)
        )
        if stored.pk == makeup.pk:
            row["DELETE"] = "on"  # a correction: 10/10 removed as a make-up day
        rows.append(row)
    data = {"status": "published", "notice_number": year.notice_number}
    data |= inline_data(rows, initial=len(rows))

    response = client.post(reverse("admin:workdays_calendaryear_change", args=[year.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    year.refresh_from_db()
    assert year.version == before + 1
    assert year.source == CalendarYear.Source.MANUAL
    assert not is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 9, 30), 3).calendar_version == f"2026:{before + 1}"
    # the old data stays in the previous revision
    previous = year.revisions.get(version=before)
    assert ["2026-10-10", "makeup_workday", "国庆节", "", ""] in previous.snapshot["days"]


def test_a_published_year_without_a_notice_number_is_refused_naming_the_field(administrator, client_for):
    client = client_for(administrator)
    data = {"year": "2031", "status": "published", "notice_number": ""} | inline_data([])
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "通知文号" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_a_day_outside_the_year_is_refused(administrator, client_for):
    client = client_for(administrator)
    data = {"year": "2031", "status": "provisional", "notice_number": ""}
    data |= inline_data([day("2032-01-01", "holiday", "元旦")])
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "不属于 2031 年度" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_calendar_years_cannot_be_deleted_and_revisions_cannot_be_edited(administrator, client_for, calendar):
    # DESIGN.md Conventions: nothing recorded is ever deleted or overwritten
    client = client_for(administrator)
    year = CalendarYear.objects.get(year=2026)
    assert client.get(reverse("admin:workdays_calendaryear_delete", args=[year.pk])).status_code == 403
    page = client.get(reverse("admin:workdays_calendaryear_change", args=[year.pk]))
    assert page.status_code == 200
    assert "国办发明电〔2025〕7号" in page.content.decode()
    assert client.get(reverse("admin:workdays_deadlinerecomputation_changelist")).status_code == 200
    assert client.get(reverse("admin:workdays_deadlinerecomputation_add")).status_code == 403
