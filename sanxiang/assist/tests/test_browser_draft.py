"""On the demo: an officer opens a food-safety penalty case at 决定, sees similar decided cases with the
words they share and the suggested 裁量 row, drafts the 行政处罚决定书 (every sentence with its origin),
takes the draft into the record form, changes the fine and saves — and the saved record shows which
values came from the draft, from which record or rule, and which ones the officer changed. At 1366 px
and on a 360 px phone: Chinese only, nothing wider than the screen. Screenshots:
var/test-artifacts/assist-draft/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.testing.browser import staff_login
from sanxiang.testing.crawl import visible_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "assist-draft"


def _shots(page, name: str) -> None:
    """Screenshots at 1366 and 360 px: the visible text is Chinese (no internal key or English word)
    and the page is no wider than the screen at either width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: {overflow}px wider than the {width}px screen"
        assert visible_problems(page.locator("body").inner_text()) == [], name
    page.set_viewport_size({"width": 1366, "height": 900})


def _decision_case():
    """The demo's 过期食品 case waiting at 决定, with the head's approval (行政处罚法 第五十七条)."""
    from sanxiang.accounts.models import User
    from sanxiang.cases import services
    from sanxiang.cases.demo import FOOD, MATTERS
    from sanxiang.cases.models import Case

    users = {u.username: u for u in User.objects.filter(username__in=["officer", "chief", "head"])}
    case = Case.objects.filter(matter_code=MATTERS[FOOD[0][0]], stage="decision").order_by("-pk").first()
    assert case is not None, "the demo has a 过期食品 case at 决定"
    if not case.records.filter(kind="decision_approval").exists():
        a = services.approval_submit(
            actor=users["officer"], case=case, kind="decision_approval", reason="事实清楚", opinion="建议批准"
        )
        services.approval_review(actor=users["chief"], approval=a, agree=True, opinion="经审核，同意")
        services.approval_decide(actor=users["head"], approval=a, agree=True, opinion="同意")
    return users["officer"], case


def test_an_officer_saves_the_drafted_decision_and_the_record_keeps_where_each_value_came_from(
    demo, live_server, page
):
    # 行政处罚法 第三十四条 (裁量基准), 第五十九条 (what a 决定书 states); 审核办法 第八条 (the reviewer
    # checks 适用依据 and 裁量): every suggestion offered and answered is logged
    from sanxiang.assist.models import Suggestion, SuggestionAnswer
    from sanxiang.demo import DEMO_PASSWORD

    officer, case = _decision_case()
    page.set_default_timeout(60_000)  # the shared machine is slow; suggestions come per keystroke pause
    staff_login(page, live_server.url, officer, DEMO_PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/staff/cases/{case.public_id}/")
    page.get_by_role("link", name="相似案例、执法事项与裁量基准建议、类案同罚比对").click()

    # the facts come from the investigation report; similar cases name the words they share
    option = page.locator("form.matter-option[data-code='CF-SP-002']")
    option.wait_for()
    assert page.locator("#similar .similar").count() >= 3
    assert "过期" in page.locator("#similar .terms").first.inner_text()
    suggested = option.locator("label", has=page.locator(".ok")).inner_text()
    assert "（建议）" in suggested and "罚款" in suggested
    _shots(page, "suggestions")

    option.locator("input[name=level][value='一般']").check()
    option.get_by_role("button", name="采纳此事项和裁量阶次").click()
    page.locator("#chosen").wait_for()
    # the page's own request for the logged suggestions (hx-trigger load) has answered — it brings the
    # 采纳 button back — before the check is asked for: the test's SQLite database (shared in memory)
    # takes one writing request at a time, and two at once failed with "cannot release savepoint"
    page.locator("#suggestions").get_by_role("button", name="采纳此事项和裁量阶次").first.wait_for()
    page.locator("#proposed").fill("65000")  # the fine of the 告知书
    page.get_by_role("button", name="类案同罚比对").click()
    page.locator("#consistency").wait_for()
    page.get_by_role("link", name="按此数额起草行政处罚决定书").click()

    # the draft: every sentence names its origin
    page.locator("#draft").wait_for()
    sentences = page.locator("#draft .sentence")
    assert sentences.count() == page.locator("#draft [data-origin]").count() >= 6
    draft_text = page.locator("#draft").inner_text()
    assert "罚款65000元" in draft_text and "裁量基准第2行" in draft_text and "规则库" in draft_text
    _shots(page, "draft")

    # into the record form: the draft's values, each with its origin; the officer lowers the fine and
    # leaves out the 没收违法所得 the row lists (the 告知书 did not state it: 行政处罚法 第四十四条)
    page.get_by_role("link", name="编辑并制作决定记录").click()
    page.locator("#offer-note").wait_for()
    assert page.locator("#f-fine_amount").input_value() == "65000"
    assert "承办人拟定的罚款数额" in page.locator("[data-origin='fine_amount']").inner_text()
    assert "裁量基准第2行" in page.locator("[data-origin='discretion_reason']").inner_text()
    _shots(page, "form")
    page.locator("#f-fine_amount").fill("62000")
    confiscate = page.locator("input[name=penalty_kinds][value=confiscate_gains]")
    if confiscate.is_checked():
        confiscate.uncheck()
    page.get_by_role("button", name="保存并存证").click()
    # the summary still states the draft's 65000: refused with the field and the article named, the
    # officer's other choices kept in the form (行政处罚法 第五十九条第一款第三项)
    page.locator("#errors").wait_for()
    assert (
        "内容摘要: 写明的罚款 65,000 元与“罚款数额” 62,000 元不一致" in page.locator("#errors").inner_text()
    )
    assert page.locator("#f-fine_amount").input_value() == "62000"
    _shots(page, "fine-mismatch")
    content = page.locator("#f-content")
    content.fill(content.input_value().replace("65000", "62000"))
    page.get_by_role("button", name="保存并存证").click()
    page.get_by_text("已制作：行政处罚决定书").wait_for()

    record = case.records.get(kind="decision_document")
    by_field = {f["field"]: f for f in record.origins["fields"]}
    assert record.payload["fine_amount"] == "62000.00"
    assert by_field["fine_amount"]["changed"] and by_field["fine_amount"]["offered"] == "65000"
    assert not by_field["violation"]["changed"] and not by_field["discretion_reason"]["changed"]
    assert by_field["discretion_reason"]["origin_kind"] == "rule"

    # the record page shows it to whoever reads the record (the legal reviewer, the head)
    page.goto(f"{live_server.url}/staff/cases/{case.public_id}/record/{record.public_id}/")
    origins = page.locator("#origins")
    assert "罚款数额" in origins.locator("[data-changed='1']").first.inner_text()
    assert "草稿为：65,000 元" in origins.inner_text()
    assert origins.locator("[data-changed='0']").count() >= 2
    _shots(page, "record")

    # the log: the draft shown and the values offered, each answered by the saved record
    shown = Suggestion.objects.get(case=case, kind="draft")
    offer = Suggestion.objects.get(case=case, kind="prefill")
    assert offer.offered["draft"] == str(shown.public_id)
    answer = offer.answers.get()
    assert answer.outcome == "accepted" and "fine_amount" in answer.chosen["changed"]
    assert shown.answers.get().chosen["record"] == str(record.public_id)
    assert SuggestionAnswer.objects.filter(
        suggestion__case=case, suggestion__kind="matter", outcome="accepted"
    ).exists()
