"""Celery tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="procurement.render_announcement_pdf")
def render_announcement_pdf_task(announcement_id: int) -> None:
    from .services import render_announcement_pdf

    render_announcement_pdf(announcement_id=announcement_id)
