from __future__ import annotations

from django.urls import path

from . import views

app_name = "bidding"

urlpatterns = [
    path("", views.my_bids, name="mine"),
    path("key-file/", views.key_file, name="key_file"),
    path("lots/<int:lot_id>/bid/", views.submit, name="submit"),
    path("lots/<int:lot_id>/opening/", views.opening, name="opening"),
    path("lots/<int:lot_id>/opening/status/", views.opening_status, name="opening_status"),
    path("lots/<int:lot_id>/opening/record.pdf", views.record_pdf, name="record_pdf"),
    path("lots/<int:lot_id>/opening/respond/", views.respond, name="respond"),
    path("lots/<int:lot_id>/rules/", views.opening_rules, name="opening_rules"),
    path(
        "lots/<int:lot_id>/opening/failures/<uuid:bid_uuid>/",
        views.platform_failure,
        name="platform_failure",
    ),
    path("bids/<uuid:bid_uuid>/", views.receipt, name="receipt"),
    path("bids/<uuid:bid_uuid>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("bids/<uuid:bid_uuid>/withdraw/", views.withdraw, name="withdraw"),
    path("bids/<uuid:bid_uuid>/decrypt/", views.decrypt, name="decrypt"),
    path("bids/<uuid:bid_uuid>/reupload/", views.reupload, name="reupload"),
]
