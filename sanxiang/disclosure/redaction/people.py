"""First layer of the redactor: every person and identifier the case knows, in every written form.

A known person's name is found written in full, spaced out (张 三 丰), partly (三丰, 张某丰, 张三某),
in Latin script or pinyin (Zhang Sanfeng, ZHANG San-feng, Sanfeng Zhang, zhangsanfeng, Zhang S.F.), and
a minority name with or without its middle dot (买买提·艾力, 买买提艾力, 买买提.艾力, 买买提 艾力). A known
identifier (ID number, phone, account) is found with any spaces, dashes or full-width digits between its
characters; a known address in full and from any administrative level down (宁江区…, 幸福小区3栋…).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sanxiang.disclosure.redaction.patterns import ADDRESS, BANK, ID, MARKERS, NAME, PHONE, Hit
from sanxiang.disclosure.redaction.text import (
    HAN,
    ORG_SUFFIX,
    looks_like_person,
    mask_name,
    shadow,
    split_name,
)


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # 当事人、经营者、投诉举报人、见证人 …

    @property
    def masked(self) -> str:
        return mask_name(self.name)


@dataclass
class Known:
    """What the redactor knows about one decision's people (see :func:`known_for`)."""

    persons: list[Person] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (value, kind)
    addresses: list[str] = field(default_factory=list)

    def add_person(self, name: str, role: str) -> None:
        name = (name or "").strip()
        if name and looks_like_person(name) and all(p.name != name for p in self.persons):
            self.persons.append(Person(name, role))

    def add_identifier(self, value: str, kind: str) -> None:
        value = re.sub(r"[\s\-]", "", shadow(value or ""))
        if len(value) >= 5 and (value, kind) not in self.identifiers:
            self.identifiers.append((value, kind))

    def add_contact(self, value: str) -> None:
        """A free-form contact (投诉举报人联系方式): its phone numbers and e-mail addresses."""
        s = shadow(value or "")
        for number in re.findall(r"\d[\d \-]{5,}\d", s):
            self.add_identifier(number, PHONE)
        if "@" in s:
            self.add_identifier(s.strip(), "email")

    def add_address(self, value: str) -> None:
        value = (value or "").strip()
        if len(value) >= 4 and value not in self.addresses:
            self.addresses.append(value)

    def add_party(self, party, *, role: str = "当事人") -> None:
        from sanxiang.registry.models import Party

        if party is None:
            return
        if party.kind == Party.Kind.NATURAL_PERSON:
            self.add_person(party.name, role)
            self.add_identifier(party.id_number, ID)
            self.add_identifier(party.phone, PHONE)
            self.add_address(party.address)
        elif party.kind == Party.Kind.INDIVIDUAL_BUSINESS:
            # the operator (经营者) is a natural person, and the premises are often the operator's home
            self.add_person(party.legal_representative, "经营者")
            self.add_identifier(party.phone, PHONE)
            self.add_address(party.address)
        else:
            # an organisation's name, code, legal representative and seat are public registration data
            self.add_identifier(party.phone, PHONE)


def known_for(*, party, agency_id: int | None = None, case_number: str = "") -> Known:
    """The party's data, and everyone the case names (other parties, the complainant, witnesses …)."""
    known = Known()
    known.add_party(party)
    if agency_id is not None and case_number:
        from sanxiang.cases.selectors import case_people

        people = case_people(agency_id=agency_id, number=case_number)
        for other in people.parties:
            if party is None or other.pk != party.pk:
                known.add_party(other, role="其他当事人")
        for name, role in people.others:
            known.add_person(name, role)
        for contact in people.contacts:
            known.add_contact(contact)
    return known


# ----------------------------------------------------------------------------- name forms

_LATIN_SEP = r"[\s\-·._']{0,2}"


def _pinyin_options(chars: str) -> list[list[str]]:
    from pypinyin import Style, pinyin

    options = []
    for syllables in pinyin(chars, style=Style.NORMAL, heteronym=True, errors="ignore"):
        forms: list[str] = []
        for syllable in syllables[:3]:
            for variant in {
                syllable,
                syllable.replace("v", "u"),
                syllable.replace("v", "yu"),
                syllable.replace("v", "ü"),
            }:
                if variant and variant not in forms:
                    forms.append(variant)
        options.append(forms)
    return options


def _alternation(options: list[str]) -> str:
    return "(?:" + "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True)) + ")"


def latin_patterns(name: str) -> list[re.Pattern[str]]:
    """Zhang Sanfeng, ZHANG San Feng, Sanfeng Zhang, zhangsanfeng, Zhang S.F., Zhang S. F."""
    surname, given = split_name(name)
    if "·" in shadow(name) or not re.fullmatch(f"[{HAN}]+", surname + given) or not given:
        return []
    sur = _pinyin_options(surname)
    giv = _pinyin_options(given)
    if not sur or len(giv) != len(given):
        return []
    sur_re = "".join(_alternation(o) for o in sur)
    giv_re = r"[\s\-']?".join(_alternation(o) for o in giv)
    initials = r"\.?\s?".join(_alternation(sorted({s[0] for s in o})) for o in giv) + r"\.?"
    forms = [
        sur_re + _LATIN_SEP + giv_re,
        giv_re + _LATIN_SEP + sur_re,
        sur_re + r"[\s,]{1,2}" + initials,
    ]
    return [re.compile(r"(?<![A-Za-z])(?:" + f + r")(?![A-Za-z])", re.IGNORECASE) for f in forms]


def han_patterns(name: str) -> list[re.Pattern[str]]:
    """The name in full (spaced, or with any dot or none between the parts of a minority name) and
    partly (given name alone when ≥ 2 characters; surname + 某 + one of its characters)."""
    s = shadow(name)
    gap = r"[\s·.\-]{0,2}"
    if "·" in s:
        parts = [p for p in s.split("·") if p]
        spaced = [r"\s?".join(re.escape(c) for c in part) for part in parts]
        full = gap.join(spaced)
        patterns = [full]
    else:
        patterns = [r"\s{0,2}".join(re.escape(c) for c in name)]
        surname, given = split_name(name)
        if len(given) >= 2:
            # the given name alone — not where it is part of a place or shop name (建国路, 建国食品店)
            patterns.append(r"(?<![" + HAN + r"])" + re.escape(given) + r"(?!某)")
            patterns.append(re.escape(surname) + "某" + re.escape(given[-1]))
            patterns.append(re.escape(surname) + re.escape(given[0]) + "某")
        elif len(given) == 1:
            patterns.append(re.escape(surname) + "某" + re.escape(given))
    return [re.compile(p) for p in patterns]


def identifier_pattern(value: str) -> re.Pattern[str]:
    """The identifier with at most one space, dash or dot between any two of its characters."""
    return re.compile(
        r"(?<![0-9A-Za-z])" + r"[\s\-.]?".join(re.escape(c) for c in value) + r"(?![0-9A-Za-z])",
        re.IGNORECASE,
    )


def address_forms(address: str) -> list[str]:
    """The address, and the address without its leading levels (吉林省 → 松原市 → 宁江区 → …)."""
    forms = [address]
    rest = address
    while True:
        m = re.match(r"^[" + HAN + r"]{1,8}?(?:自治区|自治州|特别行政区|省|市|区|县|旗|盟|镇|乡|街道)", rest)
        if not m or len(rest) - m.end() < 6:
            break
        rest = rest[m.end() :]
        forms.append(rest)
    return forms


@dataclass
class Compiled:
    """The known data turned into patterns once per decision."""

    names: list[tuple[re.Pattern[str], str, str]]  # (pattern, replacement, original)
    identifiers: list[tuple[re.Pattern[str], str]]
    addresses: list[str]

    @classmethod
    def of(cls, known: Known) -> Compiled:
        names = []
        # longest first, so that 张三丰 is handled before 张三
        for person in sorted(known.persons, key=lambda p: -len(p.name)):
            for pattern in han_patterns(person.name) + latin_patterns(person.name):
                names.append((pattern, person.masked, person.name))
        identifiers = [(identifier_pattern(v), k) for v, k in known.identifiers]
        addresses = sorted(
            {shadow(f) for a in known.addresses for f in address_forms(a)}, key=len, reverse=True
        )
        return cls(names=names, identifiers=identifiers, addresses=addresses)

    def hits(self, s: str) -> Iterator[Hit]:
        for pattern, kind in self.identifiers:
            for m in pattern.finditer(s):
                yield Hit(m.start(), m.end(), kind, MARKERS.get(kind, MARKERS[BANK]), "known")
        for address in self.addresses:
            start = s.find(address)
            while start >= 0:
                yield Hit(start, start + len(address), ADDRESS, MARKERS[ADDRESS], "known")
                start = s.find(address, start + 1)
        for pattern, masked, _original in self.names:
            for m in pattern.finditer(s):
                if ORG_SUFFIX.match(s[m.end() : m.end() + 8]) and m.group(0) != _original:
                    continue  # 建国 in 建国食品店: a partial form that is part of a name of a shop or place
                yield Hit(m.start(), m.end(), NAME, masked, "known")
