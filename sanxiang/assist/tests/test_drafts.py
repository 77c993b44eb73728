"""A drafted 行政处罚决定书 from the case and the accepted matter and 裁量 row, through the documents app's
template: every sentence names its origin (record, catalogue version and row, statute, rules registry)."""

import io
import zipfile

import pytest

from sanxiang.assist import drafts, services
from sanxiang.assist.tests.conftest import open_case

pytestmark = pytest.mark.django_db

FACTS = "当事人在超市销售超过保质期的酸奶20盒，货值金额480元，系首次违法，及时改正"


def _accept(officer, case):
    s = services.suggestion_offer(
        actor=officer, kind="matter", case=case, query=FACTS, offered=[{"code": "CF-SP-002"}]
    )
    services.suggestion_answer(
        actor=officer, suggestion=s, outcome="accepted", chosen={"matter_code": "CF-SP-002", "level": "从轻"}
    )


def test_every_sentence_of_the_drafted_decision_names_its_origin(officer_a, matters):
    # 行政处罚法 第五十九条 (what a 决定书 states); 第三十四条 (裁量基准)
    case = open_case(officer_a, None)
    _accept(officer_a, case)
    d = drafts.draft(officer_a, case, kind="penalty_decision", facts=FACTS, fine=None)
    by_key = {s.key: s for s in d.sentences}
    assert all(s.text and s.origin for s in d.sentences)
    assert "《中华人民共和国食品安全法》第一百二十四条" in by_key["basis"].text
    assert "行政执法事项清单 CF-SP-002 第1版" in by_key["basis"].origin
    assert "“从轻”" in by_key["discretion_text"].text and "裁量基准第1行" in by_key["discretion_text"].origin
    assert by_key["penalty_text"].text == "罚款50000元"  # the row's lower bound, said so in its origin
    assert "下限" in by_key["penalty_text"].origin
    assert by_key["payment_text"].origin.startswith("规则库") and by_key["remedy_text"].origin.startswith(
        "规则库"
    )
    assert "尚无调查终结报告" in by_key["facts"].origin


def test_the_draft_renders_through_the_documents_template_and_b_cannot_see_it(
    client, officer_a, officer_b, matters
):
    case = open_case(officer_a, None)
    _accept(officer_a, case)
    content = drafts.draft_docx(officer_a, case, kind="penalty_decision", facts=FACTS)
    body = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "超过保质期" in body and "第一百二十四条" in body
    client.force_login(officer_a)
    page = client.get(
        f"/staff/assist/cases/{case.public_id}/draft/", {"kind": "penalty_decision", "facts": FACTS}
    )
    assert page.status_code == 200 and "来源" in page.content.decode()
    notice = client.get(
        f"/staff/assist/cases/{case.public_id}/draft/", {"kind": "penalty_notice", "facts": FACTS}
    )
    assert notice.status_code == 200
    client.force_login(officer_b)
    assert client.get(f"/staff/assist/cases/{case.public_id}/draft/").status_code == 404
