from __future__ import annotations

from django.urls import path

from .views import review

app_name = "evaluation"

urlpatterns = [
    # review (issue 11 §3)
    path("lots/<int:lot_id>/start/", review.start, name="start"),
    path("lots/<int:lot_id>/", review.overview, name="overview"),
    path("lots/<int:lot_id>/declaration/", review.declaration, name="declaration"),
    path("lots/<int:lot_id>/qualification/", review.qualification, name="qualification"),
    path(
        "lots/<int:lot_id>/qualification/finish/",
        review.finish_qualification,
        name="finish_qualification",
    ),
    path("lots/<int:lot_id>/compliance/", review.compliance, name="compliance"),
    path(
        "lots/<int:lot_id>/compliance/<int:review_id>/",
        review.record_compliance,
        name="record_compliance",
    ),
    path("lots/<int:lot_id>/compliance/<int:review_id>/ask/", review.ask, name="ask"),
    path("lots/<int:lot_id>/inquiries/<int:inquiry_id>/decide/", review.decide, name="decide"),
    path(
        "lots/<int:lot_id>/compliance/finish/",
        review.finish_compliance,
        name="finish_compliance",
    ),
    path("lots/<int:lot_id>/files/<int:file_id>/", review.bid_file, name="bid_file"),
    path("lots/<int:lot_id>/sheet/", review.sheet, name="sheet"),
    path("inquiries/<int:inquiry_id>/", review.explain, name="explain"),
]
