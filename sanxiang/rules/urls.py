from django.urls import path

from sanxiang.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.index, name="index"),
    path("sources/<slug:code>/", views.source_text, name="source"),
]
