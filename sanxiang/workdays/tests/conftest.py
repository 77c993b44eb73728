from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays import tracking
from sanxiang.workdays.cache import invalidate
from sanxiang.workdays.tests.probe import ProbeCase, ProbeDeadline
from sanxiang.workdays.tracking import register_deadline_model


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shared test database, plus the tables of the test-only deadline models."""
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(ProbeDeadline)
        editor.create_model(ProbeCase)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(ProbeCase)
        editor.delete_model(ProbeDeadline)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test rolls its data back, which no cache can notice: start and end with empty ones.
    (The probe models' content types are created inside tests, so their cached ids die too.)"""
    invalidate()
    ContentType.objects.clear_cache()
    yield
    invalidate()
    ContentType.objects.clear_cache()


@pytest.fixture
def calendar(db):
    """The chinesecalendar years these tests use. The data migration loads them; a transactional
    test elsewhere may have flushed them, so make sure (idempotent, no writes when present)."""
    seed_calendar([2024, 2025, 2026])


@pytest.fixture
def tracked_probes(db):
    """Only the probe models are tracked while the test runs (other apps' registrations are set
    aside so that these tests exercise the mechanism, not those apps' tables)."""
    saved = dict(tracking._tracked)
    tracking._tracked.clear()
    register_deadline_model(ProbeDeadline)
    register_deadline_model(ProbeCase, prefix="disclosure_")
    register_deadline_model(ProbeCase, prefix="review_")
    yield
    tracking._tracked.clear()
    tracking._tracked.update(saved)
