"""Local overrides (a jurisdiction's own days) and the freshness of the per-process cache."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.errors import InvalidInput
from sanxiang.workdays import cache
from sanxiang.workdays.models import CalendarYear, CalendarYearRevision, SpecialDay
from sanxiang.workdays.seeding import HOLIDAY, MAKEUP_WORKDAY
from sanxiang.workdays.services import add_working_days, is_working_day, local_day_save

D = dt.date
XINJIANG = "650000"
URUMQI_DISTRICT = "650102"
ELSEWHERE = "220702"
# A weekday that is a working day nationally in 2026.
LOCAL_DAY = D(2026, 5, 27)


def test_a_local_holiday_applies_inside_its_region_only(calendar):
    # DESIGN.md workdays: local overrides; an autonomous region's own holiday (依据 its regulation)
    before = CalendarYear.objects.get(year=2026).version
    local_day_save(
        region_code=XINJIANG,
        date=LOCAL_DAY,
        kind=HOLIDAY,
        name="古尔邦节",
        basis="自治区人民政府公告（示例）",
    )

    assert not is_working_day(LOCAL_DAY, region=XINJIANG)
    assert not is_working_day(LOCAL_DAY, region=URUMQI_DISTRICT)
    assert is_working_day(LOCAL_DAY, region=ELSEWHERE)
    assert is_working_day(LOCAL_DAY)
    # the year's version moved: a deadline names the data that computed it
    assert add_working_days(LOCAL_DAY - dt.timedelta(days=1), 1).calendar_version == f"2026:{before + 1}"
    assert add_working_days(LOCAL_DAY - dt.timedelta(days=1), 1, region=XINJIANG).due == D(2026, 5, 28)
    assert add_working_days(LOCAL_DAY - dt.timedelta(days=1), 1, region=ELSEWHERE).due == LOCAL_DAY


def test_the_most_specific_local_entry_wins(calendar):
    saturday = D(2026, 5, 30)
    local_day_save(region_code=XINJIANG, date=saturday, kind=HOLIDAY, name="古尔邦节", basis="自治区公告")
    local_day_save(region_code="650100", date=saturday, kind=MAKEUP_WORKDAY, name="古尔邦节", basis="市公告")

    assert is_working_day(saturday, region=URUMQI_DISTRICT)  # its prefecture's make-up day wins
    assert not is_working_day(saturday, region="650202")  # another prefecture: the province's entry


def test_a_local_entry_needs_its_basis(calendar):
    with pytest.raises(InvalidInput) as raised:
        local_day_save(region_code=XINJIANG, date=LOCAL_DAY, kind=HOLIDAY, name="古尔邦节", basis="")
    assert raised.value.errors[0].field == "basis"
    assert not SpecialDay.objects.filter(region_code=XINJIANG).exists()


def test_another_process_sees_an_edit_within_the_check_interval(calendar, settings):
    # The admin runs in another process: no in-process invalidation reaches this one. Simulate that
    # by writing the change behind the cache's back, as that process's transaction would.
    settings.SANXIANG_WORKDAYS_CACHE_SECONDS = 3600
    assert is_working_day(LOCAL_DAY)
    year = CalendarYear.objects.get(year=2026)
    SpecialDay.objects.create(calendar_year=year, date=LOCAL_DAY, kind=HOLIDAY, name="临时")
    latest = CalendarYearRevision.objects.filter(calendar_year=year).order_by("-version").first()
    CalendarYearRevision.objects.create(
        calendar_year=year,
        version=latest.version + 1,
        status=latest.status,
        source=latest.source,
        snapshot={},
        digest="0" * 64,
    )
    assert is_working_day(LOCAL_DAY)  # within the interval this process still uses its copy

    settings.SANXIANG_WORKDAYS_CACHE_SECONDS = 0
    assert not is_working_day(LOCAL_DAY)  # the check saw a newer revision and reloaded


def test_years_beyond_the_representable_range_are_refused(db):
    with pytest.raises(OverflowError):
        cache.year_calendar(9999)
