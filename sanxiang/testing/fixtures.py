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
