"""The disclosure rules as data: periods, retention, credit publication periods (DESIGN.md rules table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.disclosure import fields as F

# 许可 and 处罚 within 7 working days of the decision; others and spot-check results within 20
# (seeds 000, 001, 002; 公示办法 第二十七条 — 松原 allows 7 for all: a DeadlineRule expresses that).
DEFAULT_DAYS = {F.PENALTY: 7, F.LICENSING: 7, F.OTHER: 20, F.INSPECTION: 20}
DEFAULT_SOURCE = {
    F.PENALTY: "行政处罚决定自作出之日起7个工作日内公开（seeds 000、001、002）",
    F.LICENSING: "行政许可决定自作出之日起7个工作日内公开（seeds 000、001、002）",
    F.OTHER: "其他执法决定自作出之日起20个工作日内公开（seeds 000、001）",
    F.INSPECTION: "抽查检查结果自检查结束之日起20个工作日内公示（seed 002 公示办法 第二十七条；seed 004）",
}

# 公示办法 第二十八条: 公开满5年的可以撤下; 行政相对人是自然人的，公开满2年的可以撤下.
RETENTION_YEARS = 5
RETENTION_YEARS_PERSON = 2
# 行政处罚法 第四十八条: 被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回 (三日 = working days, 第八十五条).
WITHDRAWAL_WORKING_DAYS = 3
# 公示办法 第三十一条: 应当及时作出处理 — the platform's default for "及时", configurable in settings.
CORRECTION_WORKING_DAYS = 15


@dataclass(frozen=True)
class CreditPeriods:
    """How long a published penalty stays published for credit purposes, from ``effective_from`` on."""

    effective_from: dt.date
    source: str
    months: dict[str, int]  # severity -> maximum months published; 0 = in principle not published


CREDIT_PERIOD_VERSIONS = (
    CreditPeriods(
        effective_from=dt.date(2021, 9, 1),
        source="市场监督管理行政处罚信息公示规定（2021）：行政处罚信息公示期限为三年",
        months={"minor": 36, "ordinary": 36, "serious": 36},
    ),
    CreditPeriods(
        effective_from=dt.date(2026, 4, 1),
        source="信用修复管理办法（2026）：轻微原则上不公示，一般3个月至1年，严重1年至3年",
        months={"minor": 0, "ordinary": 12, "serious": 36},
    ),
)


def credit_periods_on(day: dt.date) -> CreditPeriods:
    chosen = CREDIT_PERIOD_VERSIONS[0]
    for version in CREDIT_PERIOD_VERSIONS:
        if version.effective_from <= day:
            chosen = version
    return chosen


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def publication_until(kind: str, decided_on: dt.date, severity: str | None) -> dt.date | None:
    """公示截止期 of a penalty under the credit periods in force on the decision date."""
    if kind != F.PENALTY:
        return None
    version = credit_periods_on(decided_on)
    return add_months(decided_on, version.months[severity or "ordinary"])


def retention_ends(first_published: dt.date, *, natural_person: bool) -> dt.date:
    years = RETENTION_YEARS_PERSON if natural_person else RETENTION_YEARS
    try:
        return first_published.replace(year=first_published.year + years)
    except ValueError:  # 29 February
        return dt.date(first_published.year + years, 3, 1)
