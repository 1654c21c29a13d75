"""Links from a lot to its evaluation pages (procurement.lot_links) and who downloads the proof
a bidder attached to its price explanation (documents.access)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import role_of
from procurement.lot_links import LotLink
from procurement.models import LotState

from .models import Evaluation, PriceInquiry
from .rules import runs_procurement, seat_of


def evaluation_links(lots, user) -> dict[int, list[LotLink]]:
    """Each lot's evaluation page for its staff and the bureau, and the start page for the
    organisation that runs an opened lot's procurement. A member reaches its pages from its
    home and to-do, never through a lot list; a bidder never. One query (plus the rules')."""
    if role_of(user) in (None, "supplier", "expert", "bank"):
        return {}
    links: dict[int, list[LotLink]] = {}
    evaluations = {
        e.lot_id: e
        for e in Evaluation.objects.filter(lot__in=[lot.pk for lot in lots]).select_related(
            "lot", "lot__project"
        )
    }
    for lot in lots:
        evaluation = evaluations.get(lot.pk)
        if evaluation is not None:
            if user.has_perm("evaluation.view_evaluation", evaluation):
                links[lot.pk] = [
                    LotLink(
                        _("Evaluation"), reverse("evaluation:overview", args=[lot.pk]), "evaluation"
                    )
                ]
        elif lot.state == LotState.OPENED and runs_procurement(user, lot):
            links[lot.pk] = [
                LotLink(
                    _("Start the evaluation"),
                    reverse("evaluation:start", args=[lot.pk]),
                    "start_evaluation",
                )
            ]
    return links


def price_explanation_file_access(user, stored_file) -> bool | None:
    """The proof of a price explanation: its bidder (the uploader), the project staff, the
    bureau (by default) and the declared members of the committee."""
    inquiry = (
        PriceInquiry.objects.select_related("evaluation", "evaluation__lot__project")
        .filter(answer_files=stored_file)
        .first()
    )
    if inquiry is None:
        return None
    evaluation = inquiry.evaluation
    if user.has_perm("evaluation.review_qualification", evaluation):
        return True
    seat = seat_of(user, evaluation)
    if (
        seat is not None
        and seat.declarations.filter(evaluation=evaluation, no_conflict=True).exists()
    ):
        return True
    return None
