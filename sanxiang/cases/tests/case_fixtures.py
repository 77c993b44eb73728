"""Fixtures every test of case handling needs (the cases, documents and supervision tests import them
into their conftest): the working-day calendar seeded for 2025–2027, and no review check installed by
another app (the review app's own tests install theirs)."""

from __future__ import annotations

import pytest

from sanxiang.cases import gate
from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays.cache import invalidate


@pytest.fixture(autouse=True)
def calendar(db):
    seed_calendar([2025, 2026, 2027])
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _no_review_check():
    installed = (gate._check, gate._requested)
    gate.register_review_check(None)
    yield
    gate.register_review_check(*installed)
