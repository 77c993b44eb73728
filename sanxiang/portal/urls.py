from django.urls import path

from sanxiang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<uuid:public_id>/window/", views.service_window, name="service_window"),
    path("agencies/<uuid:public_id>/rules/", views.agency_rules, name="agency_rules"),
    path("agencies/<uuid:public_id>/texts/", views.agency_texts, name="agency_texts"),
    path("agencies/<uuid:public_id>/guides/", views.agency_guides, name="agency_guides"),
    path("agencies/<uuid:public_id>/guides/<str:code>/", views.agency_guide, name="agency_guide"),
    path(
        "agencies/<uuid:public_id>/guides/<str:code>/samples/<int:index>.docx",
        views.guide_sample,
        name="guide_sample",
    ),
    path("agencies/<uuid:public_id>/phrases/", views.agency_phrases, name="agency_phrases"),
    path("agencies/<uuid:public_id>/review-flow/", views.agency_review_flow, name="agency_review_flow"),
    path("officers/", views.officer_lookup, name="officer_lookup"),
    path("credential-check/", views.credential_check, name="credential_check"),
    path("rights/", views.rights, name="rights"),
    path("supervision/", views.supervision_channels, name="supervision"),
]
