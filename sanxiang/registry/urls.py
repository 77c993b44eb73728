from django.urls import path

from sanxiang.registry import views

app_name = "registry"

urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("reviewer-compliance/", views.reviewer_compliance, name="reviewer_compliance"),
    path("devices/", views.device_list, name="device_list"),
]
