"""不予行政处罚决定书: a case decided 不予处罚 (行政处罚法 第三十三条; 第五十七条第一款第二项) offers it
instead of the 行政处罚决定书, with the decision's 理由 and the 依据 (the provision violated and
第三十三条); the decision itself names no penalty and must state its reasons."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from sanxiang.cases import specs
from sanxiang.documents import kinds, selectors, services
from sanxiang.documents.context import context_for

from .conftest import NO_PENALTY_REASON

pytestmark = pytest.mark.django_db


def _text(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def test_a_case_decided_no_penalty_offers_the_no_penalty_decision_not_the_penalty_decision(no_penalty_case):
    rows = {row.dtype.key: row for row in selectors.case_documents(no_penalty_case)}
    assert rows["no_penalty_decision"].can_generate
    assert "penalty_decision" not in rows or not rows["penalty_decision"].can_generate


def test_a_penalised_case_does_not_offer_the_no_penalty_decision(general_case):
    rows = {row.dtype.key: row for row in selectors.case_documents(general_case)}
    assert rows["penalty_decision"].can_generate
    assert "no_penalty_decision" not in rows


def test_the_no_penalty_decision_states_the_reason_and_the_basis(no_penalty_case):
    context, source = context_for(no_penalty_case, kinds.TYPES["no_penalty_decision"])
    assert context["title"] == "不予行政处罚决定书"
    assert context["number"] == source.record.payload["document_number"]
    assert context["reason_text"] == NO_PENALTY_REASON
    # 依据: the provision the report names, and 行政处罚法 第三十三条
    assert "《中华人民共和国行政处罚法》第三十三条" in context["basis"]
    assert "食品安全法" in context["basis"]
    docx, *_ = services.document_render(case=no_penalty_case, kind="no_penalty_decision", code="TESTCODE23")
    text = _text(docx)
    assert "{{" not in text and "{%" not in text
    assert NO_PENALTY_REASON in text and "决定对当事人不予行政处罚" in text
    assert "行政处罚如下" not in text and "缴纳罚款" not in text


def test_the_case_page_offers_the_no_penalty_decision(no_penalty_case, handler, client):
    client.force_login(handler)
    page = client.get(f"/staff/documents/case/{no_penalty_case.public_id}/").content.decode()
    assert "不予行政处罚决定书" in page
    assert "/generate/no_penalty_decision/" in page


def test_issuing_it_gives_a_signed_pdf_served_under_its_own_name(no_penalty_case, handler):
    doc = services.document_issue(actor=handler, case=no_penalty_case, kind="no_penalty_decision")
    assert doc.title == "不予行政处罚决定书" and doc.pages >= 1
    assert selectors.verify(doc.code).signature_ok
    receipt, _ = context_for(no_penalty_case, kinds.TYPES["service_receipt"])
    assert receipt["served_document"].startswith("不予行政处罚决定书")


def test_a_no_penalty_decision_names_no_penalty_and_states_its_reasons():
    """行政处罚法 第三十三条: 不予处罚 gives no penalty; its facts and reasons are stated."""
    payload = {
        "document_number": "宁市监不罚〔2026〕1号",
        "discretion_ground": "exempt",
        "penalty_kinds": ["fine"],
        "fine_amount": "100",
        "content": "不予行政处罚",
    }
    _clean, errors = specs.clean_payload("decision_document", payload, "penalty_general")
    messages = " ".join(e.message for e in errors)
    assert "不予处罚的，不得填写处罚种类" in messages and "第三十三条" in messages
    assert "须写明不予处罚的事实和理由" in messages
    del payload["penalty_kinds"], payload["fine_amount"]
    payload["discretion_reason"] = NO_PENALTY_REASON
    clean, errors = specs.clean_payload("decision_document", payload, "penalty_general")
    assert errors == [] and clean["discretion_ground"] == "exempt"


def test_a_case_decided_no_penalty_ends_once_served_without_an_execution_stage(no_penalty_case, handler):
    # 行政处罚法 第五十七条第一款第二项: 不予行政处罚 leaves nothing to perform or enforce
    from sanxiang.cases import clock
    from sanxiang.cases import services as case_services
    from sanxiang.errors import SanxiangError

    from .conftest import START

    no_penalty_case.refresh_from_db()
    assert no_penalty_case.stage == "service"
    with clock.at(START + dt.timedelta(days=3)):
        with pytest.raises(SanxiangError) as refused:
            case_services.case_transition(actor=handler, case=no_penalty_case, transition="execute")
        assert "第五十七条第一款" in str(refused.value.errors)
        case_services.case_transition(actor=handler, case=no_penalty_case, transition="close_no_penalty")
    no_penalty_case.refresh_from_db()
    assert no_penalty_case.stage == "closed"


def test_a_penalised_case_cannot_take_the_no_penalty_close(general_case, handler):
    from sanxiang.cases import clock
    from sanxiang.cases import services as case_services
    from sanxiang.errors import SanxiangError

    from .conftest import START

    general_case.refresh_from_db()
    assert general_case.stage == "service"
    with clock.at(START + dt.timedelta(days=3)), pytest.raises(SanxiangError) as refused:
        case_services.case_transition(actor=handler, case=general_case, transition="close_no_penalty")
    assert "第五十七条第一款第二项" in str(refused.value.errors)


def test_the_case_page_offers_only_the_exit_that_fits_the_decision(
    no_penalty_case, general_case, handler, client
):
    # 第五十七条第一款: a 不予处罚 case is closed after service, a penalised one goes on to 执行;
    # neither page shows the other exit as a button "尚不具备条件"
    client.force_login(handler)
    exempt = client.get(f"/staff/cases/{no_penalty_case.public_id}/").content.decode()
    assert "不予处罚，结案" in exempt and "进入执行" not in exempt
    penalised = client.get(f"/staff/cases/{general_case.public_id}/").content.decode()
    assert "进入执行" in penalised and "不予处罚，结案" not in penalised


def test_the_period_to_pay_a_fine_runs_only_where_a_fine_was_imposed(no_penalty_case, general_case):
    # 行政处罚法 第六十六条: the party pays the fine within 15 days of receiving the decision — a
    # 不予行政处罚 decision imposes none, so nothing runs and 逾期未缴 cannot lead to 强制执行
    from sanxiang.cases.context import context_of, load
    from sanxiang.procedures.engine import deadlines_for

    from .conftest import START

    def payment(case):
        view = load(case, today=(START + dt.timedelta(days=60)).date())
        states = {d.limit.key: d for d in deadlines_for(view.defn, context_of(view))}
        return states["payment"], context_of(view).facts["enforcement_needed"]

    exempt, exempt_enforce = payment(no_penalty_case)
    assert exempt.state == "not_applicable" and exempt.due is None and not exempt_enforce
    fined, fined_enforce = payment(general_case)
    assert fined.state == "lapsed" and fined.due is not None and fined_enforce
