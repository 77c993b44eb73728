from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanxiang.accounts.roles import Role
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.inspections import services
from sanxiang.registry.models import MarketEntity
from sanxiang.testing.factories import MarketEntityFactory, OfficerFactory, UserFactory, make_credit_code
from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays.cache import invalidate

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-03-02, 09:00 in Shanghai
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
ITEM = {
    "code": "CC-SP-001",
    "name": "食品经营者监督检查",
    "subject": "某区市场监督管理局",
    "basis_law": "中华人民共和国食品安全法",
    "basis_article": "第一百一十条",
    "target": "辖区内食品经营者",
    "content": "经营许可、进货查验记录、贮存条件",
    "method": "双随机抽查、现场检查",
    "ratio": "5",
    "frequency": "每年不少于一次",
}


@pytest.fixture(autouse=True)
def calendar(db):
    seed_calendar([2025, 2026, 2027])
    yield
    invalidate()


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as t:
        yield t


@pytest.fixture
def item(head_a, agency_a, traveller):
    entry = catalog.entry_publish(
        actor=head_a,
        kind=ListKind.SPOT_CHECKS,
        agency=agency_a,
        data=dict(ITEM),
        effective_from=dt.date(2026, 1, 1),
        reason="首次公布",
    ).entry
    services.profile_set(
        actor=head_a,
        item=entry,
        level="general",
        object_kinds=["enterprise", "individual_business"],
        category="market",
    )
    return entry


@pytest.fixture
def inspectors(agency_a):
    return [OfficerFactory(agency=agency_a, name=f"检查员{i}") for i in range(6)]


@pytest.fixture
def entities(db):
    made = []
    for i in range(40):
        made.append(
            MarketEntityFactory(
                credit_code=make_credit_code(90000 + i, department="9", kind="1"),
                name=f"某某食品店{i}",
                kind=MarketEntity.Kind.INDIVIDUAL_BUSINESS if i % 3 else MarketEntity.Kind.ENTERPRISE,
            )
        )
    return made


@pytest.fixture
def classified(entities, head_a):
    pairs = [(e, "ABCD"[i % 4]) for i, e in enumerate(entities)]
    services.credit_classes_record(
        actor=head_a, classes=pairs, classified_on=dt.date(2026, 1, 5), basis="月度分类"
    )
    return dict(pairs)


@pytest.fixture
def plan(head_a, item, classified, inspectors):
    plan = services.plan_create(
        actor=head_a,
        year=2026,
        title="2026年度食品经营随机抽查计划",
        scope="辖区内食品经营者",
        batches=[
            services.BatchInput(
                name="第一批",
                item=item,
                starts_on=dt.date(2026, 3, 1),
                ends_on=dt.date(2026, 6, 30),
                ratios={"A": "10", "B": "20", "C": "30", "D": "50"},
            )
        ],
    )
    services.plan_file(actor=head_a, plan=plan)
    return plan


@pytest.fixture
def disclosure_a(agency_a):
    return UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER], username="disclosure_a")


def announce(head, plan, **kw):
    batch = kw.pop("batch", None) or plan.batches.get()
    args = dict(
        batch=batch,
        inspection_date=dt.date(2026, 3, 10),
        randomness_source="中国福利彩票双色球第2026025期开奖号码（2026-03-03 开奖）",
        randomness_expected_on=dt.date(2026, 3, 3),
    )
    args.update(kw)
    return services.draw_announce(actor=head, **args)
