"""The one pagination of every API list: ``?page=`` from 1 to PAGE_MAX, ``?page_size=`` up to MAX_PAGE_SIZE.

A page number outside the range is refused with 422 (problem+json naming ``page``) before any query
runs, so ``?page=9223372036854775807`` cannot overflow the database's OFFSET; a page past the last
one is an empty page with the true ``count``.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.pagination import paginate as ninja_paginate

__all__ = ["MAX_PAGE_SIZE", "PAGE_MAX", "Pagination", "paginate"]

PAGE_MAX = 100_000
MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=PAGE_MAX, description="页码，从 1 开始")
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数")


class Pagination(PageNumberPagination):
    Input = PageQuery  # type: ignore[assignment]

    def __init__(self, page_size: int = 50, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=min(max_page_size, MAX_PAGE_SIZE), **kwargs)


def paginate(pagination: type = Pagination, **kwargs: Any) -> Callable[[Callable], Callable]:
    """ninja's ``@paginate`` with the view's annotations resolved first.

    A router module with ``from __future__ import annotations`` has string annotations, which
    ninja's wrapper would resolve in its own module (``UUID`` is not defined there) and the OpenAPI
    document would fail with a 500; resolving them in the view's own module avoids that.
    """

    def decorator(view: Callable) -> Callable:
        view.__annotations__ = typing.get_type_hints(view)
        return ninja_paginate(pagination, **kwargs)(view)

    return decorator


def page_number(value: str | None) -> int:
    """A page number for the pages' own lists: anything not a number in 1..PAGE_MAX is the nearest one."""
    try:
        return min(PAGE_MAX, max(1, int(value or 1)))
    except (TypeError, ValueError):
        return 1
