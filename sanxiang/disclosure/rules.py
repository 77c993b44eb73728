"""The disclosure rules, read from the rules registry for the agency's region and the date in
question: the disclosure periods, the withdrawal periods, the correction period and the credit
publication periods. No value is written here; each comes with its source (``Rule.citation``).
"""

from __future__ import annotations

import datetime as dt

from sanxiang.disclosure import fields as F
from sanxiang.rules.selectors import Rule, lowest_value, rule_for

PERIOD_KEYS = {
    F.PENALTY: "disclosure.period.penalty",
    F.LICENSING: "disclosure.period.licensing",
    F.OTHER: "disclosure.period.other",
    F.INSPECTION: "disclosure.period.inspection",
}
SEVERITIES = ("minor", "ordinary", "serious")


def period_rule(kind: str, *, region: str, on: dt.date) -> Rule:
    """许可/处罚/其他决定/抽查结果: within how many working days of the decision it is disclosed."""
    return rule_for(PERIOD_KEYS[kind], region=region, on=on)


def withdrawal_rule(*, region: str, on: dt.date) -> Rule:
    """A changed, revoked or annulled decision is withdrawn within this period (行政处罚法 第四十八条)."""
    return rule_for("disclosure.withdrawal.after_change", region=region, on=on)


def correction_rule(*, region: str, on: dt.date) -> Rule:
    return rule_for("disclosure.correction.period", region=region, on=on)


def retention_rule(*, natural_person: bool, region: str, on: dt.date) -> Rule:
    key = "disclosure.withdrawal.years_person" if natural_person else "disclosure.withdrawal.years"
    return rule_for(key, region=region, on=on)


def shortest_retention_years() -> int:
    """The fewest years any region keeps a decision published (the sweep's search horizon)."""
    values = [lowest_value("disclosure.withdrawal.years_person"), lowest_value("disclosure.withdrawal.years")]
    return min(int(v) for v in values if isinstance(v, int))


def credit_rule(severity: str | None, *, region: str, on: dt.date) -> Rule:
    chosen = severity if severity in SEVERITIES else "ordinary"
    return rule_for(f"credit.publication.{chosen}", region=region, on=on)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def publication_until(
    kind: str, decided_on: dt.date, severity: str | None, *, region: str = ""
) -> dt.date | None:
    """公示截止期 of a penalty under the credit publication period in force on the decision date."""
    if kind != F.PENALTY:
        return None
    months = credit_rule(severity, region=region, on=decided_on).value
    return add_months(decided_on, int(months or 0))


def retention_ends(first_published: dt.date, *, natural_person: bool, region: str = "") -> dt.date:
    """The day from which a published decision may come down (公开满N年)."""
    years = retention_rule(natural_person=natural_person, region=region, on=first_published).value
    return add_years(first_published, int(years or 0))
