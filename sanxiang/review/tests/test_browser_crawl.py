"""A crawl of the staff pages of cases and legal review on a fresh demo, as each persona, at 1366 px
and 360 px: every page answers without 5xx, shows no English UI text, no internal key, no
placeholder, no "seed" and is not wider than the screen. Pages: the home, the navigation, each kind
of "my work" link, the case list, a case page of every procedure, a record page with a recording,
the 送审 page, a review round page. A second crawl follows links: the public portal from its home
(anonymously), the disclosure staff pages from /staff/disclosure/ as each persona, and every page an
officer reaches from a case of theirs (record forms and record pages). Screenshots of failures:
var/test-artifacts/crawl/."""

from __future__ import annotations

import re

import pytest

from sanxiang.demo import DEMO_PASSWORD
from sanxiang.testing.crawl import ARTIFACTS, MACHINE, PROSE, WIDTHS, links, shape, visible_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["officer", "chief", "reviewer", "head", "disclosure", "supervisor"]


def _pages() -> list[str]:
    from sanxiang.cases.models import Case, CaseRecord
    from sanxiang.review.models import ReviewRound

    urls = [
        "/staff/",
        "/staff/cases/",
        "/staff/cases/?scope=all&deadline=overdue&sort=due",
        "/staff/reviews/",
    ]
    for procedure in Case.objects.values_list("procedure", flat=True).distinct():
        case = Case.objects.filter(procedure=procedure).order_by("-pk").first()
        urls.append(f"/staff/cases/{case.public_id}/")
    record = CaseRecord.objects.filter(has_av=True).order_by("pk").first()
    urls.append(f"/staff/cases/{record.case.public_id}/record/{record.public_id}/")
    notice = Case.objects.filter(stage="notice").first()
    if notice is not None:
        urls.append(f"/staff/reviews/cases/{notice.public_id}/submit/")
    r = ReviewRound.objects.filter(status="reviewing").first()
    urls.append(f"/staff/reviews/{r.public_id}/")
    return urls


def test_every_staff_page_of_cases_and_review_is_chinese_and_fits_the_screen(demo, live_server, page):
    page.set_default_timeout(60_000)  # the shared machine is slow; a page is judged by content, not speed
    problems = []
    pages = _pages()
    for username in PERSONAS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(live_server.url + "/staff/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="工作台").wait_for()
        work = page.eval_on_selector_all("#my-work a[href]", "els => els.map(e => e.getAttribute('href'))")
        kinds: dict[str, str] = {}
        for url in work:  # the pages of cases, legal review and the home (this crawl's scope)
            if url.startswith(("/staff/cases/", "/staff/reviews/")):
                kinds.setdefault(re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "N", url), url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url in dict.fromkeys([*pages, *kinds.values()]):
                response = page.goto(live_server.url + url)
                status = response.status if response else 0
                if status >= 500:
                    problems.append(f"{username} {width} {url}: {status}")
                    continue
                if status >= 400:  # a page this persona may not open answers 403/404 in Chinese
                    continue
                text = page.locator("body").inner_text()
                found = visible_problems(text)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if found or overflow > 0:
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    name = re.sub(r"\W+", "-", f"{username}-{width}-{url}")[:120]
                    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                    problems.append(f"{username} {width} {url}: {found} overflow={overflow}")
    assert problems == []


# The link-following crawl: from each persona's home (and the portal's, anonymously) every same-site
# link under these prefixes is followed, one page per URL shape (ids replaced), at both widths.
STAFF_PREFIXES = ("/staff/disclosure/",)
PORTAL_PREFIXES = (
    "/agencies/",
    "/officers/",
    "/credential-check/",
    "/rights/",
    "/supervision/",
    "/decisions/",
    "/disclosure-log/",
    "/verify/",
    "/corrections/",
    "/catalog/",
    "/procedures/",
    "/ledger/",
)
PAGES_PER_START = 40  # a bound, so one endless listing cannot stall the run


def _crawl(page, live_server, start: str, prefixes, who: str, problems: list[str]) -> int:
    seen: set[str] = set()
    queue = [start]
    visited = 0
    while queue and visited < PAGES_PER_START:
        url = queue.pop(0)
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        visited += 1
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + url)
            status = response.status if response else 0
            if status >= 500:
                problems.append(f"{who} {width} {url}: {status}")
                break
            if status >= 400:
                break
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            found = visible_problems(MACHINE.sub(" ", page.evaluate(PROSE)))
            if found or overflow > 0:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"\W+", "-", f"{who}-{width}-{url}")[:120]
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                problems.append(f"{who} {width} {url}: {found} overflow={overflow}")
            if width == WIDTHS[0]:
                queue += [h for h in links(page, prefixes) if shape(h) not in seen]
    return visited


def test_every_linked_disclosure_record_and_portal_page_is_chinese_and_fits_the_screen(
    demo, live_server, page
):
    """Disclosure staff pages (queue, duty, draft, review, corrections), record forms and record
    pages reached from the case pages, as each persona; the public portal anonymously."""
    page.set_default_timeout(60_000)
    problems: list[str] = []
    visited = _crawl(page, live_server, "/", PORTAL_PREFIXES, "anonymous", problems)
    assert visited > 10
    for username in PERSONAS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(live_server.url + "/staff/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="工作台").wait_for()
        _crawl(page, live_server, "/staff/disclosure/", STAFF_PREFIXES, username, problems)
        if username == "officer":  # the record forms of an open case of every kind the stage offers
            case = page.eval_on_selector_all(
                "#my-work a[href^='/staff/cases/']", "els => els.map(e => e.getAttribute('href'))"
            )
            if case:
                _crawl(page, live_server, case[0].split("#")[0], ("/staff/cases/",), username, problems)
    if problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "linked-problems.txt").write_text("\n".join(problems), encoding="utf-8")
    assert problems == []
