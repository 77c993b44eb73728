from django.urls import path

from sanxiang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/<int:size>/", views.checkpoint_detail, name="checkpoint_detail"),
]
