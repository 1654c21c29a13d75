from __future__ import annotations

from django.urls import path

from . import award_views

app_name = "evaluation"

urlpatterns = [
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
