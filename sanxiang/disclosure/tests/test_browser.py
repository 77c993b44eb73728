"""The disclosure portal in a real headless Chromium: search, a decision, a correction request,
document verification — with screenshots saved under var/test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.disclosure import services
from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.ledger.services import checkpoint_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable")]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "disclosure"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def published(make_duty, person, company, publish):
    facts = f"当事人张三丰（电话13912345678）家住{person.address}，销售过期食品"
    p = publish(
        make_duty(
            party=person,
            fields=penalty_fields(document_number="宁市监处罚〔2026〕201号", violation_facts=facts),
        )
    )
    c = publish(make_duty(party=company, fields=penalty_fields(document_number="宁市监处罚〔2026〕202号")))
    checkpoint_create()
    return p, c


def test_a_visitor_searches_and_opens_a_redacted_decision(live_server, page, published):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="执法决定公示").click()
    page.get_by_label("关键词").fill("过期食品")
    page.get_by_role("button", name="查询").click()
    page.locator(".query-time").wait_for()
    assert "查询用时" in page.locator(".query-time").inner_text()
    shot(page, "search")
    page.get_by_role("link", name="宁市监处罚〔2026〕201号").click()
    page.get_by_role("heading", name="行政处罚决定公示").wait_for()
    text = page.content()
    assert "张某某" in text and "张三丰" not in text and "13912345678" not in text
    shot(page, "decision")


def test_a_visitor_asks_for_a_correction_and_gets_a_tracking_number(live_server, page, published):
    _person, company = published
    page.goto(f"{live_server.url}/decisions/{company.public_id}/")
    page.get_by_role("link", name="认为公示信息不准确？申请更正").click()
    page.get_by_label("申请人").fill("松原市好味食品有限公司")
    page.get_by_label("联系方式").fill("0438-6000000")
    page.get_by_label("不准确的内容及更正意见").fill("罚款金额应为3000元")
    page.get_by_label("证据").fill("行政处罚决定书第2页")
    page.get_by_role("button", name="提交更正申请").click()
    page.locator(".tracking-number").wait_for()
    assert page.locator(".tracking-number").inner_text().startswith("GZ")
    assert page.locator(".correction-result .status").inner_text() == "已受理"
    shot(page, "correction")


def test_a_visitor_verifies_a_document_number(live_server, page, published):
    page.goto(live_server.url + "/verify/")
    page.get_by_label("文书号").fill("宁市监处罚〔2026〕202号")
    page.get_by_role("button", name="核验").click()
    page.locator(".verdict").wait_for()
    assert page.locator(".verdict").inner_text().startswith("真实有效")
    assert "验证通过" in page.content()
    shot(page, "verify")


def test_a_disclosure_officer_approves_a_draft_seeing_the_original_beside_the_redacted_text(
    live_server, page, make_duty, person, discloser_a
):
    duty = make_duty(
        party=person,
        fields=penalty_fields(
            document_number="宁市监处罚〔2026〕203号", violation_facts="张三丰销售过期食品"
        ),
    )
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill("discloser_a")
    page.get_by_label("密码").fill("correct horse battery")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/staff/disclosure/{duty.public_id}/")
    table = page.locator("table.comparison")
    assert "张三丰销售过期食品" in table.inner_text() and "张某某销售过期食品" in table.inner_text()
    shot(page, "staff-review")
    page.get_by_role("button", name="审核通过并公示").click()
    page.get_by_text("审核通过，已公示").wait_for()
    duty.refresh_from_db()
    assert duty.status == "published"
    assert services.duty_for(discloser_a, duty.public_id).publications.count() == 1
