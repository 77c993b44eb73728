"""A real headless Chromium (Debian's package) driven by Playwright, for page tests."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from sanxiang.ledger import immutability as ledger_triggers

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
# The browser's own interface language (Debian's chromium-l10n, installed by make system-deps, read
# from LANGUAGE on Linux): the native date picker and file chooser read "2026/12/03" and "选择文件" as
# an officer's Chromium does, not "12/03/2026" and "Choose File". The character set stays UTF-8
# (C.UTF-8, present on every Debian): a zh_CN locale that is not generated would turn file names such
# as 决定书.docx into nothing in uploads and downloads.
CHROMIUM_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "zh_CN:zh"}


def chromium_path() -> str:
    path = os.environ.get("SANXIANG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        # Never a silent skip: `make test` installs Debian's chromium (Makefile: system-deps).
        raise RuntimeError("chromium not found: run `make system-deps` (installs Debian's chromium)")
    return path


@pytest.fixture(scope="module")
def _triggers_back(django_db_blocker):
    """Set up before live_server's database, so it puts the append-only triggers back after the last
    flush of the module."""
    yield
    with django_db_blocker.unblock():
        ledger_triggers.install(connection)


@pytest.fixture
def flushable(_triggers_back, live_server, transactional_db):
    """live_server empties the database after each test; the append-only triggers would refuse that."""
    yield
    ledger_triggers.drop(connection)


@pytest.fixture
def demo(flushable, settings):
    """The demo (``load_demo --entities 20``) behind the live server, emptied after the test: built
    once per run and day, the same build as ``demo_db`` (sanxiang/testing/fixtures.py, demo_build)."""
    from sanxiang.testing.fixtures import demo_build

    demo_build(settings)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # live-server fixtures are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Playwright gives each launch a fresh, empty profile directory of its own.
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_FLAGS,
            env={**os.environ, **CHROMIUM_ENV},
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


STAFF_PASSWORD = "correct horse battery"  # noqa: S105 - the test users' password (factories.UserFactory)


def staff_login(page, base_url: str, user, password: str = STAFF_PASSWORD) -> None:
    """Sign in on the staff site as ``user`` (a fresh session) and wait for the 工作台."""
    page.context.clear_cookies()
    page.goto(base_url + "/staff/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()


def at_both_widths(page, folder, name: str) -> None:
    """Screenshots at 1280 px and on a 360 px phone (into ``folder``); the phone page must not scroll
    sideways."""
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"{name}: the page is {width}px wide on a 360px phone"
    page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
