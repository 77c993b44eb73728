from django.urls import path

from sanxiang.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/<uuid:public_id>/", views.agency_rules, name="agency"),
    path("sources/<slug:code>/", views.source_text, name="source"),
]
