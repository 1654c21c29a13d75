from __future__ import annotations

from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("lots/<int:lot_id>/committee/", views.committee, name="committee"),
    path("lots/<int:lot_id>/committee/replace/", views.replace, name="replace"),
    path("lots/<int:lot_id>/draws/<int:number>.json", views.draw_record, name="draw_record"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("unavailability/", views.unavailability, name="unavailability"),
    path(
        "unavailability/<int:pk>/delete/",
        views.unavailability_delete,
        name="unavailability_delete",
    ),
]
