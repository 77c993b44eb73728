"""The seeded 2026 arrangement: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号),
as shipped by the chinesecalendar package."""

from __future__ import annotations

import datetime as dt
import importlib

import chinese_calendar
import pytest
from django.apps import apps
from django.core.management import call_command

from sanxiang.workdays import seeding
from sanxiang.workdays.models import CalendarYear, CalendarYearRevision, SpecialDay
from sanxiang.workdays.services import count_working_days, is_working_day, seed_from_chinesecalendar

D = dt.date


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# 国办发明电〔2025〕7号: each block of rest days, and the 调休 make-up working days (上班).
HOLIDAYS_2026 = {
    "元旦": days_between(D(2026, 1, 1), D(2026, 1, 3)),
    "春节": days_between(D(2026, 2, 15), D(2026, 2, 23)),
    "清明": days_between(D(2026, 4, 4), D(2026, 4, 6)),
    "劳动节": days_between(D(2026, 5, 1), D(2026, 5, 5)),
    "端午": days_between(D(2026, 6, 19), D(2026, 6, 21)),
    "中秋": days_between(D(2026, 9, 25), D(2026, 9, 27)),
    "国庆节": days_between(D(2026, 10, 1), D(2026, 10, 7)),
}
MAKEUP_WORKDAYS_2026 = {
    D(2026, 1, 4): "元旦",  # 周日
    D(2026, 2, 14): "春节",  # 周六
    D(2026, 2, 28): "春节",  # 周六
    D(2026, 5, 9): "劳动节",  # 周六
    D(2026, 9, 20): "国庆节",  # 周日
    D(2026, 10, 10): "国庆节",  # 周六
}


@pytest.mark.parametrize("name", list(HOLIDAYS_2026))
def test_every_2026_holiday_block_is_a_rest_day(calendar, name):
    # 国办发明电〔2025〕7号
    for day in HOLIDAYS_2026[name]:
        assert not is_working_day(day), day
        stored = SpecialDay.objects.get(date=day, region_code="")
        assert stored.kind == SpecialDay.Kind.HOLIDAY
        assert stored.name == name


@pytest.mark.parametrize("day", list(MAKEUP_WORKDAYS_2026))
def test_every_2026_make_up_weekend_day_is_a_working_day(calendar, day):
    # 国办发明电〔2025〕7号: 1月4日（周日）、2月14日（周六）、2月28日（周六）、5月9日（周六）、
    # 9月20日（周日）、10月10日（周六）上班
    assert day.weekday() >= 5
    assert is_working_day(day)
    stored = SpecialDay.objects.get(date=day, region_code="")
    assert stored.kind == SpecialDay.Kind.MAKEUP_WORKDAY
    assert stored.name == MAKEUP_WORKDAYS_2026[day]


def test_spring_festival_2026_is_nine_days_between_two_make_up_saturdays(calendar):
    # 国办发明电〔2025〕7号 二、春节: 2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    assert is_working_day(D(2026, 2, 13))
    assert is_working_day(D(2026, 2, 14))
    assert [is_working_day(d) for d in HOLIDAYS_2026["春节"]] == [False] * 9
    assert is_working_day(D(2026, 2, 24))
    assert count_working_days(D(2026, 2, 13), D(2026, 2, 28)) == 1 + 4 + 1  # 14日, 24–27日, 28日


def test_national_day_2026_is_seven_days_with_make_up_sunday_and_saturday(calendar):
    # 国办发明电〔2025〕7号 七、国庆节: 10月1日至7日放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
    assert is_working_day(D(2026, 9, 20))
    assert is_working_day(D(2026, 9, 30))
    assert not any(is_working_day(d) for d in HOLIDAYS_2026["国庆节"])
    assert is_working_day(D(2026, 10, 8))
    assert is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 10, 11))


def test_every_day_of_2024_to_2026_agrees_with_the_chinesecalendar_package(calendar):
    # 国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号 as encoded by chinesecalendar
    for day in days_between(D(2024, 1, 1), D(2026, 12, 31)):
        assert is_working_day(day) == chinese_calendar.is_workday(day), day


def test_2026_has_248_working_days(calendar):
    # 国办发明电〔2025〕7号 applied to the 2026 calendar
    assert count_working_days(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_seeded_years_record_their_notice_number_source_and_version(calendar):
    year = CalendarYear.objects.get(year=2026)
    assert year.status == CalendarYear.Status.PUBLISHED
    assert year.notice_number == "国办发明电〔2025〕7号"
    assert year.source == CalendarYear.Source.CHINESECALENDAR
    revision = year.revisions.get(version=year.version)
    assert revision.digest == seeding.digest(revision.snapshot)
    assert len(revision.snapshot["days"]) == year.days.count()


def test_the_package_covers_2004_to_at_least_2026():
    years = seeding.chinesecalendar_years()
    assert min(years) == 2004
    assert max(years) >= 2026


def test_seeding_again_records_nothing(calendar):
    revisions = CalendarYearRevision.objects.count()
    report = seed_from_chinesecalendar(years=[2024, 2025, 2026])
    assert report.created == []
    assert report.updated == []
    assert report.unchanged == [2024, 2025, 2026]
    assert CalendarYearRevision.objects.count() == revisions


def test_seed_holidays_command_loads_an_empty_table_and_is_idempotent(db, capsys):
    SpecialDay.objects.all().delete()
    CalendarYearRevision.objects.all().delete()
    CalendarYear.objects.all().delete()

    call_command("seed_holidays", "--year", "2026")
    assert "created:   2026" in capsys.readouterr().out
    call_command("seed_holidays", "--year", "2026")
    assert "unchanged: 2026" in capsys.readouterr().out

    assert CalendarYear.objects.get(year=2026).version == 1
    assert not is_working_day(D(2026, 10, 1))


def test_seeding_keeps_a_year_an_administrator_published_by_hand(calendar):
    CalendarYear.objects.filter(year=2025).update(source=CalendarYear.Source.MANUAL)
    report = seed_from_chinesecalendar(years=[2025])
    assert report.kept_manual == [2025]


def test_the_data_migration_writes_exactly_what_the_command_would(db):
    # `migrate` alone seeds the table; a later `seed-holidays` must find nothing to change
    SpecialDay.objects.all().delete()
    CalendarYearRevision.objects.all().delete()
    CalendarYear.objects.all().delete()
    migration = importlib.import_module("sanxiang.workdays.migrations.0002_seed_chinesecalendar")

    migration.seed(apps, None)

    assert CalendarYear.objects.count() == len(seeding.chinesecalendar_years())
    report = seed_from_chinesecalendar()
    assert (report.created, report.updated) == ([], [])
    assert CalendarYearRevision.objects.filter(version__gt=1).count() == 0
