"""Issue 10, finding 18: the pages work under the Content-Security-Policy, in a real headless Chromium.

Every page each persona reaches from the navigation and the home page's work list, the portal's
pages, a record form (htmx, the upload progress script) and the API docs (Swagger UI) load with no
CSP violation and no script error in the console. Screenshots: var/test-artifacts/csp/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "csp"
PERSONAS = ["officer", "reviewer", "disclosure", "admin"]
PORTAL = ["/", "/decisions/", "/agencies/", "/officers/", "/credential-check/", "/verify/", "/procedures/"]


def _one_per_kind(urls):
    seen, out = set(), []
    for url in urls:
        kind = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "N", url)
        if kind not in seen:
            seen.add(kind)
            out.append(url)
    return out


def test_10_18_pages_work_under_the_csp_with_no_violation_in_the_console(demo, live_server, page):
    page.set_default_timeout(60_000)  # a shared, loaded machine: wait for pages, not for time
    page.set_default_navigation_timeout(60_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: {m.text}")
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused to" in m.text)
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    visited = 0
    for path in PORTAL:
        page.goto(live_server.url + path)
        visited += 1
    page.goto(live_server.url + "/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()  # Swagger UI rendered from our static files
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
    for username in PERSONAS:
        page.context.clear_cookies()
        page.goto(live_server.url + "/staff/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="工作台").wait_for()
        nav = page.eval_on_selector_all(".masthead nav a[href]", "els => els.map(e => e.href)")
        work = page.eval_on_selector_all("#my-work a[href]", "els => els.map(e => e.href)")
        for url in _one_per_kind([u for u in nav if "/admin/" not in u] + work):
            page.goto(url)
            visited += 1
        if username == "officer":
            page.goto(live_server.url + "/staff/cases/?scope=all")
            case = page.locator("table a[href*='/staff/cases/']").first.get_attribute("href")
            page.goto(live_server.url + case)
            form = page.locator("a[href*='/records/']").first
            if form.count():
                form.click()
                page.locator("#record-form").wait_for()
                page.screenshot(path=str(ARTIFACTS / "record-form.png"), full_page=True)
                visited += 1
    assert visited >= 15
    assert problems == []
