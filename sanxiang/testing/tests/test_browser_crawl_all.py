"""A crawl of every staff page of every app on a fresh demo, as each persona — the market agency's
officer, 审核人, reviewer, head and disclosure officer, the transport agency's officer, the
supervisor and the administrator (and the admin's index) — following links from /staff/.
One page of each route pattern per persona (ids, slugs and the query's values do not make a new page),
checked at 1366 px and at 360 px: no 5xx, no link to a page that is missing or refused, no English
UI text, internal key, placeholder or "seed", no horizontal overflow. Failures are screenshotted
into var/test-artifacts/crawl/, every page at 360 px into var/test-artifacts/crawl/phone/.

The demo is built once (one test): the crawl only reads."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, resolve

from sanxiang.demo import DEMO_PASSWORD
from sanxiang.testing.crawl import ARTIFACTS, check_loaded, links, shape

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = ("/staff/", "/documents/", "/laws/")
PERSONAS = {
    "officer": STAFF,
    "chief": STAFF,
    "reviewer": STAFF,
    "head": STAFF,
    "disclosure": STAFF,
    "transport": STAFF,
    "supervisor": STAFF,
    "admin": STAFF,
}
# The administrator's start pages: the staff home and the admin's index. The admin's other pages
# are not crawled yet: groups are named by role key, permissions are Django's English "Can add …",
# the access log shows browsers' user agents and the task results django_tasks' English states.
ADMIN_STARTS = ["/admin/"]
PAGES_PER_PERSONA = 160  # a bound, so that one endless listing cannot stall the run
PHONE = ARTIFACTS / "phone"


def route(url: str) -> str:
    """The URL's route pattern with its query's keys (a case's id, a record form's kind or a filter's
    value do not make a new page)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return shape(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query)} - {"page"})
    return f"{match.route}|{','.join(keys)}"


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(base + "/staff/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()


def crawl_as(
    page, base: str, who: str, prefixes: tuple[str, ...], problems: list[str], shot: set[str]
) -> list[str]:
    """Follow links from the persona's start pages, one page per route; ``shot``: the routes
    already screenshotted at 360 px (one phone screenshot per route, whoever saw it first)."""
    starts = ["/staff/"] + (ADMIN_STARTS if who == "admin" else [])
    seen: set[str] = set()
    queue = [(u, "") for u in starts]
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_PERSONA:
        url, source = queue.pop(0)
        if route(url) in seen:
            continue
        seen.add(route(url))
        visited.append(url)
        response = page.goto(base + url)
        status = response.status if response else 0
        landed = urlsplit(page.url).path
        if status >= 400 or landed.startswith(("/staff/login/", "/admin/login/")):
            problems.append(f"{who} {url} (linked from {source or '—'}): {status} → {landed}")
            continue
        check_loaded(page, url, who, problems, phone_shots=None if route(url) in shot else PHONE)
        shot.add(route(url))
        queue += [(h, url) for h in links(page, prefixes) if route(h) not in seen]
    return visited


def test_every_staff_page_of_every_app_as_every_persona_is_chinese_and_fits_the_screen(
    demo, live_server, page
):
    page.set_default_timeout(60_000)  # the shared machine is slow; a page is judged by content, not speed
    problems: list[str] = []
    counts = {}
    shot: set[str] = set()
    started = time.monotonic()
    for username, prefixes in PERSONAS.items():
        login(page, live_server.url, username)
        counts[username] = len(crawl_as(page, live_server.url, username, prefixes, problems, shot))
    elapsed = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "all-pages.txt").write_text(
        f"{counts} in {elapsed:.0f} s\n" + "\n".join(problems), encoding="utf-8"
    )
    # every app's staff pages were reached (the crawl follows links; a page no link leads to is a finding)
    assert all(n > 10 for n in counts.values()), counts
    assert problems == []
