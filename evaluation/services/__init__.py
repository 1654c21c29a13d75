"""Evaluation services: every write with business meaning, one module per stage."""

from __future__ import annotations

# --- issue 11 (award): the report and the result ------------------------------------------------
from .award import confirm_result, deem_rank_one_chosen, render_award_notice_pdf
from .report import render_report_pdf, sign_report, submit_report

__all__ = [
    "confirm_result",
    "deem_rank_one_chosen",
    "render_award_notice_pdf",
    "render_report_pdf",
    "sign_report",
    "submit_report",
]
# --- end issue 11 (award) ------------------------------------------------------------------------
