"""Reads about evaluations, and the access helpers every evaluation URL goes through.

An access helper raises Http404 when the user may not see the object at all and
PermissionDenied (403) when it sees it but may not act on it. The award side reads
`compliant_bids`, `quality_points` and `all_sheets_submitted`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_member
from bidding.models import Bid
from experts.models import Member
from experts.selectors import seated_members
from procurement.models import Lot

from . import scoring
from .models import (
    Award,
    BidReview,
    Declaration,
    Evaluation,
    PriceInquiry,
    ReportSignature,
    Score,
    ScoreSheet,
)
from .rules import seat_of


def compliant_bids(evaluation: Evaluation) -> QuerySet[Bid]:
    """The bids that passed both reviews (and any price explanation), cheapest first."""
    return Bid.objects.filter(
        review__evaluation=evaluation, review__qualified=True, review__compliant=True
    ).order_by("price", "pk")


def quality_points(evaluation: Evaluation) -> dict[int, Decimal]:
    """Each compliant bid's quality points: the mean over the submitted sheets of each member's
    sum of criterion scores, to two decimals (a lowest-price lot: 0 for each)."""
    bids = list(compliant_bids(evaluation).values_list("pk", flat=True))
    submitted = ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False)
    count = submitted.count()
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for row in (
        Score.objects.filter(sheet__in=submitted, bid_id__in=bids)
        .values("bid_id")
        .annotate(total=Sum("points"))
    ):
        sums[row["bid_id"]] = row["total"]
    return {bid: scoring.points(sums[bid] / count) if count else Decimal("0.00") for bid in bids}


def all_sheets_submitted(evaluation: Evaluation) -> bool:
    """Every seated member has submitted its sheet."""
    members = {m.pk for m in seated_members(evaluation.lot_id)}
    submitted = set(
        ScoreSheet.objects.filter(
            evaluation=evaluation, submitted_at__isnull=False, member_id__in=members
        ).values_list("member_id", flat=True)
    )
    return bool(members) and members == submitted


def sheet_progress(evaluation: Evaluation) -> list[dict]:
    """Each seat by its number (names stay secret from the members, RULES.md D-2): its kind,
    whether it declared and when it submitted its sheet."""
    members = seated_members(evaluation.lot_id)
    declared = set(
        Declaration.objects.filter(evaluation=evaluation, no_conflict=True).values_list(
            "member_id", flat=True
        )
    )
    submitted = dict(
        ScoreSheet.objects.filter(evaluation=evaluation).values_list("member_id", "submitted_at")
    )
    return [
        {
            "number": number,
            "member": member,
            "kind": member.get_kind_display(),
            "leader": member.is_leader,
            "declared": member.pk in declared,
            "submitted_at": submitted.get(member.pk),
        }
        for number, member in enumerate(members, start=1)
    ]


def own_scores(sheet: ScoreSheet) -> dict[tuple[int, int], Decimal]:
    return {(s.bid_id, s.criterion_id): s.points for s in Score.objects.filter(sheet=sheet)}


def summary_for(evaluation: Evaluation, member: Member) -> dict[int, Decimal] | None:
    """The committee's summary (quality points per bid) once the member's own sheet is in;
    None before: a member sees no other member's scores until it submits (issue 11 §3)."""
    if not ScoreSheet.objects.filter(
        evaluation=evaluation, member=member, submitted_at__isnull=False
    ).exists():
        return None
    return quality_points(evaluation)


def has_declared(evaluation: Evaluation, member: Member | None) -> bool:
    return (
        member is not None
        and Declaration.objects.filter(
            evaluation=evaluation, member=member, no_conflict=True
        ).exists()
    )


def reviews_of(evaluation: Evaluation) -> QuerySet[BidReview]:
    return (
        BidReview.objects.filter(evaluation=evaluation)
        .select_related("bid", "bid__supplier", "qualified_by")
        .prefetch_related("bid__files")
        .order_by("bid__received_at", "pk")
    )


# Access helpers --------------------------------------------------------------------------------


def _evaluation_of_lot(lot_id: int) -> Evaluation | None:
    return (
        Evaluation.objects.select_related("lot", "lot__project", "lot__project__purchaser")
        .filter(lot_id=lot_id)
        .first()
    )


def get_evaluation_for_user(*, user, lot_id: int) -> Evaluation:
    """The evaluation of a lot, for its project staff, the bureau and its seated members."""
    evaluation = _evaluation_of_lot(lot_id)
    if evaluation is None or not user.has_perm("evaluation.view_evaluation", evaluation):
        raise Http404
    return evaluation


def get_evaluation_for_member(
    *, user, lot_id: int, declared: bool = True
) -> tuple[Evaluation, Member]:
    """The evaluation and the user's seat: 404 for anyone not seated; 403 for a member that has
    not declared when `declared` (no bid is shown before the declaration)."""
    evaluation = _evaluation_of_lot(lot_id)
    seat = seat_of(user, evaluation) if evaluation is not None else None
    if evaluation is None or seat is None:
        raise Http404
    if declared and not has_declared(evaluation, seat):
        raise PermissionDenied
    return evaluation, seat


def get_evaluation_for_staff(*, user, lot_id: int) -> Evaluation:
    """The evaluation of a lot for its purchaser or agency (others: 404)."""
    evaluation = get_evaluation_for_user(user=user, lot_id=lot_id)
    if not user.has_perm("evaluation.review_qualification", evaluation):
        raise Http404
    return evaluation


def get_lot_to_start(*, user, lot_id: int) -> Lot:
    """A lot whose evaluation the user's organisation may start (others: 404)."""
    lot = Lot.objects.select_related("project").filter(pk=lot_id).first()
    if lot is None or not user.has_perm("procurement.view_lot", lot):
        raise Http404
    if not user.has_perm("evaluation.start_evaluation", lot):
        raise PermissionDenied
    return lot


def get_inquiry_for_bidder(*, user, inquiry_id: int) -> PriceInquiry:
    """A price explanation request, for the bidder asked (others: 404)."""
    inquiry = (
        PriceInquiry.objects.select_related("bid", "bid__supplier", "evaluation__lot__project")
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None or not is_member(user, inquiry.bid.supplier_id):
        raise Http404
    return inquiry


# --- issue 11 (award): the report and the bidder's own result ---------------------------------


def preference_labels(row: dict[str, Any]) -> list[str]:
    """The preferences a report row took, in words with their rate ("consortium deduction 4 %")."""
    names = {
        scoring.SMALL_MICRO: _("small and micro deduction"),
        scoring.CONSORTIUM: _("consortium/subcontract deduction"),
        scoring.DOMESTIC: _("domestic-product preference"),
    }
    return [
        _("%(name)s %(rate)s %%")
        % {
            "name": names.get(p["name"], p["name"]),
            "rate": f"{(Decimal(p['rate']) * 100).normalize():f}",
        }
        for p in row.get("preferences") or []
    ]


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
        bids.append({**row, "table": table, "preference_labels": preference_labels(row)})
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
        "sha256": _report_sha256(report) if report else "",
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


def _report_sha256(report: dict[str, Any]) -> str:
    from .services.report import report_sha256  # services read these selectors

    return report_sha256(report)
