"""Done-when: a full 行政处罚一般程序 case from 立案 to 归档 through the REST API alone, after which
``sanxiang verify`` passes over the whole ledger."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from sanxiang.accounts.models import ApiToken
from sanxiang.cases.tests.factories import ORGANISATION
from sanxiang.disclosure.models import Duty
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db


def _token_client(user) -> Client:
    """Integrators call with a bearer token (no session to expire while time travels)."""
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _ok(response, status=201):
    assert response.status_code == status, response.content.decode()
    return response.json()


def _post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def _approve(api, reviewer, head, case_url, kind):
    approval = _ok(
        _post(
            api["handler"],
            f"{case_url}/approvals",
            {"kind": kind, "reason": "事实清楚", "opinion": "建议批准"},
        )
    )
    url = f"{case_url}/approvals/{approval['id']}"
    _ok(_post(reviewer, f"{url}/review", {"agree": True, "opinion": "经审核，同意"}), 200)
    done = _ok(_post(head, f"{url}/decide", {"agree": True, "opinion": "同意"}), 200)
    assert done["status"] == "approved" and done["record_id"]
    names = [s["role"] for s in done["steps"]]
    assert names == ["handler", "reviewer", "approver"]  # 《松原市行政执法全过程记录实施办法》第三十八条


def test_a_general_procedure_case_runs_from_filing_to_archive_through_the_api_and_the_ledger_verifies(
    handler, second_officer, reviewer_a, head_a, traveller
):
    api = {"handler": _token_client(handler)}
    reviewer, head = _token_client(reviewer_a), _token_client(head_a)
    c = api["handler"]

    # 登记 with two officers holding valid credentials (行政处罚法 第四十二条)
    body = {
        "procedure": "penalty_general",
        "title": "销售超过保质期的食品案",
        "source": "complaint",
        "source_detail": "消费者实名投诉",
        "reporter_name": "孙八",
        "reporter_named": True,
        "officers": [str(handler.officer.public_id), str(second_officer.public_id)],
        "parties": [ORGANISATION],
    }
    case = _ok(_post(c, "/api/cases/", body, HTTP_IDEMPOTENCY_KEY="open-1"))
    again = _ok(_post(c, "/api/cases/", body, HTTP_IDEMPOTENCY_KEY="open-1"))
    assert again["id"] == case["id"]
    url = f"/api/cases/{case['id']}"
    assert case["stage"] == "intake" and case["number"].startswith("罚〔2026〕")

    # 立案 is refused until the approval chain is complete
    refused = _post(c, f"{url}/transitions", {"transition": "file"})
    assert refused.status_code == 409
    assert any("第八条" in e["message"] for e in refused.json()["errors"])
    _approve(api, reviewer, head, url, "filing_approval")
    assert _ok(_post(c, f"{url}/transitions", {"transition": "file"}))["stage"] == "investigation"

    # 调查取证: inquiry record with a scan, on-site inspection with a video uploaded in the same request
    scan = _ok(
        c.post("/api/cases/blobs", {"file": _file("笔录.pdf", b"%PDF-1.4 inquiry", "application/pdf")})
    )
    officers = [
        {"officer": str(handler.officer.public_id), "shown": True},
        {"officer": str(second_officer.public_id), "shown": True},
    ]
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "inquiry_record",
                "payload": {"content": "询问当事人"},
                "blobs": [scan["sm3"]],
                "officers": officers,
            },
            HTTP_IDEMPOTENCY_KEY="rec-1",
        )
    )
    import json

    upload = c.post(
        f"{url}/records/upload",
        {
            "data": json.dumps(
                {"kind": "onsite_inspection_record", "payload": {"content": "现场检查"}, "officers": officers}
            ),
            "files": [_file("现场.mp4", b"\x00\x00\x00\x18ftypmp42 onsite", "video/mp4")],
        },
    )
    onsite = _ok(upload)
    assert onsite["has_av"] is True and onsite["late_upload"] is False
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "investigation_report",
                "payload": {
                    "facts": "销售过期食品",
                    "evidence": "笔录、视频",
                    "basis": "食品安全法 第一百二十四条",
                    "penalty_kinds": ["fine"],
                    "fine_amount": "20000",
                },
            },
        )
    )
    _ok(_post(c, f"{url}/transitions", {"transition": "notify"}))

    # 告知, then 陈述申辩
    traveller.shift(dt.timedelta(days=1))
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "penalty_notice",
                "payload": {
                    "document_number": "宁市监罚告〔2026〕1号",
                    "penalty_kinds": ["fine"],
                    "fine_amount": "20000",
                    "content": "拟罚款",
                },
            },
        )
    )
    _ok(_post(c, f"{url}/records", {"kind": "statement_defence", "payload": {"content": "当事人请求从轻"}}))
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "defence_review",
                "payload": {
                    "adopted": True,
                    "reasons": "初次违法，从轻",
                    "penalty_kinds": ["fine"],
                    "fine_amount": "15000",
                },
            },
        )
    )
    _ok(_post(c, f"{url}/transitions", {"transition": "decide"}))

    # 决定 with its approval chain, 送达 within 7 working days, 执行, 结案, 归档
    _approve(api, reviewer, head, url, "decision_approval")
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "decision_document",
                "payload": {
                    "document_number": "宁市监罚〔2026〕1号",
                    "penalty_kinds": ["fine"],
                    "fine_amount": "15000",
                    "content": "罚款15000元",
                },
            },
        )
    )
    _ok(_post(c, f"{url}/transitions", {"transition": "serve"}))
    traveller.shift(dt.timedelta(days=2))
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "service_mail",
                "payload": {
                    "recipient": "赵六",
                    "document": "行政处罚决定书",
                    "tracking_number": "EMS1234567890",
                    "content": "挂号邮寄",
                },
            },
        )
    )
    _ok(_post(c, f"{url}/transitions", {"transition": "execute"}))
    traveller.shift(dt.timedelta(days=5))
    _ok(
        _post(
            c,
            f"{url}/records",
            {
                "kind": "performance_record",
                "payload": {"amount_paid": "15000", "performed": True, "content": "已缴纳"},
            },
        )
    )
    _ok(_post(c, f"{url}/transitions", {"transition": "close"}))
    _ok(_post(c, f"{url}/records", {"kind": "closing_report", "payload": {"summary": "执行完毕"}}))
    _ok(_post(c, f"{url}/transitions", {"transition": "archive"}))
    traveller.shift(dt.timedelta(days=3))
    _ok(
        _post(
            c, f"{url}/records", {"kind": "archive_record", "payload": {"volumes": "1", "location": "档案室"}}
        )
    )

    checkpoint = checkpoint_create()  # signed within a minute by the worker (ledger.schedule_checkpoint)
    detail = _ok(c.get(url), 200)
    assert detail["stage"] == "archived" and detail["sealed_at"]
    states = {d["key"]: d["state"] for d in detail["deadlines"]}
    assert states["decision"] == "met" and states["service"] == "met" and states["archive"] == "met"
    assert all(i["verification"] == "verified" for i in detail["timeline"])
    assert {i["checkpoint"] for i in detail["timeline"]} == {checkpoint.size}
    assert len(detail["timeline"]) >= 20

    # sealed: no more records (《松原市行政执法全过程记录实施办法》第三十二条)
    late = _post(
        c, f"{url}/records", {"kind": "archive_record", "payload": {"volumes": "2", "location": "x"}}
    )
    assert late.status_code == 409 and late.json()["code"] == "case_sealed"

    # serving the decision made it final: its 公示 duty exists, due 7 working days after the decision
    # (《松原市行政执法公示办法》第二十七条), with the decision's 双公示 items
    duty = Duty.objects.get(source_kind="penalty", source_ref=case["number"])
    assert (
        duty.fields["document_number"] == "宁市监罚〔2026〕1号" and duty.fields["fine_amount"] == "15000.00"
    )
    assert duty.due_date == add_working_days(duty.decided_on, 7).due and duty.status == Duty.Status.PENDING

    entries = Entry.objects.filter(subject_type="cases.case", subject_id=case["id"]).count()
    assert entries >= 25
    call_command("verify")  # raises CommandError on the first discrepancy


def _file(name, content, media_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=media_type)
