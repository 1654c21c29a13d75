from __future__ import annotations

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("lots/<int:pk>/", views.lot_cases, name="lot_cases"),
    path("lots/<int:pk>/inquiry/", views.inquiry_create, name="inquiry_create"),
    path("lots/<int:pk>/question/", views.question_create, name="question_create"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path(
        "questions/<int:pk>/reply-notice/",
        views.question_reply_notice,
        name="question_reply_notice",
    ),
    path("questions/<int:pk>/reply/", views.question_reply, name="question_reply"),
    path("inquiries/<int:pk>/answer/", views.inquiry_answer, name="inquiry_answer"),
]

# Complaints (投诉), issue 13 §3-§6: complaints/views_complaint.py.
from . import views_complaint  # noqa: E402

urlpatterns += [
    path(
        "questions/<int:pk>/complain/",
        views_complaint.complaint_create,
        name="complaint_create",
    ),
    path("complaints/", views_complaint.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", views_complaint.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<int:pk>/review/<slug:action>/",
        views_complaint.complaint_review,
        name="complaint_review",
    ),
    path(
        "complaints/<int:pk>/suspend/", views_complaint.complaint_suspend, name="complaint_suspend"
    ),
    path("complaints/<int:pk>/refer/", views_complaint.complaint_refer, name="complaint_refer"),
    path(
        "complaints/<int:pk>/referrals/<int:referral>/answer/",
        views_complaint.referral_answer,
        name="referral_answer",
    ),
    path("complaints/<int:pk>/decide/", views_complaint.complaint_decide, name="complaint_decide"),
    path(
        "complaints/<int:pk>/correct/", views_complaint.complaint_correct, name="complaint_correct"
    ),
    path("complaints/<int:pk>/answer/", views_complaint.complaint_answer, name="complaint_answer"),
    path(
        "complaints/<int:pk>/withdraw/",
        views_complaint.complaint_withdraw,
        name="complaint_withdraw",
    ),
    path(
        "complaints/<int:pk>/documents/<slug:which>.pdf",
        views_complaint.complaint_document,
        name="complaint_document",
    ),
    path(
        "complaints/repeat-complainants/",
        views_complaint.repeat_complainants,
        name="repeat_complainants",
    ),
    path("status/", views_complaint.status_lookup, name="status_lookup"),
    path("status/<int:pk>/", views_complaint.status_page, name="status_page"),
    path(
        "status/<int:pk>/documents/<slug:which>.pdf",
        views_complaint.status_document,
        name="status_document",
    ),
]
