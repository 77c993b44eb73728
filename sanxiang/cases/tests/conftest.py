from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanxiang.cases import gate
from sanxiang.cases.tests.factories import officer_for
from sanxiang.workdays.cache import invalidate
from sanxiang.workdays.services import seed_from_chinesecalendar

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-03-02, 09:00 in Shanghai: a plain working week.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def calendar(db):
    invalidate()
    seed_from_chinesecalendar(years=[2025, 2026, 2027])
    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _no_review_check():
    installed = (gate._check, gate._requested)
    gate.register_review_check(None)
    yield
    gate.register_review_check(*installed)


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
