"""Reads used by more than one page (issue 11: the report and the result)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from bidding.models import Bid

# --- issue 11 (award): the report and the bidder's own result ----------------------------------
from .models import Award, Evaluation, ReportSignature
from .services.report import report_sha256


def report_context(evaluation: Evaluation) -> dict[str, Any]:
    """The report prepared once for its page and its PDF: every row as the template shows it."""
    report = evaluation.report or {}
    committee = report.get("committee", [])
    criteria = report.get("criteria", [])
    bids = []
    for row in report.get("bids", []):
        table = []
        for member in committee:
            given = row.get("scores", {}).get(str(member["member"]))
            if given is None:
                continue
            cells = [given.get(str(c["id"]), "") for c in criteria]
            total = sum((Decimal(v) for v in cells if v), Decimal("0"))
            table.append({"name": member["name"], "cells": cells, "total": f"{total:.2f}"})
        bids.append({**row, "table": table})
    signatures = list(
        ReportSignature.objects.filter(evaluation=evaluation)
        .select_related("member", "member__user")
        .order_by("signed_at")
    )
    signed = {s.member_id for s in signatures}
    return {
        "evaluation": evaluation,
        "lot": evaluation.lot,
        "report": report,
        "committee": committee,
        "criteria": criteria,
        "bids": bids,
        "draw": report.get("draw") or {},
        "parameters": report.get("parameters", {}),
        "signatures": signatures,
        "unsigned": [m for m in committee if m["member"] not in signed],
        "sha256": report_sha256(report) if report else "",
        "reported_at": evaluation.reported_at,
        "now": timezone.now(),
    }


def own_outcome(bid: Bid, evaluation: Evaluation) -> dict[str, Any]:
    """What a bidder learns of the result (O87 Art 69, RULES.md E-3): its own row only, and the
    winner as the public announcement names it."""
    row = next(
        (r for r in (evaluation.report or {}).get("bids", []) if r["bid"] == str(bid.uuid)), None
    )
    award = Award.objects.filter(evaluation=evaluation).select_related("bid__supplier").first()
    own: dict[str, Any] = {}
    if row is not None:
        own = {
            key: row[key]
            for key in (
                "price",
                "evaluated_price",
                "price_points",
                "quality_points",
                "total",
                "rank",
                "reasons",
                "small_micro",
                "deduction",
            )
        }
    return {
        "bid": bid,
        "evaluation": evaluation,
        "own": own,
        "ranked": len((evaluation.report or {}).get("ranking", [])),
        "won": award is not None and award.bid_id == bid.pk,
        "winner": award.bid.supplier.name if award else "",
        "winning_price": award.price if award else None,
        "announcement": award.announcement if award else None,
        "failed_reason": evaluation.failed_reason,
    }


# --- end issue 11 (award) ------------------------------------------------------------------------
