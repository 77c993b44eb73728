"""Stored decision rows for statistics tests: a real case, then its decision as the row statistics read
(the rows the cases app writes when a decision becomes final; built directly to keep tests small)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.cases.models import CaseRecord, Decision, DecisionLine, DecisionParty
from sanxiang.registry.models import Party
from sanxiang.testing.factories import OfficerFactory


def a_case(user, *, procedure="penalty_general", title="销售过期食品案"):
    from sanxiang.cases import services
    from sanxiang.cases.tests.factories import ORGANISATION

    if user.officer is None:
        from sanxiang.cases.tests.factories import officer_for

        officer_for(user)
    return services.case_open(
        actor=user,
        procedure=procedure,
        officers=[user.officer, OfficerFactory(agency=user.agency)],
        parties=[ORGANISATION],
        title=title,
        source="inspection",
    )


def decision_row(
    case, *, kind="penalty", on=dt.date(2026, 3, 2), lines=(), granted=None, corrects=None, number=""
):
    """``lines``: (category, kind, amount or None, party index) tuples."""
    now = timezone.now()
    record = CaseRecord.objects.create(
        case=case,
        kind="decision_document",
        stage=case.stage,
        payload={},
        made_at=now,
        uploaded_at=now,
        made_by=case.opened_by,
        ledger_seq=0,
    )
    decision = Decision.objects.create(
        case=case,
        agency=case.agency,
        procedure=case.procedure,
        kind=kind,
        record=record,
        transition="decide",
        decided_on=on,
        document_number=number,
        granted=granted,
        corrects=corrects,
        made_by=case.opened_by,
        made_at=now,
        ledger_seq=0,
    )
    parties = list(Party.objects.filter(case_links__case=case).order_by("pk"))
    for position, party in enumerate(parties):
        DecisionParty.objects.create(decision=decision, party=party, position=position)
    for category, line_kind, amount, index in lines:
        DecisionLine.objects.create(
            decision=decision,
            party=parties[index] if parties and index is not None else None,
            category=category,
            kind=line_kind,
            amount=Decimal(amount) if amount is not None else None,
        )
    return decision


def catalogue_item(agency, user, *, category: str, code: str = "X-1"):
    from sanxiang.catalog.models import EnforcementItem

    return EnforcementItem.objects.create(
        agency=agency,
        code=code,
        version=1,
        effective_from=dt.date(2025, 1, 1),
        reason="首次公布",
        created_by=user,
        category=category,
        name="事项",
        basis_law="《中华人民共和国行政处罚法》",
        basis_article="第九条",
        handling_unit="执法科",
    )
