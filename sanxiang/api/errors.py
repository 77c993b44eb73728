"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sanxiang.errors import FieldError, SanxiangError, from_validation_error

PROBLEM = "application/problem+json"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    errors: list[FieldError] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://sanxiang.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.path,
        "errors": [e.as_dict() for e in errors or []],
    }
    return api.create_response(
        request, body, temporal_response=HttpResponse(status=status, content_type=PROBLEM)
    )


def _location(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(SanxiangError)
    def _sanxiang(request: HttpRequest, exc: SanxiangError) -> HttpResponse:
        return problem(api, request, status=exc.status, code=exc.code, title=exc.title, errors=exc.errors)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        err = from_validation_error(exc)
        return problem(api, request, status=422, code=err.code, title=err.title, errors=err.errors)

    @api.exception_handler(NinjaValidationError)
    def _schema(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            FieldError(
                field=_location(e.get("loc", [])), rule=e.get("type", "invalid"), message=e.get("msg", "")
            )
            for e in exc.errors
        ]
        return problem(api, request, status=422, code="invalid_input", title="输入不符合规则", errors=errors)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(api, request, status=401, code="unauthenticated", title="需要登录或有效的接口令牌")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, code="not_found", title="未找到")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, code=f"http_{exc.status_code}", title=str(exc))
