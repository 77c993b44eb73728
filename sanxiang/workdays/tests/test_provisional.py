"""Provisional years and the recompute of stored deadlines when a year is entered.

Issue 3 part 6: for a year with no published holidays the result is flagged provisional (weekends
only) and recomputed when the year is entered — never silently wrong; a stored deadline keeps
which calendar version computed it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from sanxiang.workdays.models import CalendarYear, DeadlineRecomputation, SpecialDay
from sanxiang.workdays.seeding import HOLIDAY, MAKEUP_WORKDAY, DayRow
from sanxiang.workdays.services import (
    add_natural_days,
    add_working_days,
    calendar_year_save,
    is_working_day,
    recompute_deadlines,
    statutory_period,
)
from sanxiang.workdays.tests.probe import ProbeCase, ProbeDeadline

D = dt.date

# A made-up arrangement for 2031, entered as an administrator would enter that year's notice.
NOTICE_2031 = "国办发明电〔2030〕99号"
DAYS_2031 = [
    *(DayRow(D(2031, 10, d), HOLIDAY, "国庆节") for d in range(1, 8)),
    DayRow(D(2031, 9, 28), MAKEUP_WORKDAY, "国庆节"),  # Sunday
    DayRow(D(2031, 10, 11), MAKEUP_WORKDAY, "国庆节"),  # Saturday
]


def enter_2031(*, actor=None) -> CalendarYear:
    return calendar_year_save(
        actor=actor,
        year=2031,
        status=CalendarYear.Status.PUBLISHED,
        notice_number=NOTICE_2031,
        days=DAYS_2031,
    )


def store(deadline, label="probe") -> ProbeDeadline:
    row = ProbeDeadline(label=label)
    row.set_deadline(deadline)
    row.save()
    return row


def test_a_year_without_published_data_counts_weekends_only_and_is_flagged(db):
    # Issue 3 part 6: provisional (weekends only)
    assert not CalendarYear.objects.filter(year=2031).exists()
    assert is_working_day(D(2031, 10, 1))  # a Wednesday: no holiday known yet
    deadline = add_working_days(D(2031, 9, 30), 7)
    assert deadline.due == D(2031, 10, 9)
    assert deadline.provisional is True
    assert deadline.calendar_version == "2031:provisional"


def test_a_period_touching_a_published_and_an_unpublished_year_names_both(calendar):
    # chinesecalendar covers 2026; 2027 has no data in this test database
    CalendarYear.objects.filter(year=2027).delete()
    deadline = add_working_days(D(2026, 12, 28), 7)
    version = CalendarYear.objects.get(year=2026).version
    assert deadline.provisional is True
    assert deadline.calendar_version == f"2026:{version},2027:provisional"


def test_a_period_within_a_published_year_is_not_provisional(calendar):
    assert add_working_days(D(2026, 3, 2), 20).provisional is False
    # the start day is not examined: a period from 31 December touches only the next year
    assert add_working_days(D(2025, 12, 31), 3).calendar_version.startswith("2026:")


def test_a_natural_period_is_provisional_only_when_its_last_day_falls_in_an_unpublished_year(calendar):
    # 民事诉讼法 第八十五条: only the last day (and the days it moves over) depend on the calendar
    assert add_natural_days(D(2026, 12, 1), 15).provisional is False
    assert add_natural_days(D(2026, 12, 20), 15).provisional is True


def test_entering_the_year_recomputes_its_provisional_deadlines_with_an_audit_record(
    db, tracked_probes, django_capture_on_commit_callbacks
):
    # Issue 3 part 6: recomputed when the year is entered — never silently wrong
    # 行政处罚法 第八十五条: a 7-day period is working days
    provisional = store(statutory_period(D(2031, 9, 30), 7, law="penalty"), "hearing notice")
    assert (provisional.due_date, provisional.provisional) == (D(2031, 10, 9), True)
    unaffected = store(add_working_days(D(2031, 3, 3), 5), "spring")

    with django_capture_on_commit_callbacks(execute=True):
        enter_2031()

    provisional.refresh_from_db()
    # 9/30 → 10/1–7 holiday → 10/8, 10/9, 10/10 Fri, 10/11 Sat (make-up), 10/13, 10/14, 10/15
    assert provisional.due_date == D(2031, 10, 15)
    assert provisional.provisional is False
    assert provisional.calendar_version == "2031:1"
    audit = DeadlineRecomputation.objects.get(object_id=str(provisional.pk))
    assert audit.content_type == ContentType.objects.get_for_model(ProbeDeadline)
    assert (audit.old_due_date, audit.new_due_date) == (D(2031, 10, 9), D(2031, 10, 15))
    assert (audit.old_calendar_version, audit.new_calendar_version) == ("2031:provisional", "2031:1")
    assert (audit.old_provisional, audit.new_provisional) == (True, False)
    assert audit.recomputed_at is not None
    assert "2031:1" in audit.reason

    unaffected.refresh_from_db()
    assert unaffected.due_date == D(2031, 3, 10)  # unchanged date, new version recorded and audited
    assert unaffected.calendar_version == "2031:1"
    assert DeadlineRecomputation.objects.get(object_id=str(unaffected.pk)).old_due_date == D(2031, 3, 10)


def test_the_sweep_is_idempotent(db, tracked_probes):
    # Issue 3 part 6: the sweep command must be idempotent
    row = store(add_natural_days(D(2031, 9, 16), 15))
    enter_2031()  # on-commit work not run here: the sweep below does it
    first = recompute_deadlines()
    second = recompute_deadlines()
    row.refresh_from_db()
    assert (first.examined, first.changed, first.moved) == (1, 1, 1)
    assert (second.examined, second.changed) == (0, 0)
    assert row.due_date == D(2031, 10, 8)  # 10/1 holiday → next working day
    assert DeadlineRecomputation.objects.count() == 1


def test_the_sweep_command_recomputes_models_with_several_deadlines(db, tracked_probes, capsys):
    case = ProbeCase(title="case")
    case.disclosure_set_deadline(add_working_days(D(2031, 9, 30), 7))
    case.review_set_deadline(add_working_days(D(2031, 9, 30), 5))
    case.save()
    enter_2031()

    call_command("recompute_provisional_deadlines")
    assert "2 changed, 2 due dates moved" in capsys.readouterr().out
    call_command("recompute_provisional_deadlines")
    assert "examined 0 stored deadlines: 0 changed" in capsys.readouterr().out

    case.refresh_from_db()
    assert case.disclosure_due_date == D(2031, 10, 15)
    assert case.review_due_date == D(2031, 10, 13)
    assert not case.disclosure_provisional and not case.review_provisional
    prefixes = set(DeadlineRecomputation.objects.values_list("field_prefix", flat=True))
    assert prefixes == {"disclosure_", "review_"}


def test_a_correction_to_a_published_year_recomputes_deadlines_computed_from_the_old_version(
    db, tracked_probes, django_capture_on_commit_callbacks
):
    enter_2031()
    row = store(add_working_days(D(2031, 10, 12), 3))
    assert row.due_date == D(2031, 10, 15)

    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_save(
            year=2031,
            status=CalendarYear.Status.PUBLISHED,
            notice_number=NOTICE_2031,
            days=[*DAYS_2031, DayRow(D(2031, 10, 14), HOLIDAY, "地方纪念日更正")],
        )

    row.refresh_from_db()
    assert row.due_date == D(2031, 10, 16)
    assert row.calendar_version == "2031:2"
    audit = DeadlineRecomputation.objects.get(object_id=str(row.pk))
    assert (audit.old_calendar_version, audit.new_calendar_version) == ("2031:1", "2031:2")


def test_entering_the_same_data_again_changes_no_version(db):
    first = enter_2031()
    again = enter_2031()
    assert first.version == again.version == 1
    assert CalendarYear.objects.get(year=2031).revisions.count() == 1


def test_returning_a_year_to_provisional_flags_its_deadlines_again(db, tracked_probes):
    enter_2031()
    calendar_year_save(year=2031, status=CalendarYear.Status.PROVISIONAL, days=[])
    deadline = add_working_days(D(2031, 9, 30), 7)
    assert deadline.provisional is True
    assert deadline.calendar_version == "2031:provisional.2"


def test_a_published_year_needs_its_notice_number(db):
    # 国务院办公厅 notices are cited by number; a hand-entered published year must carry it
    from sanxiang.errors import InvalidInput

    with pytest.raises(InvalidInput) as raised:
        calendar_year_save(year=2031, status=CalendarYear.Status.PUBLISHED, notice_number="", days=DAYS_2031)
    assert raised.value.errors[0].field == "notice_number"
    assert not SpecialDay.objects.filter(date__year=2031).exists()


def test_a_make_up_working_day_on_a_weekday_is_refused(db):
    from sanxiang.errors import InvalidInput

    with pytest.raises(InvalidInput) as raised:
        calendar_year_save(
            year=2031,
            status=CalendarYear.Status.PUBLISHED,
            notice_number=NOTICE_2031,
            days=[DayRow(D(2031, 10, 8), MAKEUP_WORKDAY, "国庆节")],  # a Wednesday
        )
    assert raised.value.errors[0].field == "days[0].kind"
    assert not CalendarYear.objects.filter(year=2031).exists()
