"""Celery tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bidding.render_opening_record_pdf")
def render_opening_record_pdf_task(opening_id: int) -> None:
    from .services import render_opening_record_pdf

    render_opening_record_pdf(opening_id=opening_id)


@shared_task(name="bidding.render_bid_receipt")
def render_bid_receipt_task(bid_id: int) -> None:
    from .services import render_bid_receipt

    render_bid_receipt(bid_id=bid_id)
