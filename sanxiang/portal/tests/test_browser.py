"""The portal and the staff login in a real headless Chromium."""

import pytest

from sanxiang.testing.factories import OfficerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable"),
]


def test_a_visitor_checks_an_officers_credential_from_the_portal(live_server, page, agency_a):
    OfficerFactory(agency=agency_a, name="王伟", credential_number="22070200101")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="执法人员查询").first.click()
    page.get_by_label("姓名或执法证件号").fill("王伟")
    page.get_by_role("button", name="查询").click()
    verdict = page.locator(".officer-results .verdict")
    verdict.wait_for()
    assert verdict.inner_text() == "证件有效"
    assert "q=" in page.url  # htmx pushed the search into the address bar, so it can be shared


def test_a_visitor_browses_from_the_agency_list_to_an_agency(live_server, page, agency_a):
    page.goto(live_server.url + "/agencies/")
    page.get_by_role("link", name=agency_a.name).click()
    page.get_by_role("heading", name=agency_a.name).wait_for()
    assert agency_a.qualification_basis in page.content()


def test_an_officer_logs_in_to_the_staff_site(live_server, page, officer_a):
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill("correct horse battery")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()
    assert officer_a.agency.name in page.content()
    assert "暂无待办事项" in page.content()
