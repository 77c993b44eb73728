from django.urls import path

from sanxiang.inspections import views

app_name = "inspections"

urlpatterns = [
    path("staff/inspections/", views.staff_home, name="staff_home"),
    path("staff/inspections/profiles/", views.profile_new, name="profile_new"),
    path("staff/inspections/plans/", views.plan_new, name="plan_new"),
    path("staff/inspections/recusals/", views.recusal_new, name="recusal_new"),
    path("staff/inspections/objects/", views.objects_page, name="objects"),
    path("staff/inspections/plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("staff/inspections/plans/<uuid:plan_id>/filing/", views.plan_file, name="plan_file"),
    path("staff/inspections/batches/<uuid:batch_id>/draws/", views.draw_new, name="draw_new"),
    path("staff/inspections/draws/<uuid:draw_id>/", views.draw_detail, name="draw_detail"),
    path("staff/inspections/draws/<uuid:draw_id>/perform/", views.draw_perform, name="draw_perform"),
    path(
        "staff/inspections/targets/<uuid:target_id>/inspection/",
        views.inspection_open,
        name="inspection_open",
    ),
    path(
        "staff/inspections/inspections/<uuid:inspection_id>/",
        views.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "staff/inspections/inspections/<uuid:inspection_id>/result/", views.result_enter, name="result_enter"
    ),
    path(
        "staff/inspections/inspections/<uuid:inspection_id>/review/",
        views.result_review,
        name="result_review",
    ),
    path("staff/inspections/supervision/", views.supervision, name="supervision"),
    path("inspections/", views.public_plans, name="public_plans"),
    path("inspections/results/", views.public_results, name="public_results"),
    path("inspections/results.<str:fmt>", views.results_export, name="results_export"),
    path("inspections/draws/<uuid:draw_id>/", views.public_draw, name="public_draw"),
    path("inspections/draws/<uuid:draw_id>/draw.json", views.public_draw_json, name="public_draw_json"),
    path("inspections/draws/<uuid:draw_id>/verify/", views.public_verify, name="public_verify"),
]
