from __future__ import annotations

from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("statistics/", views.public_statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    path("statistics/rows/<str:key>/", views.rows, name="rows"),
    path("832/", views.reserve, name="reserve"),
    path("832/progress/", views.progress, name="progress"),
]
