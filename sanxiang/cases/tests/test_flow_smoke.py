import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.tests.factories import document, open_case, present

pytestmark = pytest.mark.django_db


def test_smoke(handler, reviewer_a, head_a, traveller):
    case = open_case(handler)
    a = services.approval_submit(
        actor=handler, case=case, kind="filing_approval", reason="涉嫌违法", opinion="建议立案"
    )
    services.approval_review(actor=reviewer_a, approval=a, agree=True, opinion="同意")
    services.approval_decide(actor=head_a, approval=a, agree=True, opinion="批准立案")
    services.case_transition(actor=handler, case=case, transition="file")
    services.record_add(
        actor=handler,
        case=case,
        kind="inquiry_record",
        payload={"content": "询问"},
        officers=present(case),
        blobs=[document()],
    )
    services.record_add(
        actor=handler,
        case=case,
        kind="investigation_report",
        payload={
            "facts": "f",
            "evidence": "e",
            "basis": "b",
            "penalty_kinds": ["fine"],
            "fine_amount": "5000",
        },
    )
    services.case_transition(actor=handler, case=case, transition="notify")
    traveller.shift(dt.timedelta(days=1))
    services.record_add(
        actor=handler,
        case=case,
        kind="penalty_notice",
        payload={"document_number": "N1", "penalty_kinds": ["fine"], "fine_amount": "5000", "content": "c"},
    )
    services.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "申辩"})
    services.case_transition(actor=handler, case=case, transition="decide")
    a = services.approval_submit(actor=handler, case=case, kind="decision_approval", reason="r", opinion="o")
    services.approval_review(actor=reviewer_a, approval=a, agree=True, opinion="同意")
    services.approval_decide(actor=head_a, approval=a, agree=True, opinion="批准")
    services.record_add(
        actor=handler,
        case=case,
        kind="decision_document",
        payload={"document_number": "D1", "penalty_kinds": ["fine"], "fine_amount": "5000", "content": "c"},
    )
    services.case_transition(actor=handler, case=case, transition="serve")
    services.record_add(
        actor=handler,
        case=case,
        kind="service_direct",
        payload={"recipient": "x", "document": "d", "content": "c"},
    )
    services.case_transition(actor=handler, case=case, transition="execute")
    services.record_add(
        actor=handler,
        case=case,
        kind="performance_record",
        payload={"performed": True, "amount_paid": "5000", "content": "c"},
    )
    services.case_transition(actor=handler, case=case, transition="close")
    services.record_add(actor=handler, case=case, kind="closing_report", payload={"summary": "s"})
    services.case_transition(actor=handler, case=case, transition="archive")
    services.record_add(
        actor=handler, case=case, kind="archive_record", payload={"volumes": "1", "location": "档案室"}
    )
    case.refresh_from_db()
    assert case.sealed
