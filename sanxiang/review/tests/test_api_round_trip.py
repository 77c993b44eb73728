"""Done-when: submit, send back, resubmit, approve, decide — through the REST API alone — after which
``sanxiang verify`` passes."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from sanxiang.accounts.models import ApiToken
from sanxiang.cases.tests.factories import ORGANISATION
from sanxiang.review.models import CHECKLIST_KEYS
from sanxiang.review.tests.helpers import EXPLANATION, internal_checker

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _ok(response, status=201):
    assert response.status_code == status, response.content.decode()
    return response.json()


def _post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def _report(fine):
    return {
        "kind": "investigation_report",
        "payload": {
            "facts": "销售过期食品",
            "evidence": "笔录",
            "basis": "食品安全法 第一百二十四条",
            "penalty_kinds": ["fine"],
            "fine_amount": fine,
            "complex": True,  # 行政处罚法 第五十八条第一款第三项: a major decision
        },
    }


def test_submit_send_back_resubmit_approve_and_decide_through_the_api_then_the_ledger_verifies(
    handler, second_officer, reviewer, head_a, traveller
):
    c, rv, head = _client(handler), _client(reviewer), _client(head_a)
    case = _ok(
        _post(
            c,
            "/api/cases/",
            {
                "procedure": "penalty_general",
                "title": "销售超过保质期的食品案",
                "source": "inspection",
                "officers": [str(handler.officer.public_id), str(second_officer.public_id)],
                "parties": [ORGANISATION],
            },
        )
    )
    url = f"/api/cases/{case['id']}"
    approval = _ok(
        _post(c, f"{url}/approvals", {"kind": "filing_approval", "reason": "涉嫌违法", "opinion": "立案"})
    )
    # the 审核人 of the internal approval is a colleague, not the legal reviewer (审核办法 第五条、第十五条)
    checker = _client(internal_checker(handler))
    _ok(_post(checker, f"{url}/approvals/{approval['id']}/review", {"agree": True, "opinion": "同意"}), 200)
    _ok(_post(head, f"{url}/approvals/{approval['id']}/decide", {"agree": True, "opinion": "同意"}), 200)
    _ok(_post(c, f"{url}/transitions", {"transition": "file"}))
    officers = [
        {"officer": str(handler.officer.public_id), "shown": True},
        {"officer": str(second_officer.public_id), "shown": True},
    ]
    _ok(
        _post(
            c,
            f"{url}/records",
            {"kind": "inquiry_record", "payload": {"content": "询问"}, "officers": officers},
        )
    )
    _ok(_post(c, f"{url}/records", _report("50000")))
    _ok(_post(c, f"{url}/transitions", {"transition": "notify"}))
    traveller.shift(dt.timedelta(days=1))
    notice = {
        "document_number": "告〔2026〕1号",
        "penalty_kinds": ["fine"],
        "fine_amount": "50000",
        "content": "告知",
    }
    _ok(_post(c, f"{url}/records", {"kind": "penalty_notice", "payload": notice}))
    _ok(_post(c, f"{url}/records", {"kind": "statement_defence", "payload": {"content": "请求从轻"}}))

    # 行政处罚法 第五十八条: the major case cannot be decided before review
    refused = _post(c, f"{url}/transitions", {"transition": "decide"})
    assert refused.status_code == 409
    assert any("第五十八条" in e["message"] for e in refused.json()["errors"])

    # submit (《松原市重大行政执法决定法制审核办法》第五、六条); a retry with the same key returns the same round
    body = {"case": case["id"], "explanation": EXPLANATION, "draft_decision": "处罚决定书代拟稿"}
    r1 = _ok(_post(c, "/api/reviews/", body, HTTP_IDEMPOTENCY_KEY="submit-1"))
    assert _ok(_post(c, "/api/reviews/", body, HTTP_IDEMPOTENCY_KEY="submit-1"))["id"] == r1["id"]
    assert r1["status"] == "reviewing" and r1["reviewer"] == "法制审核员甲"
    assert _ok(c.get(url), 200)["stage"] == "legal_review"
    queue = _ok(rv.get("/api/reviews/queue"), 200)
    assert [i["id"] for i in queue["items"]] == [r1["id"]]

    # the reviewer reads the record and marks the checklist (第八条): discretion improper
    assert _ok(rv.get(f"/api/reviews/{r1['id']}/materials"), 200)
    for item in CHECKLIST_KEYS:
        passed = item != "law_and_discretion"
        _ok(_post(rv, f"/api/reviews/{r1['id']}/checklist", {"item": item, "passed": passed, "note": "审核"}))
    sent_back = _ok(
        _post(
            rv,
            f"/api/reviews/{r1['id']}/opinion",
            {"outcome": "amend", "reasons": "罚款超出裁量基准", "amend_points": ["discretion"]},
        )
    )
    assert sent_back["status"] == "sent_back" and sent_back["opinion"]["document_sm3"]
    doc = rv.get(f"/api/reviews/{r1['id']}/opinion/document")
    assert doc.status_code == 200 and "法制审核意见书" in doc.content.decode()

    # sent back: the case goes back, the proposal is changed, and it is resubmitted
    _ok(_post(c, f"{url}/transitions", {"transition": "reinvestigate"}))
    _ok(_post(c, f"{url}/records", _report("30000")))
    _ok(_post(c, f"{url}/transitions", {"transition": "notify"}))
    r2 = _ok(_post(c, "/api/reviews/", body, HTTP_IDEMPOTENCY_KEY="submit-2"))
    assert r2["number"] == 2 and r2["id"] != r1["id"]
    refused = _post(c, f"{url}/transitions", {"transition": "review_to_decision"})
    assert refused.status_code == 409

    for item in CHECKLIST_KEYS:
        _ok(
            _post(
                rv, f"/api/reviews/{r2['id']}/checklist", {"item": item, "passed": True, "note": "符合规定"}
            )
        )
    approved = _ok(_post(rv, f"/api/reviews/{r2['id']}/opinion", {"outcome": "approve", "reasons": "同意"}))
    assert approved["status"] == "passed"

    # both rounds, side by side
    compared = _ok(c.get(f"/api/reviews/cases/{case['id']}"), 200)
    assert [r["number"] for r in compared["rounds"]] == [1, 2]
    proposal = next(row for row in compared["rows"] if row["label"] == "处理建议")
    assert proposal["differs"] and "50000" in proposal["values"][0] and "30000" in proposal["values"][1]

    decided = _ok(_post(c, f"{url}/transitions", {"transition": "review_to_decision"}))
    assert decided["stage"] == "decision"
    call_command("verify")
