from __future__ import annotations

from django.urls import path

from . import urls_acceptance, views, views_dashboard, views_payment

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
    # Payment (issue 12 §6–§7).
    path("<int:pk>/payments/", views_payment.payments, name="payments"),
    path("<int:pk>/payments/new/", views_payment.payment_new, name="payment_new"),
    path("<int:pk>/payments/dispute/", views_payment.dispute_new, name="dispute_new"),
    path("payments/<int:pk>/confirm/", views_payment.confirm_receipt, name="payment_confirm"),
    path("disputes/<int:pk>/settle/", views_payment.dispute_settle, name="dispute_settle"),
    path("owed/", views_payment.owed, name="owed"),
    # dashboards (issue 12 §7)
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
]
# Delivery and acceptance (issue 12 §5).
urlpatterns += urls_acceptance.urlpatterns
