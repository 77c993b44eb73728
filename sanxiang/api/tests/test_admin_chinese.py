"""Issue 10 (polish of the admin): every label an administrator reads in the Django admin of our apps is
Chinese — model and field names, column headers, inline titles, choices, object names, buttons.

The crawl visits, as superuser, the admin index, every registered model's changelist and add form
(where adding is allowed) and the change form of one existing object, and reads the page as a person
does: the text, and the labels of controls (titles, placeholders, option texts). What a person typed
(input values, text areas) is data, not a label; so are the usernames. ``img alt`` is left out: Django
writes the alt text of its icons (``True``, ``Search``) without translating it.
"""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from sanxiang.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[A-Za-z][A-Za-z]+")
# Names that are written in Latin letters in Chinese too (standards, formats), and Django's own
# "%(name)s" placeholders never reach a page.
ACRONYMS = {"ID", "SM", "SHA", "JSON", "POSIX", "URL", "HTTP", "API", "IP", "CSV", "XLSX", "UUID", "HMAC"}
# Proper names inside Django's own Chinese help texts (keys, systems) and the calendar's data source.
PROPER_NAMES = {"LDAP", "Control", "Mac", "Command", "chinesecalendar"}
# The password field shows the hash's algorithm and a masked salt: data of the account.
HASHERS = {"md5", "argon2", "argon2id", "pbkdf2_sha256", "bcrypt_sha256", "scrypt"}


class _Reader(HTMLParser):
    """The words a person reads on a page: text, titles, placeholders and option labels."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0  # inside <script>, <style> or <textarea>
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self.hidden += 1
        for name, value in attrs:
            if value and name in ("title", "placeholder", "aria-label"):
                self.texts.append(value)
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def english_on(html: str, data: set[str]) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    found = []
    for text in reader.texts:
        shown = text
        for value in sorted(data | HASHERS, key=len, reverse=True):
            shown = shown.replace(value, " ")
        shown = re.sub(r"\S*\*{4,}\S*", " ", shown)  # a masked secret
        words = [w for w in WORD.findall(shown) if w.upper() not in ACRONYMS and w not in PROPER_NAMES]
        # a token like sx_AbC123 (a key prefix) or a hash is data, not a word
        words = [w for w in words if not re.fullmatch(r"[a-f0-9]+", w)]
        if words:
            found.append(text[:120])
    return found


def _pages(model) -> list[str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = [reverse(f"{info}_changelist")]
    with contextlib.suppress(NoReverseMatch):
        pages.append(reverse(f"{info}_add"))
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        pages.append(reverse(f"{info}_change", args=[obj.pk]))
    return pages


@pytest.fixture
def world(administrator, officer_a, reviewer_a, head_a, supervisor):
    """A few rows in the registered models, so that changelists have rows and change forms exist."""
    from sanxiang.testing import factories

    factories.PartyFactory()
    factories.MarketEntityFactory()
    ApiToken.issue(user=officer_a, name="执法终端")
    return administrator


def test_every_admin_page_of_our_apps_is_in_chinese(client_for, world):
    client = client_for(world)
    # Usernames, token prefixes and a group's own name (the role key it is stored under, shown as the
    # object's name on its change page) are data; the group list shows the role's Chinese name.
    data = (
        set(User.objects.values_list("username", flat=True))
        | set(ApiToken.objects.values_list("prefix", flat=True))
        | set(Group.objects.values_list("name", flat=True))
    )
    # Every registered model: ours and those of the libraries we register (用户组, 登录尝试, 后台任务).
    ours = list(admin.site._registry)
    assert any(m.__module__.startswith("sanxiang.") for m in ours), "no model of ours is registered"
    english: dict[str, list[str]] = {}
    visited = 0
    for url in ["/admin/", *(page for model in ours for page in _pages(model))]:
        response = client.get(url)
        if response.status_code == 403:  # an append-only model refuses the add form
            continue
        assert response.status_code == 200, url
        visited += 1
        found = english_on(response.content.decode(), data)
        if found:
            english[url] = found
    assert visited > len(ours)
    assert english == {}, "\n".join(f"{url}: {texts}" for url, texts in english.items())


def test_the_reader_finds_an_english_label_and_ignores_data():
    html = (
        '<th>Created at</th><td>张三</td><input type="text" value="Hello">'
        "<textarea>free text</textarea><select><option>penalty_general</option></select>"
        '<img alt="True"><p>SM3 摘要 3f9a0c</p>'
    )
    assert english_on(html, data=set()) == ["Created at", "penalty_general"]


def test_the_group_list_names_each_role_in_chinese_not_by_its_key(client_for, world):
    from sanxiang.accounts.roles import Role

    html = client_for(world).get("/admin/auth/group/").content.decode()
    assert str(Role.OFFICER.label) in html and str(Role.REVIEWER.label) in html
    assert f">{Role.OFFICER.value}<" not in html
