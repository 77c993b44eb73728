"""Every document renders from the case with nothing empty; issuing stores, signs and records it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from sanxiang.documents import kinds, render, services
from sanxiang.documents.context import context_for
from sanxiang.documents.models import IssuedDocument
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verifier import sm2_verify, sm3

from .conftest import EXT_B_NAME

pytestmark = pytest.mark.django_db


def _text(docx: bytes) -> str:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


@pytest.mark.parametrize("kind", ["penalty_notice", "penalty_decision", "service_receipt"])
def test_every_placeholder_of_the_general_procedure_documents_is_filled_from_the_case(general_case, kind):
    dtype = kinds.TYPES[kind]
    context, _ = context_for(general_case, dtype)
    template = services.template_in_force(
        kind=kind, agency=general_case.agency, on=general_case.opened_at.date()
    )
    used = render.undeclared(bytes(template.content))
    assert used <= services.supplied_names(kind)
    for name in used - {"qr", "code", "verify_url"}:
        assert context[name], f"{kind}: {name} is empty"
    docx, *_ = services.document_render(case=general_case, kind=kind, code="TESTCODE23")
    text = _text(docx)
    assert "{{" not in text and "{%" not in text
    assert EXT_B_NAME in text or (kind == "penalty_notice" and EXT_B_NAME in text)


def test_the_decision_carries_the_number_facts_penalty_and_remedy_periods_from_the_records(general_case):
    context, source = context_for(general_case, kinds.TYPES["penalty_decision"])
    assert context["number"] == source.record.payload["document_number"]
    assert "罚款8000元" in context["penalty_text"]
    assert "当事人" in context["facts"] and "询问笔录" in context["evidence"]
    # 《中华人民共和国行政复议法》第二十条: 六十日; 《中华人民共和国行政诉讼法》第四十六条: 六个月 (rules registry)
    assert "60日" in context["remedy_text"] and "6个月" in context["remedy_text"]
    assert "行政复议法" in context["remedy_text"]
    # 行政处罚法 第六十七条第三款: 十五日内缴纳罚款
    assert "15日" in context["payment_text"]


def test_the_on_spot_decision_renders_for_the_simple_procedure(simple_case):
    context, _ = context_for(simple_case, kinds.TYPES["on_spot_decision"])
    assert "罚款100元" in context["penalty_text"]
    assert "王𠀾" in context["party_names"]


def test_issuing_stores_both_files_signs_the_pdf_digest_and_records_it_in_the_ledger(general_case, handler):
    doc = services.document_issue(actor=handler, case=general_case, kind="penalty_decision")
    entry = Entry.objects.get(seq=doc.ledger_seq)
    payload = entry.fields["payload"]
    assert payload["pdf_sm3"] == doc.pdf_sm3 and payload["number"] == doc.number != ""
    from sanxiang.ledger.storage import get_storage

    with get_storage().open(doc.pdf_sm3) as f:
        pdf = f.read()
    assert sm3(pdf).hex() == doc.pdf_sm3
    sm2_verify(payload["public_key"], bytes.fromhex(doc.pdf_sm3), doc.signature)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == doc.pages >= 1
    again = services.document_issue(actor=handler, case=general_case, kind="penalty_decision")
    assert again.supersedes == doc and IssuedDocument.objects.filter(case=general_case).count() == 2


def test_an_officer_of_another_agency_cannot_issue_the_case_documents(general_case, officer_b):
    from sanxiang.errors import Forbidden

    with pytest.raises(Forbidden):
        services.document_issue(actor=officer_b, case=general_case, kind="penalty_decision")


def test_a_document_without_its_record_is_refused_with_the_reason(simple_case, handler):
    from sanxiang.documents.context import MissingSource

    with pytest.raises(MissingSource) as exc:
        services.document_issue(actor=handler, case=simple_case, kind="penalty_decision")
    assert "行政处罚决定书" in exc.value.errors[0].message


@pytest.mark.parametrize("kind", sorted(kinds.TYPES))
def test_every_shipped_template_uses_only_placeholders_its_type_supplies(kind):
    from sanxiang.documents import shipped

    used = render.undeclared(shipped.path_of(kind).read_bytes())
    assert used and used <= services.supplied_names(kind)
