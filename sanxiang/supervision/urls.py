from django.urls import path

from sanxiang.supervision import views

app_name = "supervision"

urlpatterns = [
    path("staff/supervision/", views.dashboard, name="dashboard"),
    path("statistics/", views.public_statistics, name="public_statistics"),
    path("staff/supervision/alerts/", views.alerts, name="alerts"),
    path("staff/supervision/alerts/<uuid:alert_id>/close/", views.alert_close, name="alert_close"),
    path("staff/supervision/campaigns/", views.campaigns, name="campaigns"),
    path("staff/supervision/campaigns/<uuid:campaign_id>/", views.campaign, name="campaign"),
    path("staff/supervision/evaluations/<uuid:case_id>/", views.evaluate, name="evaluate"),
    path("staff/supervision/results/", views.results, name="results"),
    path("staff/supervision/standards/", views.standards, name="standards"),
    path("staff/supervision/reports/", views.reports, name="reports"),
    path("staff/supervision/reports/<uuid:report_id>/", views.report, name="report"),
    path("statistics/reports/<uuid:report_id>.<str:fmt>", views.public_report, name="public_report"),
]
