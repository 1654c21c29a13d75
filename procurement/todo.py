"""What procurement asks of each role (accounts.todo): intentions to publish, plans to submit,
correct or file, methods to approve, projects to prepare, lots to announce, questions to answer,
single-source objections to review. Each item is read from the state of its matter, so it goes
the moment the step is done. One query per kind of item."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem

from .models import (
    Clarification,
    ClarificationStatus,
    ImplementationPlan,
    IntentionStatus,
    Lot,
    LotState,
    MethodApproval,
    MethodApprovalStatus,
    PlanStatus,
    ProcurementIntention,
    SingleSourceNotice,
)


def _lot_subject(lot: Lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def purchaser_items(owed: Owed) -> Iterator[TodoItem]:
    """A purchaser: its intentions, plans and single-source reviews."""
    if owed.role != OrganisationKind.PURCHASER:
        return
    org = owed.organisation
    for intention in ProcurementIntention.objects.filter(
        purchaser=org, status=IntentionStatus.DRAFT
    ).order_by("created", "id"):
        yield TodoItem(
            kind="procurement.intention_to_publish",
            title=_("Publish the procurement intention"),
            subject=intention.project_name,
            url=reverse("procurement:intention_detail", args=[intention.pk]),
        )
    for plan in ImplementationPlan.objects.filter(
        purchaser=org, status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED]
    ).order_by("created", "id"):
        returned = plan.status == PlanStatus.RETURNED
        yield TodoItem(
            kind="procurement.plan_to_correct" if returned else "procurement.plan_to_submit",
            title=(
                _("Correct and resubmit the implementation plan")
                if returned
                else _("Submit the implementation plan for filing")
            ),
            subject=plan.project_name,
            url=reverse("procurement:plan_detail", args=[plan.pk]),
            note=plan.return_reasons if returned else "",
        )
    for notice in (
        SingleSourceNotice.objects.filter(
            plan__purchaser=org, reviewed_at__isnull=True, objections__isnull=False
        )
        .distinct()
        .select_related("plan")
        .order_by("review_due", "id")
    ):
        yield TodoItem(
            kind="procurement.single_source_review",
            title=_("Review the objections to the single-source notice"),
            subject=notice.plan.project_name,
            url=reverse("procurement:plan_detail", args=[notice.plan_id]),
            due=notice.review_due,
            note="《政府采购非招标采购方式管理办法》（财政部令第74号）第四十条",
        )


def staff_items(owed: Owed) -> Iterator[TodoItem]:
    """The purchaser or the agency it entrusted: projects to prepare, lots to set up and
    announce, questions to answer (the agency answers when there is one)."""
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    org = owed.organisation
    for plan in (
        ImplementationPlan.objects.filter(status=PlanStatus.FILED, project__isnull=True)
        .filter(Q(purchaser=org) | Q(agency=org))
        .order_by("filed_at", "id")
    ):
        yield TodoItem(
            kind="procurement.project_to_prepare",
            title=_("Prepare the tender from the filed plan"),
            subject=plan.project_name,
            url=reverse("procurement:projects"),
        )
    projects = Q(project__purchaser=org, project__agency__isnull=True) | Q(project__agency=org)
    drafts = (
        Lot.objects.filter(projects, state=LotState.DRAFT)
        .select_related("project")
        .order_by("project_id", "number")
    )
    seen: set[int] = set()
    for lot in drafts:
        if lot.project_id in seen:
            continue
        seen.add(lot.project_id)
        yield TodoItem(
            kind="procurement.lots_to_announce",
            title=_("Set up the lots and publish the announcement"),
            subject=lot.project.name,
            url=reverse("procurement:project_detail", args=[lot.project_id]),
        )
    for question in (
        Clarification.objects.filter(status=ClarificationStatus.OPEN, lot__state=LotState.ANNOUNCED)
        .filter(
            Q(lot__project__purchaser=org, lot__project__agency__isnull=True)
            | Q(lot__project__agency=org)
        )
        .select_related("lot", "lot__project")
        .order_by("lot__bid_deadline", "id")
    ):
        yield TodoItem(
            kind="procurement.question_to_answer",
            title=_("Answer a supplier's question"),
            subject=_lot_subject(question.lot),
            url=reverse("procurement:clarification_answer", args=[question.pk]),
            due=question.lot.bid_deadline,
            note=_("Bid deadline"),
        )


def bureau_items(owed: Owed) -> Iterator[TodoItem]:
    """The bureau: plans to file or return, changes of method to decide."""
    if owed.role != OrganisationKind.BUREAU:
        return
    pending = set(
        MethodApproval.objects.filter(status=MethodApprovalStatus.PENDING).values_list(
            "plan_id", flat=True
        )
    )
    for plan in (
        ImplementationPlan.objects.filter(status=PlanStatus.SUBMITTED)
        .select_related("purchaser")
        .order_by("submitted_at", "id")
    ):
        method = plan.pk in pending
        yield TodoItem(
            kind="procurement.method_to_decide" if method else "procurement.plan_to_file",
            title=(
                _("Decide on the change of procurement method")
                if method
                else _("File or return the implementation plan")
            ),
            subject=f"{plan.purchaser.name} · {plan.project_name}",
            url=reverse("procurement:plan_detail", args=[plan.pk]),
        )


PROVIDERS = [purchaser_items, staff_items, bureau_items]
