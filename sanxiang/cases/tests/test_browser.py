"""An officer's busy day in a real headless Chromium on a phone-sized screen: log in, open a case
through the staff form (party prefilled from the 市场主体名录库), add a record, try a transition the
procedure refuses and read what is missing with its legal source. Screenshots: var/test-artifacts/cases/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from sanxiang.cases import selectors
from sanxiang.cases.models import Case
from sanxiang.procedures import registry
from sanxiang.testing.factories import MarketEntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "cases"
PASSWORD = "correct horse battery"  # sanxiang.testing.factories.UserFactory


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_officer_opens_a_case_records_an_inquiry_and_sees_why_a_transition_is_refused(
    flushable, live_server, page, handler, second_officer
):
    shop = MarketEntityFactory(name="宁江区鲜果超市有限公司", legal_representative="孙八")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill(handler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()

    page.get_by_role("link", name="案件", exact=True).click()
    page.get_by_role("link", name="登记案件").click()
    page.get_by_role("heading", name="登记案件").wait_for()
    page.locator("#f-title").fill("销售腐烂变质水果案")
    page.locator("#f-source").select_option("complaint")
    page.locator("#f-source_detail").fill("群众电话举报，现场发现腐烂水果仍在销售")
    page.locator("#f-is_emergency").check()
    page.locator("#f-emergency_reason").fill("证据可能灭失，需立即调查")
    page.locator("#party-0-q").fill("鲜果")
    page.get_by_role("button", name=f"{shop.name} · {shop.credit_code}").click()
    # the site's CSP forbids the eval behind wait_for_function: wait with a locator assertion instead
    expect(page.locator("#party-0-credit_code")).to_have_value(shop.credit_code)
    assert page.locator("#party-0-legal_representative").input_value() == "孙八"
    assert "证件有效" in page.locator("#officers").inner_text()
    page.locator(f'input[name=officers][value="{second_officer.public_id}"]').check()
    shot(page, "01-open-case-form")
    page.get_by_role("button", name="登记案件").click()

    page.locator("#timeline").wait_for()
    case = Case.objects.get()
    assert case.number in page.locator("h1").inner_text() and case.is_emergency
    assert [p.party.credit_code for p in case.case_parties.all()] == [shop.credit_code]
    shot(page, "02-case-opened")

    inquiry = registry.get("penalty_general").records()["inquiry_record"]
    page.locator("#record-kinds").get_by_role("link", name=inquiry.name).click()
    page.locator("#f-content").fill("询问当事人孙八，承认销售腐烂水果")
    page.get_by_role("button", name="保存并存证").click()
    page.locator("#timeline").get_by_text(inquiry.name).wait_for()
    assert case.records.filter(kind="inquiry_record").count() == 1

    detail = selectors.case_detail(handler, case)
    option = next(o for o in detail.options if o.unmet)  # e.g. 调查终结 without the report
    page.get_by_role("button", name=option.label).click()
    refused = page.locator(".messages li.error")
    refused.first.wait_for()
    shown = refused.all_inner_texts()
    assert shown[0] == "未办理：不符合办理条件"
    from sanxiang.cases.templatetags.case_pages import cite_text

    for unmet in option.unmet:  # what is missing, and why — the source cited by its title
        assert cite_text(unmet.message) in shown and unmet.source in unmet.message
    assert Case.objects.get().stage == case.stage
    shot(page, "03-transition-refused")
