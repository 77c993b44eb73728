"""Workload balancing: no inspector is drawn for more objects of one plan than the cap.

The cap is the rules registry's ``inspections.inspector_cap`` (国办发〔2015〕58号 asks for inspectors
to be chosen at random and sets no number, so nationally there is none) or the one set for the draw.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.inspections import drawalgo, selectors, services
from sanxiang.inspections.models import Draw, Recusal
from sanxiang.inspections.tests.conftest import TZ, announce

pytestmark = pytest.mark.django_db

LOTTERY = "03 07 12 19 25 31 + 09"
RATIOS = {"A": "10", "B": "20", "C": "30", "D": "50"}  # 1 + 2 + 3 + 5 = 11 of the 40 objects


def _perform(head, draw, traveller):
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    services.draw_perform(actor=head, draw=draw, randomness=LOTTERY)
    return Draw.objects.get(pk=draw.pk)


def _loads(*draws):
    return Counter(c for d in draws for t in d.targets.all() for team in t.inspectors for c in team)


@pytest.fixture
def two_batches(head_a, item, classified, inspectors):
    plan = services.plan_create(
        actor=head_a,
        year=2026,
        title="2026年度食品经营随机抽查计划（两批）",
        scope="辖区内食品经营者",
        batches=[
            services.BatchInput("第一批", item, dt.date(2026, 3, 1), dt.date(2026, 6, 30), RATIOS),
            services.BatchInput("第二批", item, dt.date(2026, 3, 1), dt.date(2026, 12, 31), RATIOS),
        ],
    )
    services.plan_file(actor=head_a, plan=plan)
    return plan


def test_no_inspector_is_drawn_over_the_cap_across_the_plans_draws(head_a, two_batches, traveller):
    # 国办发〔2015〕58号: 随机选派执法检查人员 — 6 inspectors, 2 per object, 11 objects per batch
    first_batch, second_batch = two_batches.batches.order_by("position")
    first = _perform(head_a, announce(head_a, two_batches, batch=first_batch, inspector_cap=9), traveller)
    assert first.parameters["inspector_cap"] == 9 and first.parameters["inspector_loads"] == {}
    assert max(_loads(first).values()) <= 9
    traveller.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ))
    second = announce(head_a, two_batches, batch=second_batch, inspector_cap=9)
    # the earlier draw's loads are frozen into the second draw's published parameters
    assert second.parameters["inspector_loads"] == dict(sorted(_loads(first).items()))
    second = _perform(head_a, second, traveller)
    together = _loads(first, second)
    assert sum(together.values()) == 44 and max(together.values()) <= 9
    # the offline verifier recomputes the balancing from the published loads
    assert selectors.verify_draw(second).agrees
    document = selectors.draw_document(second)
    document["parameters"]["inspector_loads"] = {}
    assert not drawalgo.verify_document(document).agrees


def test_a_cap_the_inspectors_cannot_meet_fails_the_draw_with_the_reason(head_a, plan, traveller):
    # 22 assignments, 6 inspectors × 3 = 18 places: the draw fails and says why
    draw = announce(head_a, plan, inspector_cap=3)
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    with pytest.raises(TransitionRefused) as refused:
        services.draw_perform(actor=head_a, draw=draw, randomness=LOTTERY)
    message = refused.value.errors[0].message
    assert "上限3个" in message and "第四十二条" in message


def test_the_cap_keeps_recusals_and_is_refused_when_not_positive(
    head_a, plan, inspectors, entities, traveller
):
    # 《中华人民共和国行政处罚法》第四十三条: 回避 — still never drawn for that object under a cap
    for e in entities:
        services.recusal_declare(actor=head_a, officer=inspectors[0], entity=e, kind=Recusal.Kind.KIN)
    with pytest.raises(InvalidInput) as refused:
        announce(head_a, plan, inspector_cap=0)
    assert refused.value.errors[0].field == "inspector_cap"
    draw = _perform(head_a, announce(head_a, plan, inspector_cap=6), traveller)
    loads = _loads(draw)
    assert inspectors[0].credential_number not in loads
    assert sum(loads.values()) == 22 and max(loads.values()) <= 6
