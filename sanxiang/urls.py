from django.contrib import admin
from django.urls import include, path

from sanxiang.api.api import api

admin.site.site_header = "三项制度平台 管理后台"
admin.site.site_title = "三项制度平台"

handler400 = "sanxiang.error_pages.bad_request"
handler403 = "sanxiang.error_pages.permission_denied"
handler404 = "sanxiang.error_pages.page_not_found"
handler500 = "sanxiang.error_pages.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("staff/registry/", include("sanxiang.registry.urls")),
    path("staff/cases/", include("sanxiang.cases.urls")),
    path("staff/reviews/", include("sanxiang.review.urls")),
    path("staff/", include("sanxiang.accounts.urls")),
    path("procedures/", include("sanxiang.procedures.urls")),
    path("catalog/", include("sanxiang.catalog.urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("rules/", include("sanxiang.rules.urls")),
    path("", include("sanxiang.supervision.urls")),
    path("", include("sanxiang.assist.urls")),
    path("", include("sanxiang.inspections.urls")),
    path("", include("sanxiang.documents.urls")),
    path("", include("sanxiang.disclosure.urls")),
    path("", include("sanxiang.portal.urls")),
]
