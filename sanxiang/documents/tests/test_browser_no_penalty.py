"""In a real browser: the officer of a case decided 不予行政处罚 (行政处罚法 第三十三条) and served sees
only the exit that fits it — 不予处罚，结案, not 进入执行 (第五十七条第一款第二项) — and closes the case
from the case page. Desktop and a 360 px phone. Screenshots: var/test-artifacts/documents/no-penalty/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.testing.browser import at_both_widths, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "documents" / "no-penalty"


@pytest.mark.usefixtures("flushable")
def test_the_officer_closes_a_served_no_penalty_case_from_its_page(
    live_server, page, no_penalty_case, handler
):
    staff_login(page, live_server.url, handler)
    page.goto(f"{live_server.url}/staff/cases/{no_penalty_case.public_id}/")
    transitions = page.locator("#transitions")
    transitions.get_by_role("button", name="不予处罚，结案").wait_for()
    assert "进入执行" not in transitions.inner_text()
    at_both_widths(page, ARTIFACTS, "served")
    assert "本案不适用" in page.locator("tr", has_text="当事人缴纳罚款").inner_text()  # 第六十六条
    transitions.get_by_role("button", name="不予处罚，结案").click()
    page.locator("#transitions").get_by_role("button", name="立卷归档").wait_for()
    assert "已办理：不予处罚，结案，当前环节为结案" in page.locator(".messages").inner_text()
    no_penalty_case.refresh_from_db()
    assert no_penalty_case.stage == "closed"
    at_both_widths(page, ARTIFACTS, "closed")
