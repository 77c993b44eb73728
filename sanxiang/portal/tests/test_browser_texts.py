"""An anonymous visitor reads an agency's five published texts in a real headless Chromium, at 1366 px
and on a 360 px phone, and downloads a 示范文本."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document

from sanxiang.catalog import services as catalog
from sanxiang.catalog.guides import service_guide_publish
from sanxiang.catalog.guides_demo import GUIDES
from sanxiang.catalog.models import ListKind
from sanxiang.testing.browser import at_both_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "published-texts"
START = dt.date(2025, 1, 1)


def _shots(page, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
    at_both_widths(page, SHOTS, name)


def test_a_visitor_reads_the_five_texts_of_an_agency_and_downloads_a_sample(
    flushable, live_server, page, agency_a, head_a
):
    food = GUIDES[0]
    catalog.entry_publish(
        actor=head_a,
        kind=ListKind.ITEMS,
        agency=agency_a,
        data=food["matter"],
        effective_from=START,
        reason="首次公布",
    )
    service_guide_publish(
        actor=head_a,
        agency=agency_a,
        code="XK-SP-001",
        data=food["guide"],
        effective_from=START,
        reason="首次公布",
    )
    page.set_default_timeout(60_000)  # the shared machine is slow; the page is judged by content
    page.set_default_navigation_timeout(60_000)
    page.goto(live_server.url + "/agencies/")
    page.get_by_role("link", name=agency_a.name).click()
    page.get_by_role("link", name="流程图、服务指南、规范用语、文书样本、法制审核流程图").click()
    page.get_by_role("heading", name=f"{agency_a.name} 公开文本").wait_for()
    assert page.locator("#texts tbody tr").count() == 5
    _shots(page, "texts")

    page.get_by_role("link", name="行政执法服务指南").click()
    page.get_by_role("link", name="食品经营许可").click()
    page.get_by_role("heading", name="食品经营许可 服务指南").wait_for()
    _shots(page, "guide")
    with page.expect_download() as download:
        page.locator("#materials").get_by_role("link", name="下载示范文本（DOCX）").first.click()
    doc = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "食品经营许可申请书（示范）" in "\n".join(p.text for p in doc.paragraphs)
    assert download.value.suggested_filename == "食品经营许可申请书（示范文本）.docx"

    page.get_by_role("link", name="办理进度查询").first.click()
    page.get_by_role("heading", name="办理进度查询").wait_for()

    page.go_back()
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="行政执法规范用语").click()
    page.get_by_role("heading", name=f"{agency_a.name} 行政执法规范用语").wait_for()
    assert "平台默认文本" in page.locator("#default-note").inner_text()
    _shots(page, "phrases")

    page.go_back()
    page.get_by_role("link", name="重大行政执法决定法制审核流程图").click()
    page.get_by_role("heading", name="重大行政执法决定法制审核流程图").wait_for()
    assert page.locator("svg.flowchart g.stage").count() == 7
    _shots(page, "review-flow")
