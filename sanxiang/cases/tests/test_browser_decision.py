"""Joint offenders punished differently, entered through the staff form on a phone (360 px) and a
desktop: each party's own penalty is stored on the decision row and disclosed with that party's duty
(行政处罚法 第五十九条; 《松原市行政执法公示办法》第十六条). Screenshots: var/test-artifacts/cases/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.cases import services
from sanxiang.cases.models import Decision
from sanxiang.cases.tests.factories import ORGANISATION, PERSON
from sanxiang.cases.tests.test_browser import PASSWORD
from sanxiang.cases.tests.test_decision_rows import joint_case_at_decision
from sanxiang.disclosure.models import Duty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "cases"


@pytest.mark.usefixtures("flushable")
@pytest.mark.parametrize("width", [360, 1280])
def test_an_officer_gives_two_joint_offenders_different_penalties_through_the_form(
    live_server, page, handler, second_officer, reviewer_a, head_a, width
):
    people = {"handler": handler, "reviewer": reviewer_a, "head": head_a}
    case = joint_case_at_decision(people)
    parties = {cp.party.name: cp.party for cp in case.case_parties.select_related("party")}
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill(handler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()
    page.goto(f"{live_server.url}/staff/cases/{case.public_id}/records/decision_document/")
    page.locator("#f-document_number").fill("宁市监罚〔2026〕8号")
    page.locator("#f-content").fill("分别给予处罚")
    page.locator("input[name=penalty_kinds][value=warning]").check()
    company = page.locator(f"fieldset[data-party='{parties[ORGANISATION['name']].public_id}']")
    company.locator("input[value=fine]").check()
    company.locator("input[name$=_fine]").fill("8000")
    person = page.locator(f"fieldset[data-party='{parties[PERSON['name']].public_id}']")
    person.locator("input[value=warning]").check()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"joint-penalties-{width}.png"), full_page=True)
    page.get_by_role("button", name="保存并存证").click()
    page.wait_for_url(f"**/staff/cases/{case.public_id}/")

    services.case_transition(actor=handler, case=case, transition="serve")
    decision = Decision.objects.get(case=case)
    lines = {(line.party.name, line.kind, line.amount) for line in decision.lines.select_related("party")}
    assert lines == {(ORGANISATION["name"], "fine", Decimal("8000.00")), (PERSON["name"], "warning", None)}
    duties = {d.party.name: d.fields for d in Duty.objects.select_related("party")}
    assert duties[ORGANISATION["name"]]["penalty_categories"] == "罚款"
    assert duties[ORGANISATION["name"]]["fine_amount"] == "8000.00"
    assert duties[PERSON["name"]]["penalty_categories"] == "警告"
