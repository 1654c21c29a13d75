from __future__ import annotations

from django.urls import path

from .views import intentions, plans, projects, single_source, suppliers

app_name = "procurement"

urlpatterns = [
    # Purchaser: intentions
    path("intentions/", intentions.intention_list, name="intentions"),
    path("intentions/new/", intentions.intention_create, name="intention_create"),
    path("intentions/<int:pk>/", intentions.intention_detail, name="intention_detail"),
    path("intentions/<int:pk>/edit/", intentions.intention_edit, name="intention_edit"),
    path("intentions/<int:pk>/publish/", intentions.intention_publish, name="intention_publish"),
    # Purchaser: implementation plans; the bureau files or returns them
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/file/", plans.plan_file, name="plan_file"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan_return"),
    path("bureau/plans/", plans.bureau_plan_list, name="bureau_plans"),
    # Prior approval of a method other than public tender, and its supporting documents
    path("plans/<int:pk>/documents/", plans.plan_document_upload, name="plan_document_upload"),
    path(
        "plan-documents/<int:pk>/download/",
        plans.plan_document_download,
        name="plan_document_download",
    ),
    path(
        "plan-documents/<int:pk>/remove/", plans.plan_document_remove, name="plan_document_remove"
    ),
    path("method-approvals/<int:pk>/approve/", plans.method_approve, name="method_approve"),
    path("method-approvals/<int:pk>/reject/", plans.method_reject, name="method_reject"),
    # Single source notice (O74 Arts 38–40): published from the plan, objections from anyone
    path(
        "plans/<int:pk>/single-source-notice/",
        single_source.notice_publish,
        name="notice_publish",
    ),
    path(
        "single-source-notices/<int:pk>/objections/",
        single_source.objection_file,
        name="objection_file",
    ),
    path(
        "single-source-notices/<int:pk>/review/", single_source.notice_review, name="notice_review"
    ),
    path(
        "objection-receipts/<slug:token>/",
        single_source.objection_receipt,
        name="objection_receipt",
    ),
    path(
        "objections/<int:pk>/attachment/",
        single_source.objection_attachment,
        name="objection_attachment",
    ),
    # Purchaser and entrusted agency: projects, lots, announcements
    path("projects/", projects.project_list, name="projects"),
    path("lots/", projects.lot_list, name="lots"),
    path("plans/<int:plan_pk>/prepare/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/documents/", projects.document_upload, name="document_upload"),
    path("projects/<int:pk>/announce/", projects.project_announce, name="project_announce"),
    path("projects/<int:pk>/correct/", projects.project_correct, name="project_correct"),
    path("projects/<int:pk>/cancel/", projects.project_cancel, name="project_cancel"),
    path("documents/<int:pk>/remove/", projects.document_remove, name="document_remove"),
    path("lots/<int:pk>/edit/", projects.lot_edit, name="lot_edit"),
    path(
        "questions/<int:pk>/answer/",
        projects.clarification_answer,
        name="clarification_answer",
    ),
    # Suppliers (the lot page is public)
    path("tenders/", suppliers.tender_list, name="tenders"),
    path("tenders/lots/<int:pk>/", suppliers.tender_lot, name="tender_lot"),
    path("tenders/lots/<int:pk>/ask/", suppliers.question_ask, name="question_ask"),
    path("documents/<int:pk>/download/", suppliers.document_download, name="document_download"),
    path("my-questions/", suppliers.my_questions, name="my_questions"),
]
