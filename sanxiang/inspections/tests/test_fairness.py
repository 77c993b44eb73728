from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.inspections import selectors, services
from sanxiang.inspections.tests.conftest import ITEM, TZ, announce
from sanxiang.testing.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

LOTTERY = "03 07 12 19 25 31 + 09"


@pytest.fixture
def head_b(agency_b):
    from sanxiang.accounts.roles import Role

    return UserFactory(agency=agency_b, roles=[Role.HEAD], username="head_b")


@pytest.fixture
def plan_b(head_b, agency_b, classified, traveller):
    """The transport agency's own plan over the same directory, every object (ratio 100 %)."""
    for i in range(3):
        OfficerFactory(agency=agency_b, name=f"交通检查员{i}", credential_number=f"2207029900{i:03d}")
    item = catalog.entry_publish(
        actor=head_b,
        kind=ListKind.SPOT_CHECKS,
        agency=agency_b,
        data={**ITEM, "code": "JT-SP-001", "name": "道路运输经营者检查"},
        effective_from=dt.date(2026, 1, 1),
        reason="首次公布",
    ).entry
    services.profile_set(
        actor=head_b,
        item=item,
        level="key",
        object_kinds=["enterprise", "individual_business"],
        category="transport",
    )
    plan = services.plan_create(
        actor=head_b,
        year=2026,
        title="道路运输抽查",
        scope="辖区",
        batches=[
            services.BatchInput(
                "第一批",
                item,
                dt.date(2026, 3, 1),
                dt.date(2026, 6, 30),
                {"A": "100", "B": "100", "C": "100", "D": "100"},
            )
        ],
    )
    services.plan_file(actor=head_b, plan=plan)
    return plan


def drawn(head, plan, traveller, **kw):
    draw = announce(head, plan, **kw)
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    services.draw_perform(actor=head, draw=draw, randomness=LOTTERY)
    draw.refresh_from_db()
    return draw


def test_a_joint_plan_draws_a_team_from_each_agency_for_every_object(
    head_a, agency_b, plan, classified, inspectors, traveller
):
    for i in range(3):
        OfficerFactory(agency=agency_b, name=f"交通检查员{i}", credential_number=f"2207029900{i:03d}")
    joint = services.plan_create(
        actor=head_a,
        year=2026,
        title="联合抽查",
        scope="辖区",
        partners=[(agency_b, "transport")],
        batches=[
            services.BatchInput(
                "第一批", plan.batches.get().item, dt.date(2026, 3, 1), dt.date(2026, 6, 30), {}
            )
        ],
    )
    assert joint.joint and joint.participants.count() == 2
    services.plan_file(actor=head_a, plan=joint)
    draw = drawn(head_a, joint, traveller)
    ours = set(inspectors[i].credential_number for i in range(len(inspectors)))
    for target in draw.targets.all():
        market, transport = target.inspectors
        assert len(market) == 2 and set(market) <= ours
        assert len(transport) == 2 and all(c.startswith("2207029900") for c in transport)


def test_an_object_checked_by_two_departments_within_30_days_raises_an_alert(
    head_a, head_b, supervisor, plan, plan_b, traveller
):
    # 《国务院办公厅关于推广随机抽查规范事中事后监管的通知》: 减少重复检查; the 30 days are a rule with its source
    first = drawn(head_a, plan, traveller)
    second = drawn(head_b, plan_b, traveller, inspection_date=dt.date(2026, 3, 20))
    alerts = selectors.repeat_alerts(supervisor)
    assert len(alerts) == first.targets.count()
    alert = alerts[0]
    assert alert["days"] == 10 and alert["window"] == 30
    assert "国务院办公厅关于推广随机抽查规范事中事后监管的通知" in alert["citation"]
    assert second.targets.count() == 40
    history = selectors.entity_history(first.targets.first().entity_id)
    assert [h["agency"] for h in history] == [first.agency.name, second.agency.name]


def test_a_repeat_cap_leaves_out_objects_already_checked_this_year(head_a, head_b, plan, plan_b, traveller):
    first = drawn(head_a, plan, traveller)
    capped = drawn(head_b, plan_b, traveller, repeat_cap=1)
    already = set(first.targets.values_list("entity_id", flat=True))
    assert capped.targets.count() == 40 - len(already)
    assert not already & set(capped.targets.values_list("entity_id", flat=True))


def test_realised_ratios_are_shown_against_the_plan(head_a, plan, traveller):
    draw = drawn(head_a, plan, traveller)
    rows = selectors.realised_ratios(draw)
    assert [(r["class"], r["planned"], r["realised"]) for r in rows] == [
        ("A", "10", "10.00"),
        ("B", "20", "20.00"),
        ("C", "30", "30.00"),
        ("D", "50", "50.00"),
    ]
