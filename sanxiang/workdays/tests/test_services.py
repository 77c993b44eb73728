"""Deadline arithmetic against the 2026 arrangement (国办发明电〔2025〕7号).

DESIGN.md rule "how periods count": 行政处罚法 第八十五条; 行政许可法 第八十二条; 民事诉讼法 第八十五条.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.errors import InvalidInput
from sanxiang.workdays.models import CalendarYear
from sanxiang.workdays.services import (
    DAYS_RULE,
    NATURAL,
    WORKING,
    Deadline,
    add_natural_days,
    add_working_days,
    compute_period,
    count_working_days,
    is_working_day,
    statutory_period,
)

D = dt.date


def version_2026() -> str:
    return f"2026:{CalendarYear.objects.get(year=2026).version}"


# --- start day not counted -----------------------------------------------------------------------


def test_the_start_day_is_not_counted_in_a_working_day_period(calendar):
    # 民事诉讼法 第八十五条: 期间开始的日，不计算在期间内 (DESIGN.md "how periods count")
    # Monday 2026-03-02 is a working day, yet one working day from it is Tuesday, not Monday.
    assert add_working_days(D(2026, 3, 2), 1).due == D(2026, 3, 3)
    # From a Friday, one working day is the next Monday.
    assert add_working_days(D(2026, 3, 6), 1).due == D(2026, 3, 9)


def test_the_start_day_is_not_counted_in_a_natural_day_period(calendar):
    # 民事诉讼法 第八十五条: 期间开始的日，不计算在期间内
    assert add_natural_days(D(2026, 3, 2), 1).due == D(2026, 3, 3)
    assert add_natural_days(D(2026, 3, 2), 10).due == D(2026, 3, 12)


def test_a_period_may_start_on_a_holiday(calendar):
    # 民事诉讼法 第八十五条: the start day is not counted whatever it is; 国办发明电〔2025〕7号: 10月1日 holiday
    assert add_working_days(D(2026, 10, 1), 1).due == D(2026, 10, 8)


# --- working-day periods -------------------------------------------------------------------------


def test_seven_working_days_across_national_day_skip_the_holiday_and_count_the_make_up_saturday(calendar):
    # 行政处罚法 第八十五条 (七日 = 工作日，不含法定节假日); 国办发明电〔2025〕7号: 10月1日至7日放假, 10月10日上班
    deadline = add_working_days(D(2026, 9, 30), 7)
    # 10/8 Thu, 10/9 Fri, 10/10 Sat (make-up), 10/12 Mon, 10/13, 10/14, 10/15
    assert deadline == Deadline(
        start=D(2026, 9, 30),
        days=7,
        unit=WORKING,
        due=D(2026, 10, 15),
        provisional=False,
        calendar_version=version_2026(),
    )


def test_working_days_across_spring_festival(calendar):
    # 行政许可法 第八十二条 (工作日); 国办发明电〔2025〕7号: 2月15日至23日放假, 2月14日、28日上班
    # 2/13 Fri → 2/14 Sat make-up (1), 2/24 (2), 2/25 (3), 2/26 (4), 2/27 (5), 2/28 Sat make-up (6), 3/2 (7)
    assert add_working_days(D(2026, 2, 13), 7).due == D(2026, 3, 2)


def test_a_working_day_period_always_ends_on_a_working_day(calendar):
    # 行政处罚法 第八十五条; 行政许可法 第八十二条: working days exclude 法定节假日
    start = D(2025, 12, 1)
    for offset in range(0, 400, 3):
        for days in (1, 2, 3, 5, 7, 20):
            deadline = add_working_days(start + dt.timedelta(days=offset), days)
            assert is_working_day(deadline.due)
            assert count_working_days(deadline.start, deadline.due) == days


def test_working_day_arithmetic_matches_stepping_one_day_at_a_time(calendar):
    # 民事诉讼法 第八十五条 (start not counted): the cumulative-count search equals the naive walk
    def naive(start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            left -= is_working_day(day)
        return day

    for offset in range(0, 730, 7):
        start = D(2025, 1, 1) + dt.timedelta(days=offset)
        for days in (1, 5, 20, 60):
            assert add_working_days(start, days).due == naive(start, days), (start, days)


# --- natural-day periods -------------------------------------------------------------------------


def test_a_natural_day_period_ending_on_a_holiday_ends_on_the_next_working_day(calendar):
    # 民事诉讼法 第八十五条: 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期
    # 国办发明电〔2025〕7号: 10月1日至7日放假. 2026-09-16 + 15 days = 10-01 → 10-08.
    deadline = add_natural_days(D(2026, 9, 16), 15)
    assert deadline.due == D(2026, 10, 8)
    assert deadline.unit == NATURAL
    assert deadline.provisional is False


def test_a_natural_day_period_ending_on_a_weekend_ends_on_monday(calendar):
    # 民事诉讼法 第八十五条: 法定休假日 includes the weekly rest days
    assert add_natural_days(D(2026, 3, 4), 10).due == D(2026, 3, 16)  # Sat 3/14 → Mon 3/16


def test_a_natural_day_period_ending_on_a_make_up_saturday_ends_that_saturday(calendar):
    # 民事诉讼法 第八十五条; 国办发明电〔2025〕7号: 10月10日（周六）上班 — a working day, no move
    assert add_natural_days(D(2026, 9, 30), 10).due == D(2026, 10, 10)


def test_a_natural_day_period_never_ends_on_a_rest_day(calendar):
    # 民事诉讼法 第八十五条
    for offset in range(0, 365):
        deadline = add_natural_days(D(2026, 1, 1) + dt.timedelta(days=offset), 15)
        assert is_working_day(deadline.due)
        assert deadline.due >= deadline.start + dt.timedelta(days=15)


# --- 行政处罚法 第八十五条 and 行政许可法 第八十二条 ----------------------------------------------------


@pytest.mark.parametrize("days", [2, 3, 5, 7])
def test_penalty_periods_of_two_three_five_and_seven_days_are_working_days(calendar, days):
    # 行政处罚法 第八十五条: 本法中"二日""三日""五日""七日"的规定是指工作日，不含法定节假日
    deadline = statutory_period(D(2026, 9, 30), days, law="penalty")
    assert deadline.unit == WORKING
    assert deadline == add_working_days(D(2026, 9, 30), days)


def test_a_five_day_penalty_period_counts_working_days(calendar):
    # 行政处罚法 第八十五条 (五日 = 工作日), e.g. 第六十四条 hearing request within 5 days of notice
    # 2026-09-30 + 5 working days: 10/8, 10/9, 10/10 (make-up), 10/12, 10/13
    assert statutory_period(D(2026, 9, 30), 5, law="penalty").due == D(2026, 10, 13)


def test_a_fifteen_day_penalty_period_counts_natural_days(calendar):
    # 行政处罚法 第八十五条: only 二日、三日、五日、七日 are working days; 15 days are natural days
    deadline = statutory_period(D(2026, 9, 30), 15, law="penalty")
    assert deadline.unit == NATURAL
    assert deadline.due == D(2026, 10, 15)  # 9/30 + 15 = 10/15, a Thursday


@pytest.mark.parametrize("days", [1, 4, 10, 60, 90])
def test_other_penalty_periods_count_natural_days(calendar, days):
    # 行政处罚法 第八十五条 names only 二日、三日、五日、七日; e.g. 第六十条 90 days are natural days
    assert statutory_period(D(2026, 3, 2), days, law="penalty").unit == NATURAL


def test_licensing_periods_count_working_days(calendar):
    # 行政许可法 第八十二条: 行政许可的期限以工作日计算，不含法定节假日 (e.g. 第四十二条 二十日)
    deadline = statutory_period(D(2026, 9, 30), 20, law="licensing")
    assert deadline.unit == WORKING
    # 10/8, 10/9, 10/10 (make-up) = 3; three full weeks to 10/30 = 18; 11/2, 11/3
    assert deadline.due == D(2026, 11, 3)


def test_periods_under_any_other_law_count_natural_days(calendar):
    # 民事诉讼法 第八十五条: the general rule for 期间
    assert statutory_period(D(2026, 9, 30), 5, law="other").unit == NATURAL
    assert compute_period(D(2026, 9, 30), 5, unit=NATURAL) == add_natural_days(D(2026, 9, 30), 5)


# --- counting ------------------------------------------------------------------------------------


def test_counting_excludes_the_start_day_and_includes_the_end_day(calendar):
    # 民事诉讼法 第八十五条: (start, end]
    assert count_working_days(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert count_working_days(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert count_working_days(D(2026, 3, 2), D(2026, 3, 9)) == 5  # Tue–Fri and Mon


def test_counting_skips_holidays_and_counts_make_up_days(calendar):
    # 国办发明电〔2025〕7号: 9月20日（周日）上班; 10月1日至7日放假; 10月10日（周六）上班
    assert count_working_days(D(2026, 9, 19), D(2026, 9, 20)) == 1
    assert count_working_days(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert count_working_days(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_counting_backwards_is_negative(calendar):
    assert count_working_days(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_counting_across_years(calendar):
    # 国办发明电〔2024〕12号 and 〔2025〕7号
    whole_2025 = count_working_days(D(2024, 12, 31), D(2025, 12, 31))
    whole_2026 = count_working_days(D(2025, 12, 31), D(2026, 12, 31))
    assert count_working_days(D(2024, 12, 31), D(2026, 12, 31)) == whole_2025 + whole_2026
    assert count_working_days(D(2025, 6, 30), D(2026, 6, 30)) == count_working_days(
        D(2025, 6, 30), D(2025, 12, 31)
    ) + count_working_days(D(2025, 12, 31), D(2026, 6, 30))


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -3, 2.5, True])
def test_a_period_must_be_a_positive_whole_number_of_days(calendar, days):
    with pytest.raises(InvalidInput) as raised:
        add_working_days(D(2026, 3, 2), days)
    assert raised.value.errors[0].field == "days"
    assert raised.value.errors[0].rule == DAYS_RULE


def test_a_datetime_is_refused_where_a_local_date_is_expected(calendar):
    # DESIGN.md API conventions: dates are local dates (Asia/Shanghai)
    with pytest.raises(InvalidInput) as raised:
        add_natural_days(dt.datetime(2026, 3, 2, 9, 0), 5)
    assert raised.value.errors[0].field == "start"


def test_an_unknown_unit_is_refused(calendar):
    with pytest.raises(InvalidInput) as raised:
        compute_period(D(2026, 3, 2), 5, unit="hours")
    assert raised.value.errors[0].field == "unit"


# --- cost ----------------------------------------------------------------------------------------


def test_a_cached_year_costs_no_query(calendar, django_assert_num_queries, settings):
    settings.SANXIANG_WORKDAYS_CACHE_SECONDS = 3600
    add_working_days(D(2026, 3, 2), 5)
    with django_assert_num_queries(0):
        for offset in range(100):
            add_working_days(D(2026, 3, 2) + dt.timedelta(days=offset), 5)
            add_natural_days(D(2026, 3, 2) + dt.timedelta(days=offset), 15)
            count_working_days(D(2026, 1, 1), D(2026, 3, 2) + dt.timedelta(days=offset))
