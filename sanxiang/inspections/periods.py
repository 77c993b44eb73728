"""The periods of 双随机一公开, read from the rules registry for the agency's region and the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.rules.selectors import rule_for
from sanxiang.workdays.services import add_natural_days, add_working_days

RESULT_RULE = "disclosure.period.inspection"  # 抽查结果公示期限
REPEAT_RULE = "inspections.repeat_check_window"  # 重复检查预警期间


@dataclass(frozen=True)
class Due:
    date: dt.date
    version_id: str
    citation: str
    text: str


def result_due(*, region: str, checked_on: dt.date) -> Due:
    """抽查结果 published within the jurisdiction's period from the end of the check."""
    rule = rule_for(RESULT_RULE, region=region, on=checked_on)
    if rule.calendar_unit == "working":
        due = add_working_days(checked_on, rule.days, region=region).due
    else:
        due = add_natural_days(checked_on, rule.days, region=region).due
    return Due(due, rule.version_id, rule.citation, rule.text)


def repeat_window(*, region: str, on: dt.date) -> tuple[int, str]:
    """(days, citation): two departments checking one object within this many days is 重复检查."""
    rule = rule_for(REPEAT_RULE, region=region, on=on)
    return rule.days, rule.citation
