"""In a real browser: an officer opens 文书模板, uploads a DOCX with a placeholder the 行政处罚决定书 does
not supply (refused, named), then the corrected file (本机关第1版). Desktop and a 360 px phone.
Screenshots: var/test-artifacts/documents/templates/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.documents.models import DocumentTemplate
from sanxiang.testing.browser import at_both_widths, staff_login

from .test_templates_page import _edited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "documents" / "templates"


@pytest.mark.usefixtures("flushable")
def test_an_officer_uploads_a_template_and_sees_an_unknown_placeholder_named(
    live_server, page, officer_a, tmp_path
):
    staff_login(page, live_server.url, officer_a)
    page.goto(live_server.url + "/staff/documents/templates/")
    page.get_by_role("heading", name="文书模板").wait_for()
    at_both_widths(page, ARTIFACTS, "templates")
    page.locator("section[data-kind=penalty_decision]").get_by_role("link", name="行政处罚决定书").click()
    page.get_by_role("heading", name="行政处罚决定书模板").wait_for()
    bad = tmp_path / "决定书.docx"
    bad.write_bytes(_edited("penalty_decision", "{{ penalty_text }}", "{{ penalty_text }}{{ fine_total }}"))
    page.locator("#content").set_input_files(str(bad))
    page.get_by_role("button", name="上传并启用").click()
    page.locator("#errors").wait_for()
    assert "不提供占位符 fine_total" in page.locator("#errors").inner_text()
    at_both_widths(page, ARTIFACTS, "template-refused")
    good = tmp_path / "决定书2.docx"
    good.write_bytes(_edited("penalty_decision", "上述事实，主要有以下证据证明", "以上事实，有下列证据证明"))
    page.locator("#content").set_input_files(str(good))
    page.locator("#note").fill("调整证据段落")
    page.get_by_role("button", name="上传并启用").click()
    page.locator("#current").filter(has_text="本机关第1版").wait_for()
    assert DocumentTemplate.objects.filter(kind="penalty_decision", agency=officer_a.agency).count() == 1
    at_both_widths(page, ARTIFACTS, "template-uploaded")
