from django.urls import path

from sanxiang.catalog import views

app_name = "catalog"

urlpatterns = [
    # staff site
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/law-changes/", views.staff_law_changes, name="staff_law_changes"),
    path(
        "staff/law-changes/<uuid:change_id>/complete/",
        views.staff_law_change_complete,
        name="staff_law_change_complete",
    ),
    path("staff/<uuid:agency_id>/<slug:kind>/", views.staff_list, name="staff_list"),
    path("staff/<uuid:agency_id>/<slug:kind>/new/", views.staff_edit, name="staff_new"),
    path("staff/<uuid:agency_id>/<slug:kind>/import/", views.staff_import, name="staff_import"),
    path("staff/<uuid:agency_id>/<slug:kind>/export.xlsx", views.staff_export, name="staff_export"),
    path("staff/<uuid:agency_id>/<slug:kind>/<str:code>/edit/", views.staff_edit, name="staff_edit"),
    path(
        "staff/<uuid:agency_id>/<slug:kind>/<str:code>/withdraw/", views.staff_withdraw, name="staff_withdraw"
    ),
    # portal (public)
    path("", views.public_index, name="public_index"),
    path("<uuid:agency_id>/", views.public_agency, name="public_agency"),
    path("<uuid:agency_id>/<slug:kind>/", views.public_list, name="public_list"),
    path("<uuid:agency_id>/<slug:kind>/<str:code>/", views.public_history, name="public_history"),
]
