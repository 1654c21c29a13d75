from __future__ import annotations

from django.urls import path

from . import views

app_name = "suppliers"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/qualifications/", views.add_qualification, name="add_qualification"),
    path(
        "profile/qualifications/<int:pk>/remove/",
        views.remove_qualification,
        name="remove_qualification",
    ),
]
