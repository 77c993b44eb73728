"""Redaction (去标识化) of what the public receives.

DESIGN.md rules table (铁西区司法局、松原市的方案): disclosed data is redacted — natural persons' names, ID
numbers, phone numbers, bank accounts and home addresses — plus anything the disclosure officer
marks. :func:`public_record` builds the only form of a decision the public ever receives; every public
path (pages, API, feed, export, version history, webhooks, search index) reads it and nothing else.

Three layers, in this order (issue 10 §15; docs/decisions/0006 and 0008):

1. **what the case knows** (:mod:`.people`): every person and identifier of the decision's party and of
   its case (other parties, the complainant, witnesses, persons served), in every written form;
2. **patterns** (:mod:`.patterns`) for every kind of identifier: ID numbers (spaced, dashed, full-width,
   inside a 许可编号), phone numbers, bank accounts, licence plates, e-mail, WeChat/QQ ids, 通行证 and
   passport numbers, birthdays, and addresses introduced by any of the words that introduce one (and a
   个体工商户's premises, often the operator's home);
3. **a person-name recogniser** (:mod:`.recognizer`): names introduced by a word for a person and
   jieba's person-name tags, guarded against organisations and places.

Spans are found on the original text (through a same-length normalised shadow) and replaced once, so a
marker already in the text is never redacted again: redacting twice gives the same text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.disclosure import fields as F
from sanxiang.disclosure.redaction import patterns as P
from sanxiang.disclosure.redaction.people import Compiled, Known, known_for
from sanxiang.disclosure.redaction.recognizer import Candidate, recognise, remaining
from sanxiang.disclosure.redaction.text import NAME_MASK, mask_name, shadow, surnames

__all__ = [
    "ADDRESS_MARK",
    "BANK_MARK",
    "ID_MARK",
    "NAME_MASK",
    "OFFICER_MARK",
    "PHONE_MARK",
    "Candidate",
    "Redaction",
    "Redactor",
    "candidates_of",
    "mask_name",
    "originals",
    "public_record",
    "redactor_for",
]

ID_MARK = P.MARKERS[P.ID]
PHONE_MARK = P.MARKERS[P.PHONE]
BANK_MARK = P.MARKERS[P.BANK]
ADDRESS_MARK = P.MARKERS[P.ADDRESS]
OFFICER_MARK = P.MARKERS[P.MARK]
COMPOUND_SURNAMES = list(surnames()[0])
KIND_LABELS = P.KIND_LABELS
RULE_LABELS = {
    "known": "案件已知信息",
    "pattern": "格式识别",
    "recognizer": "人名识别",
    "recogniser": "人名识别",
}
RULE_LABELS["mark"] = "人工标记"


@dataclass(frozen=True)
class Redaction:
    field: str
    kind: str  # patterns.KIND_LABELS: name | id_number | phone | bank_account | address | plate | …
    original: str
    replacement: str
    rule: str = "pattern"  # known | pattern | recogniser | mark

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)


def _merge(hits: list[P.Hit], protected: list[tuple[int, int]]) -> list[P.Hit]:
    """Non-overlapping spans, earlier layers first; an overlapping later span widens the earlier one
    (nothing is half-hidden), and a span never reaches into a marker already in the text."""
    accepted: list[P.Hit] = []
    for hit in hits:
        start, end = hit.start, hit.end
        if any(a <= start < b for a, b in protected):
            continue
        for a, _b in protected:
            if start < a < end:
                end = a
        if end <= start:
            continue
        hit = P.Hit(start, end, hit.kind, hit.replacement, hit.rule)
        overlapping = [h for h in accepted if h.start < end and start < h.end]
        if not overlapping:
            accepted.append(hit)
            continue
        first = overlapping[0]
        merged = P.Hit(
            min([start] + [h.start for h in overlapping]),
            max([end] + [h.end for h in overlapping]),
            first.kind,
            first.replacement,
            first.rule,
        )
        accepted = [h for h in accepted if h not in overlapping] + [merged]
    return sorted(accepted, key=lambda h: h.start)


class Redactor:
    """Redacts the texts of one decision (see the module docstring for the layers)."""

    def __init__(
        self,
        *,
        known: Known | None = None,
        person_names: list[tuple[str, str]] = (),  # type: ignore[assignment]
        addresses: list[str] = (),  # type: ignore[assignment]
        marks: list[str] = (),  # type: ignore[assignment]
        premises: bool = False,
    ):
        known = known or Known()
        for name, _masked in person_names:
            known.add_person(name, "当事人")
        for address in addresses:
            known.add_address(address)
        self.known = known
        self.compiled = Compiled.of(known)
        self.marks = sorted({m for m in marks if m}, key=len, reverse=True)
        self.premises = premises

    def hits(self, value: str, *, patterns: bool = True, recogniser: bool = True) -> list[P.Hit]:
        s = shadow(value)
        protected = [(m.start(), m.end()) for m in P.PROTECTED.finditer(s)]
        found: list[P.Hit] = []
        for mark in self.marks:
            target = shadow(mark)
            start = s.find(target)
            while start >= 0:
                found.append(P.Hit(start, start + len(target), P.MARK, P.MARKERS[P.MARK], "mark"))
                start = s.find(target, start + 1)
        found += list(self.compiled.hits(s))
        if patterns:
            found += list(P.numbers(s))
            found += list(P.identifiers(s))
            found += list(P.addresses(s, premises=self.premises))
            if recogniser:
                found += recognise(s)[0]
        return _merge(found, protected)

    def text(
        self, field: str, value: str, *, patterns: bool = True, recogniser: bool = True
    ) -> tuple[str, list[Redaction]]:
        if not value:
            return value, []
        hits = self.hits(value, patterns=patterns, recogniser=recogniser)
        out: list[str] = []
        found: list[Redaction] = []
        position = 0
        for hit in hits:
            out.append(value[position : hit.start])
            out.append(hit.replacement)
            found.append(Redaction(field, hit.kind, value[hit.start : hit.end], hit.replacement, hit.rule))
            position = hit.end
        out.append(value[position:])
        return "".join(out), found


def _party_items(party, redactor: Redactor) -> tuple[dict, list[Redaction]]:
    from sanxiang.registry.models import Party

    if party is None:
        return {"party_name": "", "party_category": ""}, []
    found: list[Redaction] = []
    if party.kind == Party.Kind.NATURAL_PERSON:
        masked = mask_name(party.name)
        found.append(Redaction("party_name", P.NAME, party.name, masked, "known"))
        items = {
            "party_name": masked,
            "party_category": "自然人",
            "party_id_type": party.get_id_type_display() if party.id_type else "",
            "party_id_number": ID_MARK if party.id_number else "",
        }
        if party.id_number:
            found.append(Redaction("party_id_number", P.ID, party.id_number, ID_MARK, "known"))
        return items, found
    individual = party.kind == Party.Kind.INDIVIDUAL_BUSINESS
    category = "个体工商户" if individual else "法人及非法人组织"
    name, hits = redactor.text("party_name", party.name, patterns=False)
    found += hits
    legal_rep = party.legal_representative or ""
    if individual and legal_rep:
        # the operator of a 个体工商户 is a natural person: surname + 某某, like a natural person party
        masked = mask_name(legal_rep)
        found.append(Redaction("legal_representative", P.NAME, legal_rep, masked, "known"))
        legal_rep = masked
    return {
        "party_name": name,
        "party_category": category,
        "party_credit_code": party.credit_code,
        "legal_representative": legal_rep,
    }, found


def redactor_for(party, marks: list[str], *, agency_id: int | None = None, case_number: str = "") -> Redactor:
    """The redactor of one decision: its party, everyone its case names, and the officer's marks."""
    from sanxiang.registry.models import Party

    known = known_for(party=party, agency_id=agency_id, case_number=case_number)
    premises = party is not None and party.kind == Party.Kind.INDIVIDUAL_BUSINESS
    return Redactor(known=known, marks=list(marks), premises=premises)


# Items scanned with the known data and the identifier patterns, not with the name recogniser (a
# document number or a licence number is not prose).
CODE_KEYS = frozenset({"document_number", "license_number"})


def public_record(
    *,
    kind: str,
    fields: dict,
    party,
    agency,
    marks: list[str],
    decided_on: str,
    publication_until: str = "",
    case_number: str = "",
) -> tuple[dict, list[Redaction]]:
    """The redacted public form of a decision, and what was redacted (for the disclosure officer)."""
    redactor = redactor_for(party, marks, agency_id=getattr(agency, "pk", None), case_number=case_number)
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
        elif item.type == F.TEXT:
            clean, hits = redactor.text(item.key, value, recogniser=item.key in F.FREE_TEXT_KEYS)
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


def candidates_of(kind: str, public: dict) -> dict[str, list[Candidate]]:
    """What may still be personal data in a public record, item by item (shown highlighted to the
    disclosure officer before approval)."""
    out: dict[str, list[Candidate]] = {}
    for item in F.items_for(kind):
        value = public.get(item.key)
        text = "；".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and text and item.type in (F.TEXT, F.NAMES):
            found = list(remaining(shadow(text), free_text=item.key in F.FREE_TEXT_KEYS))
            if found:
                out[item.key] = found
    return out


def originals(found: list[Redaction]) -> set[str]:
    """Every original string redaction removed (tests look for each on every public path)."""
    return {r.original for r in found if r.original and r.original != r.replacement}
