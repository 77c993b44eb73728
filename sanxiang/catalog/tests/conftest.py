from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.catalog import services
from sanxiang.catalog.models import ListKind
from sanxiang.testing.fixtures import seed_calendar
from sanxiang.workdays.cache import invalidate

DAY = dt.date(2025, 9, 1)


@pytest.fixture
def calendar(db):
    seed_calendar([2024, 2025, 2026])
    yield
    invalidate()


def item_data(code="CF-001", **over):
    data = {
        "code": code,
        "category": "penalty",
        "name": "对未取得食品经营许可从事食品经营活动的处罚",
        "basis_law": "中华人民共和国食品安全法",
        "basis_article": "第一百二十二条",
        "handling_unit": "执法稽查科",
        "time_limit_days": 90,
        "time_limit_unit": "natural",
        "note": "",
    }
    data.update(over)
    return data


DISCRETION = [
    {
        "level": "从轻",
        "circumstances": "首次违法且货值金额不足一万元",
        "penalty_kinds": ["fine"],
        "fine_min": "50000",
        "fine_max": "80000",
    },
    {
        "level": "从重",
        "circumstances": "违法行为持续六个月以上",
        "penalty_kinds": ["fine", "confiscate_gains"],
        "fine_min": "80000",
        "fine_max": "100000",
    },
]


@pytest.fixture
def publish(head_a, agency_a):
    def make(kind=ListKind.ITEMS, data=None, *, on=DAY, reason="首次公布", actor=None, agency=None, **kw):
        return services.entry_publish(
            actor=actor or head_a,
            kind=kind,
            agency=agency or agency_a,
            data=data if data is not None else item_data(),
            effective_from=on,
            reason=reason,
            **kw,
        )

    return make
