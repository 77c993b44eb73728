"""The request boundary: text that no field may hold is refused once, for every request.

A NUL byte cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate cannot be encoded as
UTF-8 by either database, so both used to reach the database and end as a 500. They are refused
before any view runs:

- ``BoundaryMiddleware`` checks the path (and so every path parameter), the query string and, for
  the staff and portal pages, the form fields and the names of uploaded files;
- ``BoundaryParser`` (the API's ninja parser) checks the API's query, form fields, file names and
  every string and key of a JSON body, and refuses the JSON constants ``NaN`` and ``Infinity``;
- ``loads_json`` does the same for JSON carried inside a form field.

The API answers 422 problem+json naming the field; the pages answer 400 with the same message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from sanxiang.errors import FieldError, InvalidInput, SanxiangError

BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
RULE_NUL = "no_nul"
RULE_SURROGATE = "no_lone_surrogate"
API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def text_error(value: str, field: str) -> FieldError | None:
    """The error for a string that holds a NUL or a lone surrogate, else None."""
    match = BAD_TEXT.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return FieldError(field, RULE_NUL, f"{field}: 不得含有空字符（NUL, U+0000）")
    return FieldError(field, RULE_SURROGATE, f"{field}: 不得含有不成对的代理字符（U+D800–U+DFFF）")


def _walk(value: Any, field: str) -> Iterator[FieldError]:
    if isinstance(value, str):
        found = text_error(value, field)
        if found:
            yield found
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and (found := text_error(key, name)):
                yield found
            else:
                yield from _walk(item, name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{field}.{index}" if field else str(index))


def errors_in(value: Any, field: str = "") -> list[FieldError]:
    """Every string (and key) of a JSON-like value that holds text no field may hold."""
    return list(_walk(value, field))


def querydict_errors(data: MultiValueDict, *, files: bool = False) -> list[FieldError]:
    errors: list[FieldError] = []
    for key, values in data.lists():
        if found := text_error(key, key):
            errors.append(found)
            continue
        for value in values:
            if files:
                name = getattr(value, "name", None) or ""
                found = text_error(name, f"{key}.name")
            else:
                found = text_error(value, key) if isinstance(value, str) else None
            if found:
                errors.append(found)
    return errors


def _refuse_constant(name: str) -> float:
    raise ValueError(f"JSON 常量 {name} 不是有效的数值")


def loads_json(text: str | bytes, *, field: str = "body") -> Any:
    """Parse JSON strictly (no NaN/Infinity) and refuse text no field may hold; errors name ``field``."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, TypeError) as exc:
        raise InvalidInput([FieldError(field, "json", f"{field}: 不是有效的 JSON（{exc}）")]) from exc
    errors = errors_in(data, "" if field == "body" else field)
    if errors:
        raise InvalidInput(errors)
    return data


class BoundaryParser(Parser):
    """The API's parser: the boundary checks on the body, query, form fields and file names."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], loads_json(request.body))

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        errors = querydict_errors(data, files=data is request.FILES)
        if errors:
            raise InvalidInput(errors)
        return super().parse_querydict(data, list_fields, request)


def request_errors(request: HttpRequest) -> list[FieldError]:
    """What the middleware checks: the path, the query and (for pages) the form and file names."""
    errors: list[FieldError] = []
    if found := text_error(request.path, "path"):
        errors.append(found)
    errors += querydict_errors(request.GET)
    if (
        request.method in ("POST", "PUT", "PATCH")
        and not request.path.startswith(API_PREFIX)
        and (request.content_type or "") in FORM_TYPES
    ):
        # Staff and portal forms: the CSRF check reads the same parsed form right after this.
        errors += querydict_errors(request.POST)
        errors += querydict_errors(request.FILES, files=True)
    return errors


def refusal(request: HttpRequest, errors: list[FieldError]) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        from sanxiang.api.errors import problem_response

        return problem_response(
            request, status=422, code="invalid_input", title="输入不符合规则", errors=errors
        )
    from sanxiang.error_pages import render_error

    return render_error(request, 400, title="输入不符合规则", errors=errors)


class BoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = request_errors(request)
        if errors:
            return refusal(request, errors)
        return self.get_response(request)


class ErrorPageMiddleware:
    """A SanxiangError that escapes a staff or portal view becomes its page, never a 500.

    Views look objects up through scoped selectors that raise NotFound for what the user may not
    see: a POST on another agency's case answers the 404 page, a refused permission the 403 page
    (the API renders the same errors as problem+json in ``sanxiang.api.errors``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SanxiangError) or request.path.startswith(API_PREFIX):
            return None
        from sanxiang.error_pages import render_error

        status = exception.status if exception.status in (403, 404) else 400
        return render_error(request, status, title=exception.title, errors=exception.errors)
