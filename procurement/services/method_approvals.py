"""The bureau's prior approval of a method other than public tender (GPL Art 27), and the
supporting documents the purchaser attaches to its plan for it.

A request is made by submit_plan when the plan needs one (services/plans.py). The bureau
approves it (the plan may then be filed) or rejects it with reasons, which returns the plan to
the purchaser: it corrects the request, or the method, and submits again, making a new request.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.selectors import organisation_of
from audit.services import record_event
from common.errors import InvalidTransition
from documents.services import store_file
from notifications.services import notify_organisation

from ..models import (
    ImplementationPlan,
    MethodApproval,
    MethodApprovalStatus,
    PlanDocument,
    PlanStatus,
)
from ._base import refuse_if
from .plans import _require_bureau, _require_purchaser_of, approval_summary, plan_decided
from .single_source import approval_blockers

PLAN_DOCUMENTS_USE = "procurement.plan_documents"

NOT_PENDING = gettext_lazy("The bureau has already decided on this request.")
REJECTION_REASONS_REQUIRED = gettext_lazy(
    "Say why the change of method is not approved, so the purchaser can correct the request."
)
PLAN_NOT_EDITABLE = gettext_lazy(
    "The plan has been submitted; its documents can be changed only if the bureau returns it."
)
DOCUMENT_REMOVED = gettext_lazy("This document has already been removed.")


def _lock(approval: MethodApproval) -> tuple[ImplementationPlan, MethodApproval]:
    """The plan, then the request, under row locks (the order submit and return take them)."""
    plan = (
        ImplementationPlan.objects.select_for_update(of=("self",))
        .select_related("purchaser")
        .get(pk=approval.plan_id)
    )
    approval = MethodApproval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != MethodApprovalStatus.PENDING or plan.status != PlanStatus.SUBMITTED:
        raise InvalidTransition(NOT_PENDING)
    return plan, approval


def _context(plan: ImplementationPlan, approval: MethodApproval) -> dict:
    return {
        "plan_name": plan.project_name,
        "method": approval.get_method_display(),
        "budget": f"{approval.budget:,.2f}",
        "ground": approval.get_ground_display(),
        "reasons": approval.decision_reasons,
        "url": reverse("procurement:plan_detail", args=[plan.pk]),
    }


def approve_method_change(
    *, approval: MethodApproval, opinion: str = "", acting_user
) -> MethodApproval:
    """The bureau approves the method asked for; the plan may then be filed.

    Single source because only one supplier can provide it waits for its notice period and the
    review of any objections (O74 Arts 38–40; single_source.approval_blockers).
    """
    _require_bureau(acting_user)
    with transaction.atomic():
        plan, approval = _lock(approval)
        now = timezone.now()
        refuse_if(approval_blockers(approval, at=now))
        approval.approve(at=now, by=acting_user, opinion=opinion.strip())
        approval._history_user = acting_user
        approval._change_reason = gettext_noop("approved")
        approval.save()
        record_event(
            action="procurement.method_approval.approved",
            actor=acting_user,
            organisation=organisation_of(acting_user),
            subject=approval,
            data={**approval_summary(approval), "opinion": approval.decision_reasons},
        )
        notify_organisation(
            organisation=plan.purchaser,
            kind="procurement.method_approved",
            context=_context(plan, approval),
            subject=plan,
        )
    return approval


def reject_method_change(*, approval: MethodApproval, reasons: str, acting_user) -> MethodApproval:
    """The bureau rejects the method with its reasons; the plan goes back to the purchaser."""
    _require_bureau(acting_user)
    if not reasons.strip():
        raise InvalidTransition(REJECTION_REASONS_REQUIRED)
    with transaction.atomic():
        plan, approval = _lock(approval)
        now = timezone.now()
        approval.reject(at=now, by=acting_user, reasons=reasons.strip())
        approval._history_user = acting_user
        approval._change_reason = gettext_noop("rejected")
        approval.save()
        bureau = organisation_of(acting_user)
        record_event(
            action="procurement.method_approval.rejected",
            actor=acting_user,
            organisation=bureau,
            subject=approval,
            data={**approval_summary(approval), "reasons": approval.decision_reasons},
        )
        # A plan cannot be filed with a method the bureau refused: it goes back for correction.
        plan.return_for_correction(at=now, reasons=approval.decision_reasons)
        plan._history_user = acting_user
        plan._change_reason = gettext_noop("method not approved")
        plan.save()
        plan_decided(plan)
        record_event(
            action="procurement.plan.returned",
            actor=acting_user,
            organisation=bureau,
            subject=plan,
            data={
                "reasons": plan.return_reasons,
                "method_approval": approval.pk,
                "status": plan.status,
            },
        )
        notify_organisation(
            organisation=plan.purchaser,
            kind="procurement.method_rejected",
            context=_context(plan, approval),
            subject=plan,
        )
    return approval


# --------------------------------------------------------------------------------------------
# Supporting documents


def add_plan_document(
    *, plan: ImplementationPlan, upload: UploadedFile, title: str, acting_user
) -> PlanDocument:
    """Attach a supporting document to a draft or returned plan.

    Raises django's ValidationError (from documents.store_file) for a wrong or oversized file.
    """
    purchaser = _require_purchaser_of(acting_user, plan)
    with transaction.atomic():
        plan = ImplementationPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if not plan.is_editable:
            raise InvalidTransition(PLAN_NOT_EDITABLE)
        stored = store_file(upload=upload, use=PLAN_DOCUMENTS_USE, acting_user=acting_user)
        document = PlanDocument(
            plan=plan,
            title=title.strip() or stored.original_name,
            file=stored,
            added_by=acting_user,
        )
        document._history_user = acting_user
        document.save()
        record_event(
            action="procurement.plan_document.added",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data={"document": document.pk, "title": document.title, "sha256": stored.sha256},
        )
    return document


def remove_plan_document(*, document: PlanDocument, acting_user) -> PlanDocument:
    """Stop offering a document; requests already made keep it on record."""
    purchaser = _require_purchaser_of(acting_user, document.plan)
    with transaction.atomic():
        plan = ImplementationPlan.objects.select_for_update(of=("self",)).get(pk=document.plan_id)
        if not plan.is_editable:
            raise InvalidTransition(PLAN_NOT_EDITABLE)
        document = PlanDocument.objects.select_for_update().get(pk=document.pk)
        if not document.is_current:
            raise InvalidTransition(DOCUMENT_REMOVED)
        document.is_current = False
        document._history_user = acting_user
        document._change_reason = gettext_noop("removed")
        document.save()
        record_event(
            action="procurement.plan_document.removed",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data={"document": document.pk, "title": document.title},
        )
    return document
