"""Access helpers for the report and the result pages (issue 11 §5–§6; merged into access.py).

Each object a user reaches by id goes through its helper: a user who may not see it gets 404,
one who sees it but may not act gets 403 (STYLE habit 5).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import is_member
from bidding.models import Bid
from procurement.lot_links import LotLink
from procurement.models import Lot

from .models import Award, Evaluation, EvaluationState
from .services.award import AWARD_NOTICE_USE
from .services.report import REPORT_PDF_USE


def get_evaluation_for_report(*, user, pk: int) -> Evaluation:
    """The evaluation whose report the user may read (members, purchaser, agency, bureau)."""
    evaluation = (
        Evaluation.objects.select_related(
            "lot", "lot__project", "lot__project__purchaser", "lot__project__agency"
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None or not user.has_perm("evaluation.view_report", evaluation):
        raise Http404
    return evaluation


def get_evaluation_to_confirm(*, user, pk: int) -> Evaluation:
    evaluation = get_evaluation_for_report(user=user, pk=pk)
    if not user.has_perm("evaluation.confirm_result", evaluation):
        raise PermissionDenied
    return evaluation


def get_award_for_user(*, user, pk: int) -> Award:
    award = (
        Award.objects.select_related(
            "lot", "lot__project", "lot__project__purchaser", "bid", "bid__supplier", "notice_pdf"
        )
        .filter(pk=pk)
        .first()
    )
    if award is None or not user.has_perm("evaluation.view_award", award):
        raise Http404
    return award


def get_own_bid_result(*, user, bid_uuid) -> tuple[Bid, Evaluation]:
    """A bidder's own bid on a lot whose result is decided (or failed): its outcome only."""
    bid = (
        Bid.objects.select_related("lot", "lot__project", "supplier").filter(uuid=bid_uuid).first()
    )
    if bid is None or not is_member(user, bid.supplier_id):
        raise Http404
    evaluation = Evaluation.objects.filter(lot_id=bid.lot_id).first()
    if evaluation is None or evaluation.state not in (
        EvaluationState.DECIDED,
        EvaluationState.FAILED,
    ):
        raise Http404
    return bid, evaluation


def award_file_access(user, stored_file) -> bool | None:
    """The report PDF for those who read the report; the award notice for the award's readers."""
    if stored_file.use == REPORT_PDF_USE:
        evaluation = Evaluation.objects.select_related("lot").filter(report_pdf=stored_file).first()
        return evaluation is not None and user.has_perm("evaluation.view_report", evaluation)
    if stored_file.use == AWARD_NOTICE_USE:
        award = Award.objects.select_related("lot", "bid").filter(notice_pdf=stored_file).first()
        return award is not None and user.has_perm("evaluation.view_award", award)
    return None


def result_lot_links(lots: Sequence[Lot], user) -> dict[int, list[LotLink]]:
    """The report (those who read it) and the award or the bidder's own result, per lot."""
    links: dict[int, list[LotLink]] = {}
    if not getattr(user, "is_authenticated", False):
        return links
    ids = [lot.pk for lot in lots]
    evaluations = Evaluation.objects.filter(lot_id__in=ids).select_related("lot", "lot__project")
    awards = {a.lot_id: a for a in Award.objects.filter(lot_id__in=ids).select_related("bid")}
    own_bids = {
        b.lot_id: b
        for b in Bid.objects.filter(
            lot_id__in=ids, supplier__memberships__user=user, review__isnull=False
        )
    }
    for evaluation in evaluations:
        found = links.setdefault(evaluation.lot_id, [])
        if evaluation.report and user.has_perm("evaluation.view_report", evaluation):
            found.append(
                LotLink(
                    _("Evaluation report"),
                    reverse("evaluation:report", args=[evaluation.pk]),
                    "evaluation_report",
                )
            )
        award = awards.get(evaluation.lot_id)
        if award is not None and user.has_perm("evaluation.view_award", award):
            found.append(
                LotLink(
                    _("Award notice"), reverse("evaluation:award_notice", args=[award.pk]), "award"
                )
            )
        bid = own_bids.get(evaluation.lot_id)
        if bid is not None and evaluation.state in (
            EvaluationState.DECIDED,
            EvaluationState.FAILED,
        ):
            found.append(
                LotLink(
                    _("My evaluation result"),
                    reverse("evaluation:my_result", args=[bid.uuid]),
                    "my_result",
                )
            )
    return links
