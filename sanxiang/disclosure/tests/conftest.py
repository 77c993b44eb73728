"""Disclosure test helpers: disclosure officers, parties and decisions made through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.accounts.roles import Role
from sanxiang.disclosure import services
from sanxiang.ledger.testing import _ledger_triggers_restored, ledger_live_db  # noqa: F401
from sanxiang.registry.models import IdType, Party
from sanxiang.testing import factories

DECIDED = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def discloser_a(agency_a):
    return factories.UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER], username="discloser_a")


@pytest.fixture
def discloser_a2(agency_a):
    return factories.UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER], username="discloser_a2")


@pytest.fixture
def discloser_b(agency_b):
    return factories.UserFactory(agency=agency_b, roles=[Role.DISCLOSURE_OFFICER], username="discloser_b")


@pytest.fixture
def officer_elsewhere(db):
    """An officer of an agency in 北京市东城区 (110101), which works under the national rules."""
    agency = factories.AgencyFactory(name="东城区市场监督管理局", region_code="110101")
    return factories.UserFactory(
        agency=agency, roles=[Role.OFFICER, Role.DISCLOSURE_OFFICER], username="officer_dc"
    )


@pytest.fixture
def person(db):
    return Party.objects.create(
        kind=Party.Kind.NATURAL_PERSON,
        name="张三丰",
        id_type=IdType.RESIDENT_ID,
        id_number=factories.make_id_number(17, born=dt.date(1980, 5, 1)),
        phone="13912345678",
        address="宁江区建设街道幸福小区3栋2单元501室",
    )


@pytest.fixture
def minor(db):
    return Party.objects.create(
        kind=Party.Kind.NATURAL_PERSON,
        name="李小明",
        id_type=IdType.RESIDENT_ID,
        id_number=factories.make_id_number(18, born=dt.date(2010, 1, 1)),
    )


@pytest.fixture
def company(db):
    return factories.PartyFactory(name="松原市好味食品有限公司", legal_representative="王大力")


def penalty_fields(**overrides) -> dict:
    fields = {
        "document_number": "宁市监处罚〔2026〕12号",
        "violation_type": "销售过期食品",
        "violation_facts": "当事人于2026年1月在其经营场所销售超过保质期的食品",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
        "penalty_categories": "警告;罚款",
        "penalty_content": "给予警告，并处罚款5000元",
        "fine_amount": "5000.00",
        "severity": "ordinary",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_duty(officer_a, agency_a):
    counter = {"n": 0}

    def make(*, party, fields=None, kind="penalty", decided_on=DECIDED, actor=None, agency=None, ref=None):
        counter["n"] += 1
        return services.disclosure_duty_create(
            actor=actor or officer_a,
            agency=agency or agency_a,
            source_kind=kind,
            source_ref=ref or f"CASE-{counter['n']}",
            decided_on=decided_on,
            party=party,
            fields=fields
            if fields is not None
            else penalty_fields(document_number=f"宁市监处罚〔2026〕{counter['n']}号"),
        )

    return make


@pytest.fixture
def publish(discloser_a):
    def do(duty, *, reviewer=None):
        draft = duty.drafts.order_by("-number").first()
        services.disclosure_draft_review(
            actor=reviewer or discloser_a, draft=draft, approve=True, note="同意公示"
        )
        duty.refresh_from_db()
        return duty

    return do


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Deadlines: a fixed 'now' a few days after the decisions the tests make (Asia/Shanghai)."""
    import time_machine

    with time_machine.travel(
        dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=True
    ):
        yield
