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
