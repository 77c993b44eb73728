"""Issue 12, item 7 (polish) and issue 10, finding 18 (headers): Chinese error pages in the site's style,
a Chinese admin, a favicon, API docs from our own static files, and the security headers."""

import re

import pytest
from django.contrib import admin
from django.test import Client

pytestmark = pytest.mark.django_db

CJK = re.compile("[\u4e00-\u9fff]")


def _visible(html: str) -> str:
    """The page's text as a reader sees it (no tags, attributes or scripts)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))


def test_12_7_an_unknown_portal_page_is_the_chinese_404_in_the_portal_style(anonymous):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "行政执法公示平台" in text  # the portal's masthead
    assert "Not Found" not in text


def test_12_7_an_unknown_staff_page_is_the_chinese_404_in_the_staff_style(client_for, officer_a):
    response = client_for(officer_a).get("/staff/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "工作台" in text


def test_12_7_a_refused_staff_page_is_the_chinese_403(client_for, officer_a):
    response = client_for(officer_a).get("/staff/reviews/head/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权访问" in text and "Forbidden" not in text


def test_12_7_a_stale_form_is_the_chinese_403_not_djangos_csrf_page(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/staff/logout/")
    assert response.status_code == 403
    text = _visible(response.content.decode())
    assert "页面已过期" in text and "CSRF verification failed" not in text and "Forbidden" not in text


def test_12_7_a_server_error_is_the_chinese_500_page(rf):
    from sanxiang.error_pages import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统暂时无法处理" in response.content.decode()


def test_12_7_every_admin_model_and_app_has_a_chinese_name(client_for, administrator):
    for model in admin.site._registry:
        assert CJK.search(str(model._meta.verbose_name_plural)), model._meta.label
        assert CJK.search(str(model._meta.app_config.verbose_name)), model._meta.label
    text = _visible(client_for(administrator).get("/admin/").content.decode())
    for english in ("Webhook deliverys", "Access attempts", "Axes", "Task Results", "Tasks Database"):
        assert english.lower() not in text.lower(), english


def test_12_7_every_page_links_a_favicon_that_is_served(anonymous):
    text = anonymous.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', text).group(1)
    assert anonymous.get(href).status_code == 200


def test_12_7_api_docs_load_swagger_from_our_own_static_files(anonymous):
    text = anonymous.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert any("swagger-ui-bundle" in s for s in sources)
    for source in sources:
        assert source.startswith("/"), f"{source} is not served by the platform itself"
        assert anonymous.get(source).status_code == 200, source


def test_10_18_every_page_has_a_content_security_policy_without_inline_script(anonymous):
    for path in ("/", "/api/docs", "/staff/login/", "/no-such-page/"):
        policy = anonymous.get(path)["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy


def test_10_18_no_template_holds_an_inline_script_or_event_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|javascript:", re.I
    )
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for path in root.rglob("templates/**/*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
