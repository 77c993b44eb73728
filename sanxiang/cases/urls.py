from django.urls import path

from sanxiang.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/records/<slug:kind>/", views.record_form, name="record_form"),
    path("<uuid:case_id>/transition/", views.transition, name="transition"),
    path("<uuid:case_id>/approvals/<slug:action>/", views.approval_action, name="approval"),
]
