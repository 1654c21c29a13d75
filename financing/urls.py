from __future__ import annotations

from django.urls import path

from . import views

app_name = "financing"

urlpatterns = [
    path("products/", views.products, name="products"),
    path("bank/products/", views.bank_products, name="bank_products"),
    path("bank/products/new/", views.product_edit, name="product_new"),
    path("bank/products/<int:pk>/", views.product_edit, name="product_edit"),
    path("applications/", views.applications, name="applications"),
    path("awards/<int:award_id>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/approve/", views.approve, name="approve"),
    path("applications/<int:pk>/decline/", views.decline, name="decline"),
    path("applications/<int:pk>/disburse/", views.disburse, name="disburse"),
    path("applications/<int:pk>/repay/", views.repay, name="repay"),
    path("applications/<int:pk>/account/", views.change_account, name="change_account"),
    path("applications/<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("account-changes/", views.account_changes, name="account_changes"),
    path("account-changes/<int:pk>/", views.account_change, name="account_change"),
]
