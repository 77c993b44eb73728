"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sanxiang.errors import FieldError, SanxiangError, from_validation_error

PROBLEM = "application/problem+json"
logger = logging.getLogger("sanxiang.api")
HTTP_TITLES = {
    400: "请求无效",
    401: "需要登录或有效的接口令牌",
    403: "无权操作",
    404: "未找到",
    405: "不支持该请求方法",
    409: "不符合办理条件",
    413: "请求体过大",
    415: "不支持的内容类型",
    422: "输入不符合规则",
    429: "请求过于频繁",
}


def problem_body(
    request: HttpRequest, *, status: int, code: str, title: str, errors: list[FieldError] | None = None
) -> dict[str, Any]:
    return {
        "type": f"https://sanxiang.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.path,
        "errors": [e.as_dict() for e in errors or []],
    }


def problem_response(
    request: HttpRequest, *, status: int, code: str, title: str, errors: list[FieldError] | None = None
) -> HttpResponse:
    """A problem+json response made outside the API's handlers (the boundary middleware, throttles)."""
    body = problem_body(request, status=status, code=code, title=title, errors=errors)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=f"{PROBLEM}; charset=utf-8"
    )


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    errors: list[FieldError] | None = None,
) -> HttpResponse:
    body = problem_body(request, status=status, code=code, title=title, errors=errors)
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
                field=_location(e.get("loc", [])),
                rule=e.get("type", "invalid"),
                message=schema_message(_location(e.get("loc", [])), e),
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
        cause = exc.__cause__
        if isinstance(cause, SanxiangError):  # raised by the boundary parser while reading the body
            return _sanxiang(request, cause)
        status = exc.status_code
        title = HTTP_TITLES.get(status, "请求无法处理")
        return problem(api, request, status=status, code=f"http_{status}", title=title)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Never a bare 500 page from the API: log the traceback, answer problem+json.
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return problem(api, request, status=500, code="server_error", title="服务器内部错误")

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"请求体: 超过 {limit} 字节的上限；大文件请用可续传上传（/api/ledger/uploads）"
        return problem(
            api,
            request,
            status=413,
            code="request_too_large",
            title="请求体过大",
            errors=[FieldError("body", "max_size", message)],
        )

    @api.exception_handler(TooManyFieldsSent)
    def _too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        message = f"表单: 字段超过 {limit} 个的上限"
        return problem(
            api,
            request,
            status=413,
            code="request_too_large",
            title="请求体过大",
            errors=[FieldError("body", "max_fields", message)],
        )


# pydantic's English messages of the rules a request schema states, in Chinese (the field is named
# first, as in every other problem); a type not listed keeps pydantic's own message.
SCHEMA_MESSAGES = {
    "missing": "必须填写",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "长度应不少于 {min_length} 个字符",
    "string_too_long": "长度应不超过 {max_length} 个字符",
    "too_short": "应至少有 {min_length} 项",
    "too_long": "应至多有 {max_length} 项",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "datetime_type": "应为日期时间（ISO 8601）",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "string_pattern_mismatch": "格式不符合要求",
    "extra_forbidden": "不是可接受的字段",
    "json_invalid": "不是有效的 JSON",
}


def schema_message(field: str, error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        text = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        text = template.split(" {")[0].split("：{")[0]
    return f"{field or '请求'}：{text}"
