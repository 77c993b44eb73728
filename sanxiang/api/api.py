"""The REST API: one NinjaAPI, one router per app, problem+json errors (RFC 9457)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from sanxiang.api.boundary import BoundaryParser
from sanxiang.api.errors import install_error_handlers
from sanxiang.api.security import ApiTokenAuth, SessionAuth


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes: readable for integrators and a third smaller."""

    json_dumps_params = {"ensure_ascii": False}


PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 问题详情：code 稳定，title 为中文，errors 逐项列明字段、规则与说明（含依据条款）。",
    "required": ["type", "title", "status", "code", "errors"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "rule", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "rule": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
PROBLEM_RESPONSES = {
    "400": "请求体无法解析",
    "401": "需要登录或有效的接口令牌",
    "403": "无权操作",
    "404": "不存在或无权查看",
    "409": "不符合办理条件（列明每项未满足的要求及依据）",
    "422": "输入不符合规则（列明字段与规则）",
    "429": "请求过于频繁",
}
PUBLIC_CODES = ("400", "404", "409", "422", "429")


class SanxiangAPI(NinjaAPI):
    """The OpenAPI document lists every problem response of each operation with the Problem schema."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                codes = PROBLEM_RESPONSES if operation.get("security") else PUBLIC_CODES
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(
                        code,
                        {
                            "description": PROBLEM_RESPONSES[code],
                            "content": {"application/problem+json": {"schema": ref}},
                        },
                    )
        return schema


api = SanxiangAPI(
    renderer=UnicodeJSONRenderer(),
    title="三项制度平台 API",
    version="1",
    description="行政执法公示、执法全过程记录、重大执法决定法制审核。错误按 RFC 9457 返回 application/problem+json。",
    urls_namespace="api",
    auth=[ApiTokenAuth(), SessionAuth()],
    parser=BoundaryParser(),
)
install_error_handlers(api)

from sanxiang.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry/", registry_router)
api.add_router("/procedures/", "sanxiang.procedures.api.router")
api.add_router("/rules/", "sanxiang.rules.api.router")
api.add_router("/catalog/", "sanxiang.catalog.api.router")
api.add_router("/ledger/", "sanxiang.ledger.api.router")
api.add_router("/cases/", "sanxiang.cases.api.router")
api.add_router("/disclosure/", "sanxiang.disclosure.api.router")
api.add_router("/reviews/", "sanxiang.review.api.router")
api.add_router("/inspections/", "sanxiang.inspections.api.router")
api.add_router("/assist/", "sanxiang.assist.api.router")
api.add_router("/supervision/", "sanxiang.supervision.api.router")
