"""Every staff persona of the demo, in a real headless Chromium: each navigation link and each link
of the home page's "my work" list answers without 4xx/5xx, and no page is wider than a phone.
Screenshots of failures: var/test-artifacts/navigation/."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "navigation"
PERSONAS = ["officer", "officer2", "transport", "reviewer", "head", "disclosure", "supervisor", "admin"]
PHONE = {"width": 390, "height": 844}


def _links(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.href)")


def _one_per_kind(urls: list[str]) -> list[str]:
    """One link for each kind of page (a case, a review round …): the ids differ, the page does not."""
    seen, out = set(), []
    for url in urls:
        kind = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "N", url)
        if kind not in seen:
            seen.add(kind)
            out.append(url)
    return out


def test_every_staff_persona_follows_every_navigation_link_on_a_phone(demo, live_server, page):
    page.set_viewport_size(PHONE)
    problems = []
    for username in PERSONAS:
        page.context.clear_cookies()
        page.goto(live_server.url + "/staff/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="工作台").wait_for()
        nav = [u for u in _links(page, ".masthead nav a[href]") if "/admin/" not in u]
        work = _one_per_kind(_links(page, "#my-work a[href]"))
        for url in dict.fromkeys([page.url, *nav, *work]):
            response = page.goto(url)
            status = response.status if response else 0
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if status >= 400 or overflow > 0:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"\W+", "_", url.removeprefix(live_server.url)).strip("_")
                page.screenshot(path=str(ARTIFACTS / f"{username}-{name}.png"), full_page=True)
                problems.append(
                    f"{username} {url.removeprefix(live_server.url)}: {status}, {overflow}px too wide"
                )
            # every link the page offers in its content answers too (a hidden link must not 403)
            for link in dict.fromkeys(_links(page, "main a[href]")):
                if link.startswith(live_server.url + "/staff/") and not re.search(r"\d|[0-9a-f]{8}-", link):
                    answer = page.request.get(link)
                    if answer.status >= 400:
                        problems.append(
                            f"{username} {url.removeprefix(live_server.url)} links to {link}: {answer.status}"
                        )
    assert problems == []
