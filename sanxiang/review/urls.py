from django.urls import path

from sanxiang.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("head/", views.head, name="head"),
    path("statistics/", views.statistics, name="statistics"),
    path("cases/<uuid:case_id>/", views.compare, name="compare"),
    path("cases/<uuid:case_id>/submit/", views.submit, name="submit"),
    path("<uuid:round_id>/", views.round_page, name="round"),
]
