from django.urls import path

from sanxiang.procedures import views

app_name = "procedures"

urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<slug:key>/", views.procedure_detail, name="detail"),
]
