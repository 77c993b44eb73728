"""Typed once: 文书编号 assigned per agency, kind and year by the jurisdiction's rule (GB/T 9704—2012
7.2.4 发文字号), and each form prefilled from what the case already states."""

import datetime as dt

import pytest

from sanxiang.cases import numbering, services
from sanxiang.cases.context import load
from sanxiang.cases.prefill import defaults
from sanxiang.cases.tests.factories import filed_case, investigate, penalty

pytestmark = pytest.mark.django_db


def test_the_agency_code_is_the_districts_first_character_and_its_categorys_code(agency_a):
    agency_a.name = "松原市宁江区市场监督管理局"
    agency_a.categories = ["market"]
    assert numbering.agency_code(agency_a) == "宁市监"


def test_numbers_follow_the_rule_and_count_per_agency_kind_and_year(agency_a, agency_b):
    # 《党政机关公文格式》(GB/T 9704—2012) 7.2.4: 〔年份〕, no 第, no leading zeros
    on = dt.date(2026, 3, 2)
    first = numbering.next_number(agency=agency_a, kind="decision_document", on=on)
    second = numbering.next_number(agency=agency_a, kind="decision_document", on=on)
    assert first.endswith("罚〔2026〕1号") and second.endswith("罚〔2026〕2号")
    assert numbering.next_number(agency=agency_a, kind="penalty_notice", on=on).endswith("罚告〔2026〕1号")
    assert numbering.next_number(agency=agency_b, kind="decision_document", on=on).endswith("〔2026〕1号")
    assert numbering.next_number(agency=agency_a, kind="decision_document", on=dt.date(2027, 1, 4)).endswith(
        "〔2027〕1号"
    )
    assert numbering.preview(agency=agency_a, kind="decision_document", on=on).endswith("〔2026〕3号")


def test_a_notice_left_without_a_number_gets_the_next_and_a_refused_one_gives_its_number_back(
    handler, reviewer_a, head_a, traveller
):
    from sanxiang.errors import InvalidInput

    case = filed_case(handler, reviewer_a, head_a)
    investigate(case, handler, report=penalty(fine="5000"))
    with pytest.raises(InvalidInput):  # no penalty kinds: refused, and the number is not used up
        services.record_add(actor=handler, case=case, kind="penalty_notice", payload={"content": "告知"})
    notice = services.record_add(
        actor=handler, case=case, kind="penalty_notice", payload={"content": "告知", **penalty(fine="5000")}
    )
    assert notice.payload["document_number"].endswith("罚告〔2026〕1号")


def test_the_notice_and_decision_forms_start_from_the_reports_penalty_facts_and_parties(
    handler, reviewer_a, head_a, client_for, traveller
):
    case = filed_case(handler, reviewer_a, head_a)
    investigate(case, handler, report=penalty(fine="6500", violation="销售过期食品"))
    view = load(case)
    notice = defaults(view, "penalty_notice")
    assert notice["fine_amount"] == "6500.00" and notice["penalty_kinds"] == ["fine"]
    assert "罚款6500元" in notice["content"] and view.parties[0].name in notice["content"]
    decision = defaults(view, "decision_document")
    assert decision["violation"] == "销售过期食品" and decision["fine_amount"] == "6500.00"
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/records/penalty_notice/").content.decode()
    assert 'value="6500.00"' in page and 'value="fine" checked' in page and "留空则自动编号" in page
