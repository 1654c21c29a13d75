"""Delivery and acceptance URLs, appended to contracts.urls."""

from __future__ import annotations

from django.urls import path

from . import views_acceptance

urlpatterns = [
    path("<int:pk>/deliver/", views_acceptance.deliver, name="deliver"),
    path("deliveries/<int:pk>/accept/", views_acceptance.record, name="record_acceptance"),
    path("acceptances/<int:pk>/", views_acceptance.acceptance, name="acceptance"),
    path("acceptances/<int:pk>/report.pdf", views_acceptance.acceptance_pdf, name="acceptance_pdf"),
]
