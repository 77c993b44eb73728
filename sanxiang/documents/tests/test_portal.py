"""The published texts on the portal: 文书样本 with downloadable formats, and 办理进度查询 by 申请编号 and
核验码 (《松原市行政执法公示办法》第十五条)."""

from __future__ import annotations

import pytest

from sanxiang.documents import kinds, services

pytestmark = pytest.mark.django_db


def test_the_samples_page_lists_every_document_type_with_a_downloadable_format(anonymous):
    page = anonymous.get("/documents/samples/").content.decode()
    for dtype in kinds.TYPES.values():
        assert dtype.title in page
    response = anonymous.get("/documents/samples/penalty_decision.docx")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_an_applicant_finds_the_progress_of_an_application_by_number_and_code(
    licence_case, handler, anonymous
):
    # 《松原市行政执法公示办法》第十五条: 办理进度查询
    notice = services.document_issue(actor=handler, case=licence_case, kind="acceptance_notice")
    context, _ = services.context_for(licence_case, kinds.TYPES["acceptance_notice"])
    # 《中华人民共和国行政许可法》第四十二条: 二十日内作出决定 (rules registry licensing.decision.period)
    assert "20" in context["limit_text"] and "行政许可法" in context["limit_text"]
    page = anonymous.get("/documents/progress/", {"number": licence_case.number, "code": notice.code})
    text = page.content.decode()
    assert "当前环节" in text and licence_case.agency.name in text and "李申请" not in text
    wrong = anonymous.get("/documents/progress/", {"number": licence_case.number, "code": "WRONGCODE2"})
    assert "未找到" in wrong.content.decode()
    other = anonymous.get("/documents/progress/", {"number": "罚〔2026〕1号", "code": notice.code})
    assert "未找到" in other.content.decode()
