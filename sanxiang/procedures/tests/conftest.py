from __future__ import annotations

import pytest

# The case personas, for the tests that run a procedure through the cases services.
from sanxiang.cases.tests.conftest import handler, second_officer, traveller  # noqa: F401
from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays.cache import invalidate


@pytest.fixture
def calendar(db):
    """Published holiday data for the years these tests use (idempotent; the data migration loads it)."""
    seed_calendar([2024, 2025, 2026])
    yield
    invalidate()
