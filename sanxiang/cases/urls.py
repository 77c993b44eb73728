from django.urls import path

from sanxiang.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/party/", views.case_new_party, name="new_party"),
    path("new/entities/", views.case_new_entities, name="new_entities"),
    path("new/matters/", views.case_new_matters, name="new_matters"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/record/<uuid:record_id>/", views.record_detail, name="record"),
    path("<uuid:case_id>/record/<uuid:record_id>/files/<str:sm3>/", views.record_file, name="record_file"),
    path("<uuid:case_id>/records/<slug:kind>/", views.record_form, name="record_form"),
    path("<uuid:case_id>/transition/", views.transition, name="transition"),
    path("<uuid:case_id>/approvals/<slug:action>/", views.approval_action, name="approval"),
]
