from __future__ import annotations

from django.urls import path

from . import views, views_dashboard

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("awards/<int:award_id>/draft/", views.draft, name="draft"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/contract.pdf", views.pdf, name="pdf"),
    path("<int:pk>/supplementary/new/", views.supplementary_new, name="supplementary_new"),
    path("supplementary/<int:pk>/", views.supplementary, name="supplementary"),
    path("supplementary/<int:pk>/contract.pdf", views.supplementary_pdf, name="supplementary_pdf"),
    # dashboards (issue 12 §7)
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
]
