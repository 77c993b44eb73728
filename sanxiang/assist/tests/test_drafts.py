"""A drafted 行政处罚决定书 from the case and the accepted matter and 裁量 row, through the documents app's
template: every sentence names its origin (record, catalogue version and row, statute, rules registry)."""

import html
import io
import re
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


def test_the_drafted_decision_fills_the_decision_record_form_with_each_value_s_origin(
    client, officer_a, officer_b, matters
):
    # nothing typed twice: the officer opens the case's 行政处罚决定书 record form from the draft and
    # finds the draft's values there, each with where it came from (行政处罚法 第五十九条 lists them)
    case = open_case(officer_a, None)
    _accept(officer_a, case)
    client.force_login(officer_a)
    page = client.get(
        f"/staff/assist/cases/{case.public_id}/draft/", {"kind": "penalty_decision", "facts": FACTS}
    ).content.decode()
    href = html.unescape(re.search(r'href="([^"]*/records/decision_document/[^"]*)"', page)[1])
    assert "from=assist-draft" in href
    form = client.get(href).content.decode()
    inputs = dict(re.findall(r'<input id="f-([a-z_]+)" name="[a-z_]+"[^>]* value="([^"]*)"', form))
    assert inputs["fine_amount"] == "50000.00"  # the row's lower bound, as the draft says
    assert 'value="经营超过保质期的食品"' in form  # 违法行为, from the accepted matter
    assert "根据本机关行政处罚裁量基准" in form and "“从轻”" in form  # 裁量理由, from the row
    origins = dict(re.findall(r'data-origin="([a-z_]+)">草稿来源：([^<]+)<', form))
    assert set(origins) >= {"violation", "penalty_kinds", "fine_amount", "discretion_reason", "content"}
    assert "CF-SP-002" in origins["violation"] and "裁量基准第1行" in origins["discretion_reason"]
    # without the draft the form starts as before, with no draft origins
    plain = client.get(href.split("?")[0]).content.decode()
    assert "草稿来源" not in plain
    client.force_login(officer_b)
    assert client.get(href).status_code == 404


def _at_decision(officer, item):
    """A case of ``item`` at 决定 with the head's approval on file (行政处罚法 第五十七条)."""
    from django.utils import timezone

    from sanxiang.assist.tests.conftest import _case
    from sanxiang.cases.models import CaseRecord

    case = _case(officer, item, stage="decision")
    now = timezone.now()
    CaseRecord.objects.create(
        case=case,
        kind="decision_approval",
        stage="decision",
        payload={},
        made_at=now,
        uploaded_at=now,
        made_by=officer,
        ledger_seq=0,
    )
    return case


def test_a_record_saved_from_the_draft_keeps_each_value_s_origin_and_what_the_officer_changed(
    client, officer_a, matters
):
    # a reviewer of the 决定 (审核办法 第八条: 适用依据、裁量是否适当) sees which values the draft
    # supplied, from which record or rule, and which ones the officer changed; every offer is logged
    from sanxiang.assist.models import Suggestion
    from sanxiang.ledger.models import Entry

    case = _at_decision(officer_a, matters["expired"])
    _accept(officer_a, case)
    client.force_login(officer_a)
    page = client.get(
        f"/staff/assist/cases/{case.public_id}/draft/",
        {"kind": "penalty_decision", "facts": FACTS, "fine": "52000"},
    ).content.decode()
    shown = Suggestion.objects.get(case=case, kind="draft")
    assert {s["key"] for s in shown.offered["sentences"]} >= {"basis", "discretion_text", "penalty_text"}
    href = html.unescape(re.search(r'href="([^"]*/records/decision_document/[^"]*)"', page)[1])
    form = client.get(href).content.decode()
    offer = Suggestion.objects.get(case=case, kind="prefill")
    assert offer.offered["draft"] == str(shown.public_id)
    assert f'name="offer_ref" value="{offer.public_id}"' in form
    offered = {name: f["value"] for name, f in offer.offered["fields"].items()}
    form = {
        **offered,
        "penalty_kinds": offered["penalty_kinds"],
        "fine_amount": "55000",  # the officer raises the fine within the 从轻 row
        "idempotency_key": "draft-taken-1",
        "offer_from": "assist-draft",
        "offer_ref": str(offer.public_id),
    }
    # the summary still states the draft's fine: refused, naming the field and the article, and
    # nothing is written (行政处罚法 第五十九条第一款第三项: the decision states one penalty)
    refused = client.post(href, form).content.decode()
    assert "内容摘要: 写明的罚款 52,000 元与“罚款数额” 55,000 元不一致" in refused
    assert "第五十九条第一款第三项" in refused and not case.records.filter(kind="decision_document").exists()
    form["content"] = offered["content"].replace("52000", "55000")
    response = client.post(href, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = case.records.get(kind="decision_document")
    by_field = {f["field"]: f for f in record.origins["fields"]}
    assert by_field["fine_amount"]["changed"] and by_field["fine_amount"]["offered"] == "52000"
    assert by_field["fine_amount"]["origin_kind"] == "officer"  # typed on the assist page
    assert not by_field["violation"]["changed"] and by_field["violation"]["origin_kind"] == "rule"
    assert "裁量基准第1行" in by_field["discretion_reason"]["origin"]
    assert Entry.objects.get(seq=record.ledger_seq).fields["payload"]["origins"] == record.origins
    answer = offer.answers.get()
    assert answer.outcome == "accepted" and answer.chosen["record"] == str(record.public_id)
    assert (
        set(answer.chosen["changed"]) == {"fine_amount", "content"} and "violation" in answer.chosen["kept"]
    )
    assert shown.answers.get().chosen["record"] == str(record.public_id)
    detail = client.get(f"/staff/cases/{case.public_id}/record/{record.public_id}/").content.decode()
    origins = re.search(r'<div class="card" id="origins">(.*?)</div>', detail, re.S)[1]
    assert "承办人已修改" in origins and "草稿为：52,000 元" in origins and "沿用草稿" in origins


def test_an_offer_is_recalled_only_for_its_own_case_and_officer(officer_a, officer_b, matters):
    from sanxiang.assist import drafts
    from sanxiang.cases.context import load

    case = _at_decision(officer_a, matters["expired"])
    other = _at_decision(officer_a, matters["expired"])
    _accept(officer_a, case)
    offer = drafts.prefill_offer(load(case), "decision_document", {"facts": FACTS}, officer_a)
    assert drafts.prefill_recall(load(case), offer.ref, officer_a) == offer
    assert drafts.prefill_recall(load(other), offer.ref, officer_a) is None
    assert drafts.prefill_recall(load(case), offer.ref, officer_b) is None
    assert drafts.prefill_recall(load(case), "not-a-uuid", officer_a) is None


def test_the_api_drafts_the_decision_and_a_record_posted_from_it_keeps_the_origins(
    officer_a, officer_b, matters
):
    # the REST API offers what the draft page offers (行政处罚法 第五十九条: what a 决定书 states):
    # the sentences with their origins, and a record saved from the draft keeps each field's origin
    from django.test import Client

    from sanxiang.accounts.models import ApiToken
    from sanxiang.assist.models import Suggestion

    def api(user):
        _, raw = ApiToken.issue(user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    case = _at_decision(officer_a, matters["expired"])
    _accept(officer_a, case)
    c = api(officer_a)
    body = {"case_id": str(case.public_id), "kind": "penalty_decision", "facts": FACTS, "fine": "52000"}
    bad = c.post("/api/assist/drafts", {**body, "fine": "五万"}, content_type="application/json")
    assert bad.status_code == 422 and "罚款数额" in bad.content.decode()
    made = c.post("/api/assist/drafts", body, content_type="application/json")
    assert made.status_code == 201, made.content.decode()
    d = made.json()
    by_key = {s["key"]: s for s in d["sentences"]}
    assert "第一百二十四条" in by_key["basis"]["text"] and "CF-SP-002" in by_key["basis"]["origin"]
    assert d["record_kind"] == "decision_document" and d["offer_from"] == "assist-draft"
    assert d["fields"]["fine_amount"]["value"] == "52000"
    assert Suggestion.objects.get(public_id=d["suggestion_id"]).kind == "draft"

    offered = {name: f["value"] for name, f in d["fields"].items()}
    payload = offered | {"fine_amount": "55000", "content": offered["content"].replace("52000", "55000")}
    record = {"kind": d["record_kind"], "payload": payload, "offer_from": d["offer_from"]}
    url = f"/api/cases/{case.public_id}/records"
    # an offer that is not this officer's on this case is refused, naming the field
    stranger = c.post(url, {**record, "offer_ref": str(case.public_id)}, content_type="application/json")
    assert stranger.status_code == 422 and "填入的草稿" in stranger.content.decode()
    saved = c.post(url, {**record, "offer_ref": d["offer_ref"]}, content_type="application/json")
    assert saved.status_code == 201, saved.content.decode()
    origins = {f["field"]: f for f in saved.json()["origins"]["fields"]}
    assert origins["fine_amount"]["changed"] and origins["fine_amount"]["offered"] == "52000"
    assert not origins["violation"]["changed"] and origins["violation"]["origin_kind"] == "rule"
    assert Suggestion.objects.get(public_id=d["offer_ref"]).answers.get().outcome == "accepted"
    # officer_b of another agency cannot draft on the case
    other = api(officer_b).post("/api/assist/drafts", body, content_type="application/json")
    assert other.status_code == 404
