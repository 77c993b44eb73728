from django.urls import path

from sanxiang.ledger import tlog_views, views

app_name = "ledger"

urlpatterns = [
    path("", views.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/<int:size>/", views.checkpoint_detail, name="checkpoint_detail"),
    path("checkpoint", tlog_views.checkpoint, name="checkpoint_note"),
    path("tile/<path:path>", tlog_views.tile, name="tile"),
    path("cosignatures", tlog_views.cosignatures, name="cosignatures"),
]
