"""Products, projects and places in the 检查对象名录库, drawn where an item's 对象范围 says so.

国市监信〔2019〕38号: 检查对象名录库 covers market entities and, as the item requires, products,
projects and places (一单两库).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.errors import InvalidInput
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import OtherObject, Target
from sanxiang.inspections.tests.conftest import ITEM, TZ
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db


def test_a_product_is_registered_with_its_owner_and_a_bad_one_is_refused_naming_the_field(
    head_a, entities, traveller
):
    owner = entities[0]
    product = services.other_object_register(
        actor=head_a,
        kind="product",
        code="SP20260301-01",
        name="某某牌速冻水饺（批次20260301）",
        region_code="220702",
        risk_class="C",
        owner_credit_code=owner.credit_code,
    )
    assert product.entity == owner and product.get_kind_display() == "产品"
    entry = Entry.objects.filter(kind="inspections.object.registered").get()
    assert "risk_class" not in entry.fields["payload"]  # the class is internal
    with pytest.raises(InvalidInput) as refused:
        services.other_object_register(
            actor=head_a, kind="enterprise", code="", name="x", region_code="110101", risk_class="E"
        )
    fields = {e.field for e in refused.value.errors}
    assert fields == {"kind", "code", "region_code", "risk_class"}
    assert all(e.message.split(":")[0] for e in refused.value.errors)
    with pytest.raises(InvalidInput):  # the same code twice
        services.other_object_register(
            actor=head_a, kind="product", code="SP20260301-01", name="重复", region_code="", risk_class="A"
        )
    assert OtherObject.objects.count() == 1


def test_an_item_covering_places_draws_places_and_their_inspection_has_the_owner_as_party(
    head_a, officer_a, agency_a, entities, inspectors, traveller
):
    item = catalog.entry_publish(
        actor=head_a,
        kind=ListKind.SPOT_CHECKS,
        agency=agency_a,
        data={**ITEM, "code": "CC-SP-009", "name": "集中用餐场所监督检查", "target": "集中用餐场所"},
        effective_from=dt.date(2026, 1, 1),
        reason="首次公布",
    ).entry
    services.profile_set(actor=head_a, item=item, level="key", object_kinds=["place"], category="market")
    for i in range(4):
        services.other_object_register(
            actor=head_a,
            kind="place",
            code=f"CS-{i:03d}",
            name=f"某某学校食堂{i}",
            region_code="220702",
            risk_class="D",
            owner_credit_code=entities[i].credit_code,
        )
    plan = services.plan_create(
        actor=head_a,
        year=2026,
        title="2026年度集中用餐场所抽查计划",
        scope="辖区内集中用餐场所",
        batches=[services.BatchInput("第一批", item, dt.date(2026, 3, 1), dt.date(2026, 6, 30), {"D": "50"})],
    )
    services.plan_file(actor=head_a, plan=plan)
    draw = services.draw_announce(
        actor=head_a,
        batch=plan.batches.get(),
        inspection_date=dt.date(2026, 3, 10),
        randomness_source="中国福利彩票双色球第2026025期开奖号码",
        randomness_expected_on=dt.date(2026, 3, 3),
    )
    assert draw.objects_count == 4  # places only: the market entities are not in this item's scope
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    services.draw_perform(actor=head_a, draw=draw, randomness="03 07 12 19 25 31 + 09")
    targets = list(Target.objects.filter(draw=draw).order_by("position"))
    assert len(targets) == 2 and all(t.other_object and t.name.startswith("某某学校食堂") for t in targets)
    assert all(t.code.startswith("CS-") for t in targets)
    assert selectors.verify_draw(draw).agrees
    inspection = services.inspection_open(actor=officer_a, target=targets[0])
    party = inspection.case.case_parties.get().party
    assert party.name == targets[0].other_object.entity.name


def test_the_objects_page_lists_and_adds_in_chinese(client_for, head_a, entities, traveller):
    client = client_for(head_a)
    response = client.post(
        "/staff/inspections/objects/",
        {
            "kind": "project",
            "code": "GC-2026-007",
            "name": "某某小区二期工程",
            "region_code": "220702",
            "risk_class": "B",
            "owner_credit_code": entities[1].credit_code,
        },
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 200 and "某某小区二期工程" in text and "工程项目" in text
    refused = client.post(
        "/staff/inspections/objects/",
        {"kind": "project", "code": "", "name": "", "risk_class": "B"},
        follow=True,
    )
    text = refused.content.decode()
    assert "编号: 必须填写" in text and "名称: 必须填写" in text
    assert OtherObject.objects.count() == 1
