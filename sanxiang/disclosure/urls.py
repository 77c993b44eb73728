from django.urls import path

from sanxiang.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/feed.atom", views.feed, name="feed"),
    path("decisions/export.csv", views.export_csv, name="export_csv"),
    path("decisions/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("decisions/<uuid:public_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:public_id>/correction/", views.correction_new, name="correction_new"),
    path("corrections/", views.correction_status, name="correction_status"),
    path("disclosure-log/", views.disclosure_log, name="log"),
    path("verify/", views.verify, name="verify"),
    path("staff/disclosure/", views.staff_queue, name="staff_queue"),
    path("staff/disclosure/<uuid:public_id>/", views.staff_duty, name="staff_duty"),
    path("staff/disclosure/<uuid:public_id>/draft/", views.staff_draft, name="staff_draft"),
    path("staff/disclosure/<uuid:public_id>/review/", views.staff_review, name="staff_review"),
    path("staff/disclosure/<uuid:public_id>/exempt/", views.staff_exempt, name="staff_exempt"),
    path("staff/disclosure/<uuid:public_id>/withdraw/", views.staff_withdraw, name="staff_withdraw"),
    path(
        "staff/disclosure/corrections/<str:tracking_number>/",
        views.staff_correction,
        name="staff_correction",
    ),
    path(
        "staff/disclosure/corrections/<str:tracking_number>/decide/",
        views.staff_correction_decide,
        name="staff_correction_decide",
    ),
]
