"""Celery tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

# --- issue 11 (award): the report and award notice PDFs -----------------------------------------


@shared_task(name="evaluation.render_report_pdf")
def render_report_pdf_task(evaluation_id: int) -> None:
    from .services.report import render_report_pdf

    render_report_pdf(evaluation_id=evaluation_id)


@shared_task(name="evaluation.render_award_notice_pdf")
def render_award_notice_pdf_task(award_id: int) -> None:
    from .services.award import render_award_notice_pdf

    render_award_notice_pdf(award_id=award_id)


# --- end issue 11 (award) ------------------------------------------------------------------------
