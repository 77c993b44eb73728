"""执法文书编号, assigned automatically per agency, kind of document and year.

The format is the jurisdiction's rule ``documents.number.format`` in the rules registry (national
default after GB/T 9704—2012 7.2.4 发文字号: 机关代字、文书代字、〔年份〕、顺序号 without 第 or
leading zeros, e.g. 宁市监罚〔2026〕12号). The serial comes from a counter row locked with
``select_for_update`` inside the caller's transaction: a record that is refused rolls its number
back with it, and two officers saving at once get consecutive numbers. The documents app reuses
``next_number`` for the documents it generates.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from sanxiang.cases.models import DocumentCounter

RULE = "documents.number.format"

# 文书代字 of each numbered record kind. (Procedure knowledge: it moves to the procedure's own
# definition module once the definitions are split per procedure.)
KIND_CODES = {
    "penalty_notice": "罚告",
    "hearing_notice": "听通",
    "decision_document": "罚",
    "on_spot_decision": "简罚",
    "licence_decision": "许",
    "seizure_decision": "强",
    "inspection_result": "检",
}
# 机关代字 by enforcement category, after the district's first character (宁 + 市监 = 宁市监).
CATEGORY_CODES = {
    "market": "市监",
    "transport": "交",
    "ecology": "环",
    "urban": "城管",
    "culture": "文执",
    "justice": "司",
}
_DISTRICT = re.compile(r"([\u4e00-\u9fff]{1,3}?)(?:区|县)")


def agency_code(agency) -> str:
    """The agency's 机关代字: the first character of its district or county and its category's code."""
    found = [m.group(1) for m in _DISTRICT.finditer(agency.name)]
    district = found[-1][-2:][:1] if found else agency.name[:1]
    category = next((c for c in agency.categories if c in CATEGORY_CODES), "")
    return district + CATEGORY_CODES.get(category, "")


def numbered(kind: str) -> bool:
    return kind in KIND_CODES


def format_number(agency, kind: str, year: int, serial: int, *, on: dt.date) -> str:
    from sanxiang.rules.selectors import rule_for

    text = str(rule_for(RULE, region=agency.region_code, on=on).value)
    for token, value in (
        ("机关代字", agency_code(agency)),
        ("文书代字", KIND_CODES[kind]),
        ("年份", str(year)),
        ("顺序号", str(serial)),
    ):
        text = text.replace(f"【{token}】", value)
    return text


def next_number(*, agency, kind: str, on: dt.date) -> str:
    """Take the next number of ``kind`` for ``agency`` in ``on``'s year (joins the caller's transaction)."""
    with transaction.atomic():
        counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
            agency=agency, kind=KIND_CODES[kind], year=on.year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        return format_number(agency, kind, on.year, counter.last, on=on)


def preview(*, agency, kind: str, on: dt.date) -> str:
    """The number the next document of ``kind`` would get (shown on the form; taken when saved)."""
    counter = DocumentCounter.objects.filter(agency=agency, kind=KIND_CODES[kind], year=on.year).first()
    return format_number(agency, kind, on.year, (counter.last if counter else 0) + 1, on=on)
