"""What the evaluation asks of each role (accounts.todo), read from the evaluations, so an item
goes the moment the step is done. One query per kind of item.

- a committee member: declare no conflict; score (its sheet); the leader: the compliance
  review and the price explanations to decide;
- the organisation running the procurement: start the evaluation of an opened lot whose
  committee is complete; the purchaser or agency: the qualification review, a recused member
  to replace;
- a bidder: explain an abnormally low price by the time the committee set.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from experts.models import Committee, Member, MemberState
from procurement.models import LotState

from .models import Evaluation, EvaluationState, PriceInquiry

ACTIVE = [EvaluationState.QUALIFICATION, EvaluationState.COMPLIANCE, EvaluationState.SCORING]


def _subject(lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def member_items(owed: Owed) -> Iterator[TodoItem]:
    """A seat's steps: any user may sit (an expert, or the purchaser's representative)."""
    if not getattr(owed.user, "is_authenticated", False):
        return
    seats = (
        Member.objects.filter(
            user=owed.user,
            state=MemberState.ACCEPTED,
            committee__lot__state=LotState.EVALUATING,
            committee__lot__evaluation__state__in=ACTIVE,
        )
        .select_related("committee", "committee__lot", "committee__lot__project")
        .annotate(
            evaluation_state=F("committee__lot__evaluation__state"),
            declared=Count("declarations"),
            submitted=Count("score_sheets", filter=Q(score_sheets__submitted_at__isnull=False)),
            to_decide=Count(
                "committee__lot__evaluation__inquiries",
                filter=Q(committee__lot__evaluation__inquiries__decided_at__isnull=True)
                & Q(committee__lot__evaluation__inquiries__answered_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("committee__evaluation_at", "pk")
    )
    for seat in seats:
        lot = seat.committee.lot
        if not seat.declared:
            yield TodoItem(
                kind="evaluation.declaration_due",
                title=_("Sign your no-conflict declaration"),
                subject=_subject(lot),
                url=reverse("evaluation:declaration", args=[lot.pk]),
                due=seat.committee.evaluation_at,
                note=_("No bid is shown to you before it."),
            )
            continue
        if seat.evaluation_state == EvaluationState.SCORING and not seat.submitted:
            yield TodoItem(
                kind="evaluation.scoring_due",
                title=_("Score the bids and submit your sheet"),
                subject=_subject(lot),
                url=reverse("evaluation:sheet", args=[lot.pk]),
            )
        if seat.is_leader and seat.evaluation_state == EvaluationState.COMPLIANCE:
            yield TodoItem(
                kind="evaluation.compliance_due",
                title=_("Record the committee's compliance review"),
                subject=_subject(lot),
                url=reverse("evaluation:compliance", args=[lot.pk]),
                note=(
                    _("A price explanation waits for the committee's decision.")
                    if seat.to_decide
                    else ""
                ),
            )


def staff_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    org = owed.organisation
    # Start: the agency, or the purchaser of a project without one (evaluation.rules).
    runs = Q(lot__project__agency=org) | Q(
        lot__project__agency__isnull=True, lot__project__purchaser=org
    )
    for committee in (
        Committee.objects.filter(runs, lot__state=LotState.OPENED, lot__evaluation__isnull=True)
        .annotate(seated=Count("members", filter=Q(members__state=MemberState.ACCEPTED)))
        .filter(seated__gte=F("size"))
        .select_related("lot", "lot__project")
        .order_by("evaluation_at", "pk")
    ):
        yield TodoItem(
            kind="evaluation.start_due",
            title=_("Start the evaluation"),
            subject=_subject(committee.lot),
            url=reverse("evaluation:start", args=[committee.lot_id]),
            due=committee.evaluation_at,
            note=_("Every seat of the committee has been accepted."),
        )
    staff = Q(lot__project__purchaser=org) | Q(lot__project__agency=org)
    for evaluation in (
        Evaluation.objects.filter(
            staff, lot__state=LotState.EVALUATING, state=EvaluationState.QUALIFICATION
        )
        .select_related("lot", "lot__project")
        .order_by("started_at", "pk")
    ):
        yield TodoItem(
            kind="evaluation.qualification_due",
            title=_("Review the bidders' qualifications"),
            subject=_subject(evaluation.lot),
            url=reverse("evaluation:qualification", args=[evaluation.lot_id]),
            note=_("Include the credit check (信用中国, 中国政府采购网)."),
        )
    for evaluation in (
        Evaluation.objects.filter(staff, lot__state=LotState.EVALUATING, state__in=ACTIVE)
        .annotate(
            seated=Count(
                "lot__committee__members",
                filter=Q(lot__committee__members__state=MemberState.ACCEPTED),
            )
        )
        .filter(seated__lt=F("lot__committee__size"))
        .select_related("lot", "lot__project")
        .order_by("started_at", "pk")
    ):
        yield TodoItem(
            kind="evaluation.member_to_replace",
            title=_("Draw a replacement for a recused member"),
            subject=_subject(evaluation.lot),
            url=reverse("evaluation:overview", args=[evaluation.lot_id]),
            note=_("The committee cannot finish its review short of a member (D198 Art 17)."),
        )


def bidder_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    for inquiry in (
        PriceInquiry.objects.filter(
            bid__supplier=owed.organisation,
            answered_at__isnull=True,
            decided_at__isnull=True,
            due__gt=timezone.now(),
        )
        .select_related("evaluation__lot__project")
        .order_by("due", "pk")
    ):
        yield TodoItem(
            kind="evaluation.price_explanation_due",
            title=_("Explain your price to the evaluation committee"),
            subject=_subject(inquiry.evaluation.lot),
            url=reverse("evaluation:explain", args=[inquiry.pk]),
            due=inquiry.due,
            note=_("Without an answer in time the bid is invalid (O87 Art 60)."),
        )


PROVIDERS = [member_items, staff_items, bidder_items]
