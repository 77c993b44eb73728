"""A case of each procedure that gives documents, built through the services with the demo's steps
(the same records an officer makes), plus the party with a CJK Extension B character in its name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sanxiang.cases import clock, demo
from sanxiang.cases.tests.case_fixtures import _no_review_check, calendar  # noqa: F401 - autouse fixtures
from sanxiang.cases.tests.factories import officer_for
from sanxiang.testing.factories import OfficerFactory

TZ = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
# 𠀾 (U+2003E) is in CJK Unified Ideographs Extension B: a name with it must render, not vanish.
EXT_B_NAME = "松原市宁江区𠀾记超市有限公司"
PARTY = {
    "kind": "organisation",
    "name": EXT_B_NAME,
    "legal_representative": "张𡈽",
    "address": "吉林省松原市宁江区民主路88号",
}


@pytest.fixture
def handler(officer_a):
    officer_for(officer_a, name="甲执法员")
    return officer_a


def _build(handler, reviewer, head, procedure, steps, stop, title, party=None):
    from sanxiang.registry.validators import compose_credit_code

    party = dict(party or PARTY)
    if party.get("kind") == "organisation":
        party["credit_code"] = compose_credit_code(department="9", kind="1", region="220702", serial=17)
    ctx = demo.Ctx(
        handler=handler, reviewer=reviewer, head=head, partner=OfficerFactory(agency=handler.agency)
    )
    return demo._run(
        ctx,
        start=START,
        procedure=procedure,
        title=title,
        source="inspection",
        steps=steps,
        stop=stop,
        party=party,
        gap=dt.timedelta(hours=20),
    )


@pytest.fixture
def general_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 through 直接送达 (告知书, 决定书 and 送达回证 records)."""
    title = "宁江区某某超市销售过期食品案"
    steps = demo.general_steps(title, "fine", "8000")
    with clock.at(START):
        return _build(handler, reviewer_a, head_a, "penalty_general", steps, 13, title)


@pytest.fixture
def simple_case(handler, reviewer_a, head_a):
    """行政处罚简易程序 with its 当场处罚决定."""
    person = dict(demo.PERSON, name="王𠀾")
    return _build(handler, reviewer_a, head_a, "penalty_simple", demo.SIMPLE, 3, "占道经营案", party=person)


@pytest.fixture
def licence_case(handler, reviewer_a, head_a):
    """行政许可 accepted (申请登记, 受理通知书)."""
    person = dict(demo.PERSON, name="李申请")
    return _build(
        handler, reviewer_a, head_a, "licensing", demo.LICENSING, 3, "食品经营许可申请", party=person
    )
