from __future__ import annotations

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/clocks.xlsx", views.export, name="export"),
]
