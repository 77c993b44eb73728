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


# 《市场监督管理行政处罚文书格式范本（2021年修订版）》(国市监法发〔2021〕42号): each type from the demo case of
# the procedure where it applies, every placeholder filled from the case.
RECORD_TYPES = [
    ("archived_case", "filing_approval"),
    ("archived_case", "inquiry_record"),
    ("archived_case", "onsite_inspection_record"),
    ("archived_case", "enforcement_reminder"),
    ("archived_case", "closing_approval"),
    ("declined_case", "filing_approval"),
    ("hearing_case", "hearing_rights_notice"),
    ("hearing_case", "hearing_notice"),
    ("hearing_case", "hearing_record"),
    ("coercive_case", "onsite_inspection_record"),
    ("coercive_case", "seizure_decision"),
    ("licensed_case", "licence_decision"),
    ("refused_licence_case", "licence_refusal"),
    ("simple_case", "on_spot_decision"),
    ("licence_case", "acceptance_notice"),
    ("no_penalty_case", "no_penalty_decision"),
]


@pytest.mark.parametrize(("case_fixture", "kind"), RECORD_TYPES)
def test_every_document_type_renders_from_its_procedures_demo_case_with_no_empty_placeholder(
    request, case_fixture, kind
):
    case = request.getfixturevalue(case_fixture)
    dtype = kinds.TYPES[kind]
    context, source = context_for(case, dtype)
    template = services.template_in_force(kind=kind, agency=case.agency, on=source.made_on)
    used = render.undeclared(bytes(template.content))
    assert used <= services.supplied_names(kind)
    for name in used - {"qr", "code", "verify_url"}:
        assert context[name], f"{kind}: {name} is empty"
    docx, *_ = services.document_render(case=case, kind=kind, code="TESTCODE23")
    text = _text(docx)
    assert "{{" not in text and "{%" not in text
    assert context["party_names"] and context["party_names"] in text


def test_the_declined_case_gives_the_not_filing_form_and_the_filed_case_the_three_opinions(
    archived_case, declined_case
):
    # 《松原市行政执法全过程记录实施办法》第三十八条: 承办人、审核人、批准人 each give an opinion
    filed, _ = context_for(archived_case, kinds.TYPES["filing_approval"])
    assert filed["title"] == "立案审批表"
    assert [row["label"] for row in filed["approval_rows"]] == ["承办人意见", "审核人意见", "批准人意见"]
    assert "同意" in filed["approval_rows"][2]["text"]
    declined, _ = context_for(declined_case, kinds.TYPES["filing_approval"])
    assert declined["title"] == "不予立案审批表" and "未发现违法事实" in declined["conclusion_text"]


def test_the_hearing_periods_and_the_seizure_period_come_from_the_rules_registry(hearing_case, coercive_case):
    # 行政处罚法 第六十四条第一项、第八十五条: 告知后五日（工作日）内提出
    notice, _ = context_for(hearing_case, kinds.TYPES["hearing_rights_notice"])
    assert "5个工作日" in notice["request_text"] and "第六十四条" in notice["request_text"]
    # 行政强制法 第二十五条第一款: 查封、扣押的期限不得超过三十日
    seizure, _ = context_for(coercive_case, kinds.TYPES["seizure_decision"])
    assert "30日" in seizure["period_text"] and "行政强制法" in seizure["period_text"]


def test_a_notice_without_the_hearing_right_gives_no_hearing_notice(general_case):
    from sanxiang.cases import context as case_context
    from sanxiang.documents.context import available

    # 行政处罚法 第六十三条: only a penalty the party may ask a hearing for is told of it
    view = case_context.load(general_case)
    assert not available(general_case, view, kinds.TYPES["hearing_rights_notice"])
    assert available(general_case, view, kinds.TYPES["penalty_notice"])


def test_previewing_writes_no_template_row_and_issuing_stores_the_default_once(general_case, handler):
    from sanxiang.documents.models import DocumentTemplate

    services.document_render(case=general_case, kind="penalty_notice")
    assert not DocumentTemplate.objects.exists()  # a read must not write
    first = services.document_issue(actor=handler, case=general_case, kind="penalty_notice")
    second = services.document_issue(actor=handler, case=general_case, kind="penalty_notice")
    assert first.template_id == second.template_id
    assert DocumentTemplate.objects.filter(kind="penalty_notice").count() == 1
