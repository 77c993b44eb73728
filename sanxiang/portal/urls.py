from django.urls import path

from sanxiang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<uuid:public_id>/window/", views.service_window, name="service_window"),
    path("agencies/<uuid:public_id>/rules/", views.agency_rules, name="agency_rules"),
    path("officers/", views.officer_lookup, name="officer_lookup"),
    path("credential-check/", views.credential_check, name="credential_check"),
    path("rights/", views.rights, name="rights"),
    path("supervision/", views.supervision_channels, name="supervision"),
]
