import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.cases.tests.factories import filed_case, open_case
from sanxiang.procedures import registry

pytestmark = pytest.mark.django_db


def test_my_cases_lists_the_officers_open_cases(client_for, handler, officer_b, traveller):
    case = open_case(handler, title="甲局专有案由")
    page = client_for(handler).get("/staff/cases/").content.decode()
    assert case.number in page and "甲局专有案由" in page
    assert "甲局专有案由" not in client_for(officer_b).get("/staff/cases/?scope=all").content.decode()


def test_the_case_page_shows_the_timeline_with_verification_and_what_transitions_lack(
    client_for, handler, traveller
):
    case = open_case(handler)
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert "已核验" in page  # the 案件来源登记表 matches its ledger entry
    assert (
        "立案审批表" in page and "《松原市行政执法全过程记录实施办法》第八条" in page and "seed" not in page
    )  # 立案 lacks the approval
    assert client_for(handler).get("/staff/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_record_form_is_generated_from_the_record_spec_and_saves_with_an_upload(
    client_for, handler, reviewer_a, head_a, traveller
):
    case = filed_case(handler, reviewer_a, head_a)
    client = client_for(handler)
    url = f"/staff/cases/{case.public_id}/records/onsite_inspection_record/"
    form = client.get(url).content.decode()
    assert "须同步音像记录" in form and "已出示证件" in form and 'name="content"' in form
    data = {
        "content": "现场检查",
        "made_at": "2026-03-02T08:30",
        "idempotency_key": "form-1",
        "files": SimpleUploadedFile("a.mp4", b"\x00\x00\x00\x18ftypmp42 x", content_type="video/mp4"),
    }
    for o in case.case_officers.all():
        data[f"present_{o.officer.public_id}"] = "on"
        data[f"shown_{o.officer.public_id}"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = case.records.get(kind="onsite_inspection_record")
    assert (
        record.has_av and len(record.officers) == 2 and record.made_at.hour == 0
    )  # 08:30 Shanghai = 00:30 UTC
    missing = client.post(url, {"content": "无视频"})
    assert missing.status_code == 422 and "第十三条" in missing.content.decode()


def test_the_home_page_lists_open_cases_and_overdue_duties(
    client_for, handler, reviewer_a, head_a, traveller
):
    case = filed_case(handler, reviewer_a, head_a)
    traveller.shift(dt.timedelta(days=120))
    page = client_for(handler).get("/staff/").content.decode()
    assert case.number in page and "已逾期" in page and "第六十条" in page


def test_the_head_sees_approvals_waiting_for_him(client_for, handler, reviewer_a, head_a, traveller):
    from sanxiang.cases import services

    case = open_case(handler)
    approval = services.approval_submit(
        actor=handler, case=case, kind="filing_approval", reason="r", opinion="o"
    )
    services.approval_review(actor=reviewer_a, approval=approval, agree=True, opinion="同意")
    page = client_for(head_a).get("/staff/").content.decode()
    assert "待审批" in page and "立案审批表" in page
    response = client_for(head_a).post(
        f"/staff/cases/{case.public_id}/approvals/decide/",
        {"approval": str(approval.public_id), "agree": "1", "opinion": "批准"},
    )
    assert response.status_code == 302
    assert case.records.filter(kind="filing_approval").exists()


def test_a_refused_record_form_keeps_what_was_typed_with_each_error_beside_its_field(
    client_for, handler, reviewer_a, head_a, traveller
):
    # 《松原市行政执法全过程记录实施办法》第十三条 (音像记录) and 第十二条第三款 (拒绝签名须注明情况)
    case = filed_case(handler, reviewer_a, head_a)
    url = f"/staff/cases/{case.public_id}/records/onsite_inspection_record/"
    lead, partner = [o.officer.public_id for o in case.case_officers.all()]
    response = client_for(handler).post(
        url,
        {
            "content": "仓库内发现过期牛奶十二箱",
            "made_at": "2026-03-02T08:30",
            "party_refused_to_sign": "on",
            "idempotency_key": "form-typed",
            f"present_{lead}": "on",
            f"shown_{lead}": "on",
            f"present_{partner}": "on",
            "files": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert ">仓库内发现过期牛奶十二箱</textarea>" in page and 'value="2026-03-02T08:30"' in page
    assert 'name="party_refused_to_sign" checked' in page
    assert f'name="shown_{lead}" checked' in page and f'name="shown_{partner}">' in page
    assert 'value="form-typed"' in page and "请重新选择文件" in page
    refusal = page.index('name="refusal_note"')
    assert page.index("第十二条第三款）</span>", refusal) > refusal  # the error follows its field
    name = registry.get("penalty_general").records()["onsite_inspection_record"].name
    assert (
        f'<span class="field-error error">{name}: 须同步音像记录（《松原市行政执法全过程记录实施办法》第十三条）'
        in page
    )
    assert not case.records.filter(kind="onsite_inspection_record").exists()


def test_the_case_page_names_deadline_states_in_chinese_and_marks_an_overdue_one_bad(
    client_for, handler, reviewer_a, head_a, traveller
):
    # 行政处罚法 第六十条: decided within 90 days of 立案 — after 120 days the limit is overdue
    from sanxiang.procedures.engine import DEADLINE_STATE_LABELS

    case = filed_case(handler, reviewer_a, head_a)
    traveller.shift(dt.timedelta(days=120))
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert f'class="bad" data-state="overdue">{DEADLINE_STATE_LABELS["overdue"]}</td>' in page
    assert f'data-state="not_started">{DEADLINE_STATE_LABELS["not_started"]}</td>' in page
    for raw in DEADLINE_STATE_LABELS:
        assert f">{raw}</td>" not in page


def test_the_home_page_marks_an_overdue_duty_bad_with_its_chinese_state(
    client_for, handler, reviewer_a, head_a, traveller
):
    # 行政处罚法 第六十条 (90 days from 立案)
    filed_case(handler, reviewer_a, head_a)
    client = client_for(handler)
    running = client.get("/staff/").content.decode()
    assert (
        'class="muted" data-state="running">进行中</span>' in running
        and 'data-state="overdue"' not in running
    )
    traveller.shift(dt.timedelta(days=120))
    page = client_for(handler).get("/staff/").content.decode()  # a new login: the session has expired
    assert 'class="bad" data-state="overdue">已逾期</span>' in page
