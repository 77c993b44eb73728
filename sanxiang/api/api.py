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


api = NinjaAPI(
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
