"""Issue 10 §15 and issue 12 §5, §8 in a real headless Chromium at desktop (1366 px) and phone (360 px)
width: the approval page with every redaction and the remaining candidates highlighted; a correction
made in the form, reviewed side by side and published with the change in the public log; portal search
by a number in ASCII brackets, partial officer lookup and the credential check's reason. No page scrolls
sideways; screenshots are saved under var/test-artifacts/disclosure/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from sanxiang.disclosure import services
from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.disclosure.tests.test_browser import shot
from sanxiang.testing.factories import OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable")]

WIDTHS = (1366, 360)
ENGLISH = re.compile(r"\b(?:None|True|False|pending|published|correction|name|phone|id_number)\b")


def _login(page, live_server, username):
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct horse battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _check(page, name: str) -> None:
    """At each width: no horizontal overflow, no English word of ours on the page; a screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px: {overflow}px too wide"
        text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
        assert not ENGLISH.search(text), (name, ENGLISH.search(text))
        shot(page, f"{name}-{width}")


def test_the_approval_page_lists_redactions_and_highlights_candidates(
    live_server, page, make_duty, company, discloser_a
):
    duty = make_duty(
        party=company,
        fields=penalty_fields(
            document_number="宁市监处罚〔2026〕301号",
            violation_facts=(
                "投诉人王秀英（手机139-1234-5678，微信号：wxs_1988）反映，当事人销售过期食品；"
                "联系人Peter Chen称已退款，家住宁江区繁荣街道锦绣家园7号楼3单元602室"
            ),
        ),
    )
    _login(page, live_server, "discloser_a")
    page.goto(f"{live_server.url}/staff/disclosure/{duty.public_id}/")
    table = page.locator("table.redactions")
    text = table.inner_text()
    assert "王秀英" in text and "王某某" in text and "人名识别" in text and "微信、QQ等账号" in text
    assert page.locator("mark.candidate", has_text="Peter Chen").count() == 1
    _check(page, "approval-redactions")


def test_a_correction_is_made_in_the_form_reviewed_side_by_side_and_logged(
    live_server, page, make_duty, company, publish, discloser_a, discloser_a2
):
    duty = publish(make_duty(party=company, fields=penalty_fields(document_number="宁市监处罚〔2026〕302号")))
    request = services.correction_request_submit(
        public_id=duty.public_id,
        requester_name="松原市好味食品有限公司",
        contact="0438-6000000",
        description="罚款金额应为3000元",
        evidence="行政处罚决定书第2页",
        client_key="browser",
    )
    _login(page, live_server, "discloser_a")
    page.goto(f"{live_server.url}/staff/disclosure/")
    page.get_by_role("link", name="处理（修改数据项或不予更正）").click()
    page.get_by_label("处罚内容（必填）").fill("给予警告，并处罚款3000元")
    page.get_by_label("罚款金额（元）").fill("3000")
    page.get_by_label("处理结果及更正理由（公开）").fill("经核实罚款金额录入有误，已更正为3000元")
    _check(page, "correction-form")
    page.get_by_role("button", name="予以更正（生成更正稿）").click()
    page.get_by_text("已生成更正稿").wait_for()
    page.context.clear_cookies()
    _login(page, live_server, "discloser_a2")
    page.goto(f"{live_server.url}/staff/disclosure/{duty.public_id}/")
    versions = page.locator("table.versions").inner_text()
    assert "给予警告，并处罚款5000元" in versions and "给予警告，并处罚款3000元" in versions
    assert page.locator("table.versions tr.changed").count() == 2
    _check(page, "correction-side-by-side")
    page.get_by_role("button", name="审核通过并公示").click()
    page.get_by_text("审核通过，已公示").wait_for()
    request.refresh_from_db()
    assert request.status == "corrected"
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/decisions/{duty.public_id}/")
    assert "原为“给予警告，并处罚款5000元”，更正为“给予警告，并处罚款3000元”" in page.inner_text("body")
    _check(page, "correction-decision")
    page.goto(f"{live_server.url}/disclosure-log/")
    assert "现为“3000.00”" in page.inner_text("body")
    _check(page, "correction-log")


def test_portal_search_lookup_and_credential_reason(live_server, page, make_duty, company, publish, agency_a):
    publish(
        make_duty(
            party=company,
            fields=penalty_fields(
                document_number="宁市监处罚〔2026〕12号", violation_facts="当事人销售超过保质期的食品"
            ),
        )
    )
    publish(make_duty(party=company, fields=penalty_fields(document_number="宁市监处罚〔2026〕120号")))
    OfficerFactory(agency=agency_a, name="欧阳建国", credential_number="22070212345")
    OfficerFactory(
        agency=agency_a,
        name="王立新",
        credential_number="22070254321",
        valid_until=timezone.localdate() - dt.timedelta(days=10),
    )
    page.goto(live_server.url + "/")
    _check(page, "portal-home")
    page.goto(live_server.url + "/decisions/?q=" + "宁市监处罚[2026]12号")
    first = page.locator("table.decision-results tbody tr").first.inner_text()
    assert "宁市监处罚〔2026〕12号" in first
    _check(page, "portal-search-number")
    page.goto(live_server.url + "/decisions/?q=过期食品")
    assert "宁市监处罚〔2026〕12号" in page.inner_text("body")
    page.goto(live_server.url + "/officers/?q=建国")
    assert "欧阳建国" in page.inner_text("body")
    _check(page, "portal-officer-partial")
    page.goto(live_server.url + "/credential-check/?credential_number=22070254321")
    assert "执法证件已于" in page.locator("#verdict").inner_text()
    _check(page, "portal-credential-reason")
    page.goto(live_server.url + "/verify/?number=宁市监处罚[2026]12号")
    assert "宁市监处罚〔2026〕12号" in page.inner_text("body")
    _check(page, "portal-verify-ascii")
