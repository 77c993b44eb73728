"""Redaction (去标识化) of what the public receives.

DESIGN.md rules table (seeds 000, 002): disclosed data is redacted — natural persons' names,
ID numbers, phone numbers, bank accounts and home addresses — plus anything the disclosure officer
marks. :func:`public_record` builds the only form of a decision the public ever receives; every
public path (pages, API, feed, export, version history, webhooks, search index) reads it and
nothing else. See docs/decisions/0006-disclosure-redaction-and-search.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanxiang.disclosure import fields as F

NAME_MASK = "某某"
ID_MARK = "[证件号码已隐去]"
PHONE_MARK = "[电话已隐去]"
BANK_MARK = "[账号已隐去]"
ADDRESS_MARK = "[住址已隐去]"
OFFICER_MARK = "[已隐去]"

COMPOUND_SURNAMES = [
    "欧阳",
    "太史",
    "端木",
    "上官",
    "司马",
    "东方",
    "独孤",
    "南宫",
    "万俟",
    "闻人",
    "夏侯",
    "诸葛",
    "尉迟",
    "公羊",
    "赫连",
    "澹台",
    "皇甫",
    "宗政",
    "濮阳",
    "公冶",
    "太叔",
    "申屠",
    "公孙",
    "慕容",
    "仲孙",
    "钟离",
    "长孙",
    "宇文",
    "司徒",
    "鲜于",
    "司空",
    "闾丘",
    "子车",
    "亓官",
    "司寇",
    "巫马",
    "公西",
    "颛孙",
    "壤驷",
    "公良",
    "漆雕",
    "乐正",
    "宰父",
    "谷梁",
    "拓跋",
    "夹谷",
    "轩辕",
    "令狐",
    "段干",
    "百里",
    "呼延",
    "东郭",
    "南门",
    "羊舌",
    "微生",
    "公户",
    "公玉",
    "公仪",
    "梁丘",
    "公仲",
    "公上",
    "公门",
    "公山",
    "公坚",
    "左丘",
    "公伯",
    "西门",
    "公祖",
    "第五",
    "公乘",
    "贯丘",
    "公皙",
    "南荣",
    "东里",
    "东宫",
    "仲长",
    "子书",
    "子桑",
    "即墨",
    "达奚",
    "褚师",
]

# 公民身份号码 (GB 11643): 17 digits and a check character; 15-digit old numbers too.
_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
# Bank card and account numbers: 16 to 19 digits, or groups of four separated by spaces.
_BANK = re.compile(r"(?<![0-9A-Za-z])(?:\d{16,19}|\d{4}(?: \d{4}){3,4}(?: \d{1,3})?)(?![0-9A-Za-z])")
# Mobile numbers (optionally +86) and landlines with an area code.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}[- ]\d{7,8}|（0\d{2,3}）\d{7,8}|\(0\d{2,3}\)\d{7,8})(?![0-9])"
)
# A home address introduced by the words that introduce one, up to the end of the clause.
_ADDRESS = re.compile(
    r"(?P<lead>家住|住址[:：]?|现住址[:：]?|居住于|居住在|现住|户籍地[:：]?)(?P<addr>[^，。；,;\n）)]{2,60})"
)


@dataclass(frozen=True)
class Redaction:
    field: str
    kind: str  # name | id_number | phone | bank_account | address | officer_mark
    original: str
    replacement: str


def mask_name(name: str) -> str:
    """张三 → 张某某; 欧阳娜娜 → 欧阳某某 (the national practice for natural persons)."""
    name = (name or "").strip()
    if not name:
        return ""
    for surname in COMPOUND_SURNAMES:
        if name.startswith(surname) and len(name) > len(surname):
            return surname + NAME_MASK
    return name[0] + NAME_MASK


class Redactor:
    """Redacts text for one decision: its party's name and address, the officer's marks, and patterns."""

    def __init__(self, *, person_names: list[tuple[str, str]], addresses: list[str], marks: list[str]):
        # (original, replacement), longest first so that 张三丰 is handled before 张三
        self.names = sorted({(n, m) for n, m in person_names if n}, key=lambda p: -len(p[0]))
        self.addresses = sorted({a for a in addresses if a and len(a) >= 4}, key=len, reverse=True)
        self.marks = sorted({m for m in marks if m}, key=len, reverse=True)

    def text(self, field: str, value: str, *, patterns: bool = True) -> tuple[str, list[Redaction]]:
        found: list[Redaction] = []
        for mark in self.marks:
            if mark in value:
                value = value.replace(mark, OFFICER_MARK)
                found.append(Redaction(field, "officer_mark", mark, OFFICER_MARK))
        for address in self.addresses:
            if address in value:
                value = value.replace(address, ADDRESS_MARK)
                found.append(Redaction(field, "address", address, ADDRESS_MARK))
        for name, masked in self.names:
            if name in value:
                value = value.replace(name, masked)
                found.append(Redaction(field, "name", name, masked))
        if not patterns:
            return value, found
        for kind, pattern, mark in (
            ("id_number", _ID, ID_MARK),
            ("bank_account", _BANK, BANK_MARK),
            ("phone", _PHONE, PHONE_MARK),
        ):

            def sub(match: re.Match, kind=kind, mark=mark) -> str:
                found.append(Redaction(field, kind, match.group(0), mark))
                return mark

            value = pattern.sub(sub, value)

        def sub_address(match: re.Match) -> str:
            found.append(Redaction(field, "address", match.group("addr"), ADDRESS_MARK))
            return match.group("lead") + ADDRESS_MARK

        value = _ADDRESS.sub(sub_address, value)
        return value, found


def _party_items(party, redactor: Redactor) -> tuple[dict, list[Redaction]]:
    from sanxiang.registry.models import Party

    if party is None:
        return {"party_name": "", "party_category": ""}, []
    found: list[Redaction] = []
    if party.kind == Party.Kind.NATURAL_PERSON:
        masked = mask_name(party.name)
        found.append(Redaction("party_name", "name", party.name, masked))
        items = {
            "party_name": masked,
            "party_category": "自然人",
            "party_id_type": party.get_id_type_display() if party.id_type else "",
            "party_id_number": ID_MARK if party.id_number else "",
        }
        if party.id_number:
            found.append(Redaction("party_id_number", "id_number", party.id_number, ID_MARK))
        return items, found
    category = "个体工商户" if party.kind == Party.Kind.INDIVIDUAL_BUSINESS else "法人及非法人组织"
    name, hits = redactor.text("party_name", party.name, patterns=False)
    found += hits
    legal_rep, hits = redactor.text("legal_representative", party.legal_representative or "", patterns=False)
    found += hits
    return {
        "party_name": name,
        "party_category": category,
        "party_credit_code": party.credit_code,
        "legal_representative": legal_rep,
    }, found


def redactor_for(party, marks: list[str]) -> Redactor:
    from sanxiang.registry.models import Party

    names: list[tuple[str, str]] = []
    addresses: list[str] = []
    if party is not None and party.kind == Party.Kind.NATURAL_PERSON:
        names.append((party.name, mask_name(party.name)))
        if party.address:
            addresses.append(party.address)
    if party is not None and party.kind == Party.Kind.INDIVIDUAL_BUSINESS and party.address:
        # an individual business is often run from the operator's home
        addresses.append(party.address)
    return Redactor(person_names=names, addresses=addresses, marks=list(marks))


def public_record(
    *, kind: str, fields: dict, party, agency, marks: list[str], decided_on: str, publication_until: str = ""
) -> tuple[dict, list[Redaction]]:
    """The redacted public form of a decision, and what was redacted (for the disclosure officer)."""
    redactor = redactor_for(party, marks)
    record, found = _party_items(party, redactor)
    for item in F.items_for(kind):
        if item.key not in fields:
            continue
        value = fields[item.key]
        if item.type == F.NAMES:
            names = []
            for index, name in enumerate(value):
                clean, hits = redactor.text(f"attachments.{index}", name)
                names.append(clean)
                found += hits
            record[item.key] = names
        elif item.type in (F.TEXT,):
            clean, hits = redactor.text(item.key, value, patterns=item.key in F.FREE_TEXT_KEYS)
            record[item.key] = clean
            found += hits
        else:
            record[item.key] = value
    record.update(
        {
            "decided_on": decided_on,
            "agency_name": agency.name,
            "agency_credit_code": agency.credit_code,
            "source_agency_name": agency.name,
            "source_agency_credit_code": agency.credit_code,
        }
    )
    if publication_until:
        record["publication_until"] = publication_until
    return record, found


def originals(found: list[Redaction]) -> set[str]:
    """Every original string redaction removed (tests look for each on every public path)."""
    return {r.original for r in found if r.original and r.original != r.replacement}
