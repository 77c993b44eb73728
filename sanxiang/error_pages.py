"""The site's own 400/403/404/500 pages, in Chinese and in the style of the part of the site asked for.

Staff paths get the staff masthead, everything else the portal's; the API never reaches these (it
answers problem+json, ``sanxiang.api.errors``). The 500 page renders without the database.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from sanxiang.errors import FieldError

STAFF_PREFIXES = ("/staff/", "/admin/", "/catalog/staff/")


def base_for(request: HttpRequest | None) -> str:
    path = getattr(request, "path", "") or ""
    return "accounts/staff_base.html" if path.startswith(STAFF_PREFIXES) else "portal/portal_base.html"


def render_error(
    request: HttpRequest,
    status: int,
    *,
    title: str | None = None,
    errors: list[FieldError] | None = None,
) -> HttpResponse:
    template = {403: "403.html", 404: "404.html"}.get(status, "400.html")
    context = {"base_template": base_for(request), "title": title, "errors": errors or []}
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("500.html", {}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render_error(
        request,
        403,
        title="页面已过期，请刷新后重新提交",
        errors=[FieldError("csrfmiddlewaretoken", "csrf", "表单校验码无效或已过期：请刷新页面后重新提交。")],
    )
