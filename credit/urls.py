from __future__ import annotations

from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.grades, name="grades"),
    path("grades/<int:pk>/", views.party, name="party"),
    path("mine/", views.mine, name="mine"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/give/", views.give, name="give"),
    path("evaluations/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
