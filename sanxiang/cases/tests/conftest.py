from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanxiang.cases.tests.case_fixtures import _no_review_check, calendar  # noqa: F401 - autouse fixtures
from sanxiang.cases.tests.factories import officer_for

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-03-02, 09:00 in Shanghai: a plain working week.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as t:
        yield t


@pytest.fixture
def handler(officer_a):
    officer_for(officer_a, name="甲执法员")
    return officer_a


@pytest.fixture
def second_officer(agency_a):
    from sanxiang.testing.factories import OfficerFactory

    return OfficerFactory(agency=agency_a, name="乙执法员")
