from __future__ import annotations

from django.urls import path

from . import award_views
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
    # --- issue 11 (award): the report and the result ----------------------------------------
    path("<int:pk>/report/", award_views.report, name="report"),
    path("<int:pk>/report/submit/", award_views.submit, name="report_submit"),
    path("<int:pk>/report/sign/", award_views.sign, name="report_sign"),
    path("<int:pk>/report.pdf", award_views.report_pdf, name="report_pdf"),
    path("<int:pk>/confirm/", award_views.confirm, name="confirm"),
    path("awards/<int:pk>/", award_views.award_notice, name="award_notice"),
    path("awards/<int:pk>/notice.pdf", award_views.award_notice_pdf, name="award_notice_pdf"),
    path("results/<uuid:bid_uuid>/", award_views.my_result, name="my_result"),
    # --- end issue 11 (award) ---------------------------------------------------------------
]
