"""Shared personas (STYLE.md, Tests): for agency A and for agency B an officer, a head, a reviewer
and a disclosure officer — so that every permission test can ask "can B see or change A's?" — and a
supervisor, an administrator and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.test import Client

from sanxiang.accounts.roles import Role
from sanxiang.testing import factories


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SANXIANG_BLOB_DIR = tmp_path / "blobs"
    settings.SANXIANG_LEDGER_TILE_DIR = tmp_path / "ledger-tiles"
    settings.SANXIANG_DOCUMENT_KEY_DIR = tmp_path / "document-keys"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    # The working-day calendar is cached per process; a rolled-back change must not leak into the next test.
    from sanxiang.workdays.cache import invalidate

    invalidate()
    # So are the rules (overrides and region profiles).
    from sanxiang.rules.selectors import invalidate as invalidate_rules

    invalidate_rules()
    # The ledger schedules at most one pending checkpoint per process; start each test with none.
    from sanxiang.ledger import services as ledger_services

    ledger_services._pending_until = None


@pytest.fixture
def supervising_agency(db):
    return factories.AgencyFactory(
        name="某区司法局", is_supervisory=True, categories=["supervision"], region_code="220702"
    )


@pytest.fixture
def agency_a(supervising_agency):
    return factories.AgencyFactory(
        name="某区市场监督管理局", supervisor=supervising_agency, region_code="220702"
    )


@pytest.fixture
def agency_b(supervising_agency):
    return factories.AgencyFactory(
        name="某区交通运输局", supervisor=supervising_agency, region_code="220702", categories=["transport"]
    )


@pytest.fixture
def agency_elsewhere(db):
    return factories.AgencyFactory(name="另一区市场监督管理局", region_code="220721")


def _persona(agency, role, **kw):
    return factories.UserFactory(agency=agency, roles=[role], **kw)


@pytest.fixture
def officer_a(agency_a):
    return _persona(agency_a, Role.OFFICER, username="officer_a")


@pytest.fixture
def officer_b(agency_b):
    return _persona(agency_b, Role.OFFICER, username="officer_b")


@pytest.fixture
def reviewer_a(agency_a):
    return _persona(agency_a, Role.REVIEWER, username="reviewer_a")


@pytest.fixture
def head_a(agency_a):
    return _persona(agency_a, Role.HEAD, username="head_a")


@pytest.fixture
def reviewer_b(agency_b):
    return _persona(agency_b, Role.REVIEWER, username="reviewer_b")


@pytest.fixture
def head_b(agency_b):
    return _persona(agency_b, Role.HEAD, username="head_b")


@pytest.fixture
def disclosure_officer_a(agency_a):
    return _persona(agency_a, Role.DISCLOSURE_OFFICER, username="disclosure_officer_a")


@pytest.fixture
def disclosure_officer_b(agency_b):
    return _persona(agency_b, Role.DISCLOSURE_OFFICER, username="disclosure_officer_b")


@pytest.fixture
def supervisor(supervising_agency):
    return _persona(supervising_agency, Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def administrator(db):
    return factories.UserFactory(
        username="admin", roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True
    )


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def seed_calendar(years: list[int]) -> None:
    """The working-day calendar of ``years`` as the installed chinesecalendar package has it, with the
    process cache dropped before and after.

    The data migration loads every year the package covers and each test rolls back to that state,
    so a test usually finds the years already there: then nothing is written (``seed_from_chinesecalendar``
    would rewrite and re-validate every day of every year only to record nothing). A transactional
    test's flush empties the tables; the next test then seeds them through the service."""
    from sanxiang.workdays.cache import invalidate
    from sanxiang.workdays.services import seed_from_chinesecalendar

    invalidate()
    if not _calendar_as_packaged(years):
        seed_from_chinesecalendar(years=years)
    invalidate()


def _calendar_as_packaged(years: list[int]) -> bool:
    """Whether every year of ``years`` the package covers is stored exactly as the service would store it
    (published, from the package, its notice number, the package's national days) — or is a year an
    administrator published by hand, which the service keeps as entered."""
    from sanxiang.workdays import seeding
    from sanxiang.workdays.models import CalendarYear, SpecialDay

    package = seeding.chinesecalendar_years()
    wanted = [y for y in years if y in package]
    stored = {c.year: c for c in CalendarYear.objects.filter(year__in=wanted)}
    expected: set[tuple] = set()
    for year in wanted:
        current = stored.get(year)
        if current is None or current.status != CalendarYear.Status.PUBLISHED:
            return False
        if current.source == CalendarYear.Source.MANUAL:
            continue
        if current.source != CalendarYear.Source.CHINESECALENDAR:
            return False
        if current.notice_number != (current.notice_number or seeding.NOTICE_NUMBERS.get(year, "")):
            return False
        expected |= {(year, r.date, r.kind, r.name, r.basis) for r in package[year]}
    packaged = [y for y in wanted if stored[y].source != CalendarYear.Source.MANUAL]
    found = set(
        SpecialDay.objects.filter(calendar_year__year__in=packaged, region_code="").values_list(
            "calendar_year__year", "date", "kind", "name", "basis"
        )
    )
    return found == expected


_DEMO_OUTPUT: dict[object, str] = {}


def demo_build(settings) -> str:
    """``load_demo --entities 20`` into the test database, or the copy of the run's first build put
    back (sanxiang/testing/snapshot.py: every table's rows and the test's files); returns what the
    command printed. Built once per run, database and day (about 3 CPU minutes): the browser tests'
    committed ``demo`` and the ``demo_db`` of a test's transaction share it."""
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sanxiang.testing import snapshot

    key = ("demo-20", connection.vendor, timezone.localdate())
    dirs = snapshot.test_folders(settings)
    if not snapshot.restore(key, connection, dirs):
        out = io.StringIO()
        call_command("load_demo", "--entities", "20", stdout=out)
        snapshot.take(key, connection, dirs)
        _DEMO_OUTPUT[key] = out.getvalue()
    return _DEMO_OUTPUT[key]


@pytest.fixture
def demo_db(db, settings) -> str:
    """The demo in this test's transaction (the rollback at the test's end takes it away again);
    returns what ``load_demo`` printed. Ask for it before any fixture that writes rows: a restore
    empties every table first."""
    return demo_build(settings)
