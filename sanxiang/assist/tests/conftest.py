"""Small fixtures for the assistance: one matter with 裁量 rows, the food-safety statute, and decided
cases written as the decision rows the cases app stores (the index is fed by the same hook the cases
app calls when a decision is made; one test goes the whole procedure, see test_index.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from sanxiang.assist import index
from sanxiang.cases.models import Case, CaseParty, CaseRecord, Decision, DecisionLine, DecisionParty
from sanxiang.testing.factories import PartyFactory, make_credit_code

LAWS = Path(__file__).resolve().parents[1] / "laws"
_serial = itertools.count(1)

LICENCE_ITEM = {
    "code": "CF-SP-001",
    "category": "penalty",
    "name": "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
    "basis_law": "中华人民共和国食品安全法",
    "basis_article": "第一百二十二条",
    "handling_unit": "执法稽查科",
}
LICENCE_ROWS = [
    {
        "level": "从轻",
        "circumstances": "货值金额不足一万元且首次违法、及时改正",
        "penalty_kinds": ["fine"],
        "fine_min": "50000",
        "fine_max": "80000",
    },
    {
        "level": "一般",
        "circumstances": "货值金额不足一万元，不属于从轻、从重情形",
        "penalty_kinds": ["fine"],
        "fine_min": "80000",
        "fine_max": "120000",
    },
    {
        "level": "从重",
        "circumstances": "货值金额一万元以上或造成危害后果",
        "penalty_kinds": ["fine"],
        "fine_min": "120000",
        "fine_max": "150000",
    },
]
EXPIRED_ITEM = {
    "code": "CF-SP-002",
    "category": "penalty",
    "name": "对经营超过保质期的食品的行政处罚",
    "basis_law": "中华人民共和国食品安全法",
    "basis_article": "第一百二十四条",
    "handling_unit": "执法稽查科",
}
EXPIRED_ROWS = [
    {
        "level": "从轻",
        "circumstances": "首次违法、货值金额较小且及时改正",
        "penalty_kinds": ["fine"],
        "fine_min": "50000",
        "fine_max": "70000",
    },
    {
        "level": "一般",
        "circumstances": "不属于从轻、从重情形",
        "penalty_kinds": ["fine"],
        "fine_min": "70000",
        "fine_max": "100000",
    },
]


@pytest.fixture(autouse=True)
def _fresh_index():
    from sanxiang.assist import selectors

    index.reset()
    selectors._article_pool.cache_clear()  # keyed by version pk, which a rolled-back test reuses
    yield
    index.reset()
    selectors._article_pool.cache_clear()


@pytest.fixture
def food_law(db):
    from sanxiang.assist import services

    return services.statute_import(
        actor=None, text=(LAWS / "中华人民共和国食品安全法.md").read_text(encoding="utf-8")
    )


def publish(head, agency, data, rows):
    from sanxiang.catalog import services

    return services.entry_publish(
        actor=head,
        kind="items",
        agency=agency,
        data=data,
        discretion=rows,
        effective_from=dt.date(2025, 1, 1),
        reason="首次公布",
    ).entry


@pytest.fixture
def matters(head_a, agency_a, food_law):
    return {
        "licence": publish(head_a, agency_a, LICENCE_ITEM, LICENCE_ROWS),
        "expired": publish(head_a, agency_a, EXPIRED_ITEM, EXPIRED_ROWS),
    }


def open_case(user, item, *, party=None) -> Case:
    """A case of ``user``'s agency under investigation (no decision yet)."""
    return _case(user, item, party=party, stage="investigation")


def _case(user, item, *, party=None, stage="closed") -> Case:
    agency = user.agency
    n = next(_serial)
    now = timezone.now()
    case = Case.objects.create(
        agency=agency,
        procedure="penalty_general",
        number=f"测罚〔2026〕{n}号",
        year=2026,
        serial=n,
        title=f"{item.name if item else '其他'}案",
        matter_ref=item.public_id if item else None,
        matter_code=item.code if item else "",
        matter_name=item.name if item else "",
        category="market",
        region_code=agency.region_code,
        source="inspection",
        stage=stage,
        stage_changed_at=now,
        opened_by=user,
        opened_at=now,
        ledger_seq=0,
    )
    party = party or PartyFactory(
        kind="organisation", name=f"某食品店{n}", credit_code=make_credit_code(1000 + n)
    )
    CaseParty.objects.create(case=case, party=party)
    return case


def decided(
    user, item, facts: str, fine: str | None, *, party=None, decided_on=dt.date(2026, 3, 2)
) -> Decision:
    """A final penalty decision of ``user``'s agency on ``item`` (rows as the cases app writes them),
    indexed by the decision hook."""
    case = _case(user, item, party=party)
    party = case.case_parties.get().party
    agency, now = case.agency, timezone.now()
    payload = {
        "penalty_kinds": ["fine"] if fine else ["warning"],
        "fine_amount": fine or "",
        "document_number": case.number,
    }
    record = CaseRecord.objects.create(
        case=case,
        kind="decision_document",
        stage="decision",
        payload=payload,
        made_at=now,
        uploaded_at=now,
        made_by=user,
        ledger_seq=0,
    )
    decision = Decision.objects.create(
        case=case,
        agency=agency,
        procedure="penalty_general",
        kind="penalty",
        discloses="penalty",
        record=record,
        transition="serve",
        decided_on=decided_on,
        document_number=case.number,
        facts=facts,
        basis=f"《{item.basis_law}》{item.basis_article}" if item else "",
        made_by=user,
        made_at=now,
        ledger_seq=0,
    )
    DecisionParty.objects.create(decision=decision, party=party)
    if fine:
        DecisionLine.objects.create(
            decision=decision, party=party, category="penalty", kind="fine", amount=Decimal(fine)
        )
    index.index_decision(decision)
    return decision


def publish_decision(decision, discloser) -> None:
    """Publish the decision through the disclosure app (duty, draft, internal review by ``discloser``)."""
    from sanxiang.disclosure import services

    party = decision.decision_parties.get().party
    duty = services.disclosure_duty_create(
        actor=decision.made_by,
        agency=decision.agency,
        source_kind="penalty",
        source_ref=decision.case.number,
        decided_on=decision.decided_on,
        party=party,
        fields={
            "document_number": decision.document_number,
            "violation_type": decision.case.matter_name or "违法行为",
            "violation_facts": decision.facts,
            "legal_basis": decision.basis or "《中华人民共和国食品安全法》",
            "penalty_categories": "罚款",
            "penalty_content": "罚款",
            "fine_amount": "1000.00",
            "severity": "ordinary",
        },
    )
    draft = duty.drafts.order_by("-number").first()
    services.disclosure_draft_review(actor=discloser, draft=draft, approve=True, note="同意公示")
