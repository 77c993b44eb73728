"""Issue 12 §5: corrections that correct — the disclosure officer changes the disputed items in a form with
the current values, a colleague reviews old and new side by side, the new version is published with the
change in the public log; a version identical to the published one is not a correction.

# 《松原市行政执法公示办法》第三十条 (内部审核, 未经审查不得发布) and 第三十一条 (不准确的应当及时更正;
# 有证据证明不准确的有权要求更正)
"""

from __future__ import annotations

import pytest

from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicDecision, PublicLogEntry
from sanxiang.errors import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_duty, company, publish):
    return publish(make_duty(party=company))


def _request(duty, **kw):
    values = {
        "requester_name": "松原市好味食品有限公司",
        "contact": "0438-6000000",
        "description": "罚款应为3000元，决定书第2页可证",
        "evidence": "行政处罚决定书",
        "client_key": "k",
    }
    values.update(kw)
    return services.correction_request_submit(public_id=duty.public_id, **values)


def test_a_correction_identical_to_the_published_version_is_refused(published, discloser_a):
    # 公示办法 第三十一条: a "correction" that changes nothing would be published as 已更正 with the wrong data
    request = _request(published)
    with pytest.raises(TransitionRefused) as refused:
        services.correction_request_decide(actor=discloser_a, request=request, accept=True, outcome="已更正")
    (error,) = refused.value.errors
    assert error.rule == services.RULE_CORRECTION_IDENTICAL
    assert error.message == services.CORRECTION_IDENTICAL_MESSAGE
    assert "《松原市行政执法公示办法》第三十、三十一条" in error.message
    # nothing half-written: the request is still open, no draft was made
    request.refresh_from_db()
    assert request.status == "received" and published.drafts.count() == 1
    with pytest.raises(TransitionRefused):
        services.disclosure_draft_create(
            actor=discloser_a, duty=published, purpose="correction", reason="核对无误"
        )


def test_the_officer_corrects_the_disputed_items_and_the_change_is_public(
    client, published, discloser_a, discloser_a2
):
    request = _request(published)
    client.force_login(discloser_a)
    url = f"/staff/disclosure/corrections/{request.tracking_number}/"
    page = client.get(url).content.decode()
    # a form holding the current values of every item
    assert 'name="f-penalty_content"' in page and "给予警告，并处罚款5000元" in page
    assert 'value="5000.00"' in page and "罚款应为3000元" in page
    form = {f"f-{k}": v for k, v in published.fields.items() if isinstance(v, str)}
    # the same values: refused with the rule named, in Chinese, the form kept
    response = client.post(url, {**form, "note": "经核实已更正", "outcome": "accept"})
    assert response.status_code == 422
    assert "《松原市行政执法公示办法》第三十、三十一条" in response.content.decode()
    form.update({"f-penalty_content": "给予警告，并处罚款3000元", "f-fine_amount": "3000"})
    response = client.post(
        url, {**form, "note": "经核实罚款金额录入有误，已更正为3000元", "outcome": "accept"}
    )
    assert response.status_code == 302
    # the reviewer (not the author, 第三十条) sees old and new side by side
    client.force_login(discloser_a2)
    duty_page = client.get(f"/staff/disclosure/{published.public_id}/").content.decode()
    assert "已公示版本（第 1 版）与本稿对照" in duty_page and "本稿改动 2 项" in duty_page
    assert "罚款金额（元）（已改）" in duty_page and "处罚内容（已改）" in duty_page
    assert PublicDecision.objects.get().public["fine_amount"] == "5000.00"  # not before review
    client.post(f"/staff/disclosure/{published.public_id}/review/", {"outcome": "approve", "note": "同意"})
    row = PublicDecision.objects.get()
    assert (row.version, row.public["fine_amount"]) == (2, "3000.00")
    request.refresh_from_db()
    assert request.status == "corrected"
    # the public log and the decision page show what changed
    entry = PublicLogEntry.objects.get(kind="corrected")
    assert {c["key"]: (c["before"], c["after"]) for c in entry.changes} == {
        "penalty_content": ("给予警告，并处罚款5000元", "给予警告，并处罚款3000元"),
        "fine_amount": ("5000.00", "3000.00"),
    }
    client.logout()
    log = client.get("/disclosure-log/").content.decode()
    assert "原为“给予警告，并处罚款5000元”，现为“给予警告，并处罚款3000元”" in log
    assert request.tracking_number in log
    detail = client.get(f"/decisions/{published.public_id}/").content.decode()
    assert "更正为“3000.00”" in detail and "第 2 版" in detail
    api = client.get("/api/disclosure/log").json()
    assert api["items"][0]["changes"][0]["label"] in ("处罚内容", "罚款金额（元）")


def test_a_rejected_request_needs_no_item_changes(client, published, discloser_a):
    request = _request(published)
    client.force_login(discloser_a)
    response = client.post(
        f"/staff/disclosure/corrections/{request.tracking_number}/",
        {"note": "经核实公示信息准确", "outcome": "reject"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected"
    assert PublicLogEntry.objects.get().kind == "correction_rejected"


def test_another_agency_cannot_open_the_correction(client, published, discloser_b):
    request = _request(published)
    client.force_login(discloser_b)
    assert client.get(f"/staff/disclosure/corrections/{request.tracking_number}/").status_code == 404
