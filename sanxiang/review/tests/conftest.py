from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanxiang.accounts.roles import Role
from sanxiang.cases import gate
from sanxiang.cases.tests.factories import officer_for
from sanxiang.review import services
from sanxiang.testing import factories
from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays.cache import invalidate

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-03-02, 09:00 in Shanghai: a plain working week.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def calendar(db):
    seed_calendar([2025, 2026, 2027])
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _review_check():
    """The review app's gate, as installed by ReviewConfig.ready() (other apps' tests may remove it)."""
    gate.register_review_check(services.passed_for, services.requested_for)
    yield
    gate.register_review_check(services.passed_for, services.requested_for)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as t:
        yield t


@pytest.fixture
def handler(officer_a):
    officer_for(officer_a, name="甲执法员")
    return officer_a


@pytest.fixture
def reviewer(reviewer_a, agency_a):
    """reviewer_a, filed in the 名录库 of agency A's legal office (its own, 内设法制机构)."""
    officer = officer_for(reviewer_a, name="法制审核员甲")
    factories.ReviewerFactory(agency=agency_a, name="法制审核员甲", officer=officer)
    return reviewer_a


@pytest.fixture
def reviewer_two(agency_a):
    user = factories.UserFactory(agency=agency_a, roles=[Role.REVIEWER], username="reviewer_two")
    officer = officer_for(user, name="法制审核员乙")
    factories.ReviewerFactory(agency=agency_a, name="法制审核员乙", officer=officer)
    return user


@pytest.fixture
def head_two(agency_a):
    return factories.UserFactory(agency=agency_a, roles=[Role.HEAD], username="head_two")


@pytest.fixture
def second_officer(agency_a):
    return factories.OfficerFactory(agency=agency_a, name="乙执法员")
