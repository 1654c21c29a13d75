"""Implementation plans: the purchaser drafts and submits, the bureau files or returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import organisation_of
from common.errors import DomainError
from documents.views import file_response
from timers.models import format_deadline

from .. import services
from ..forms import (
    ApproveMethodForm,
    PlanDocumentForm,
    PlanForm,
    PlanLotFormSet,
    RejectMethodForm,
    ReturnPlanForm,
    plan_lot_values,
)
from ..legal import public_tender_threshold, sme_threshold
from ..models import ImplementationPlan, MethodApprovalStatus, PlanStatus, ProcurementKind
from ..parameters import legal_parameter
from ..selectors import (
    get_intention_for_user,
    get_method_approval_for_user,
    get_plan_document_for_user,
    get_plan_for_user,
    method_approvals_of_plan,
    plan_documents,
    plan_warnings,
    plans_of,
    plans_waiting_for_filing,
)
from ..services.plans import (
    filing_problems,
    plan_needs_method_approval,
    reserved_share_warnings,
)
from ..services.single_source import approval_blockers
from ._common import add_problems, role_required, upload_response
from .single_source import approve_blockers, plan_notice


@role_required("purchaser")
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "procurement/plan_list.html", {"plans": plans_of(request.user)})


def _thresholds() -> dict:
    tender = public_tender_threshold(ProcurementKind.GOODS)
    assert tender is not None
    return {
        "goods_services": sme_threshold("goods").value,
        "works": sme_threshold("works").value,
        "share_min": legal_parameter("sme_reserve_share_above").value,
        "public_tender": tender.value,
        "follow_on_max": legal_parameter("single_source_follow_on_max").value,
    }


def _plan_form(request, *, plan: ImplementationPlan | None, initial: dict, lots: list[dict]):
    purchaser = organisation_of(request.user)
    if purchaser is None:  # role_required or the plan's write access let only purchaser staff in
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, purchaser=purchaser, plan=plan, initial=initial)
    formset = PlanLotFormSet(data, prefix="lots", initial=lots)
    return form, formset


def _save_plan(request, form, formset, plan: ImplementationPlan | None):
    if not (form.is_valid() and formset.is_valid()):
        return None
    values = form.values(plan_lot_values(formset))
    try:
        if plan is None:
            return services.create_plan(values=values, acting_user=request.user)
        return services.update_plan(plan=plan, values=values, acting_user=request.user)
    except DomainError as error:
        add_problems(form, error)
        return None


@role_required("purchaser")
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict = {"sme_mode": "whole"}
    lots = [{"kind": "goods"}]
    if request.GET.get("intention"):
        intention = get_intention_for_user(user=request.user, pk=int(request.GET["intention"]))
        initial.update(
            intention=intention, project_name=intention.project_name, budget=intention.budget
        )
        lots = [{"name": intention.project_name, "budget": intention.budget, "kind": "goods"}]
    form, formset = _plan_form(request, plan=None, initial=initial, lots=lots)
    if request.method == "POST":
        plan = _save_plan(request, form, formset, None)
        if plan is not None:
            messages.success(request, _("The draft plan has been saved."))
            for warning in plan_warnings(plan) + reserved_share_warnings(plan):
                messages.warning(request, warning)
            return redirect("procurement:plan_detail", pk=plan.pk)
    return render(
        request,
        "procurement/plan_form.html",
        {"form": form, "formset": formset, "thresholds": _thresholds()},
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, pk=pk, for_write=True)
    lots = [
        {"name": lot.name, "kind": lot.kind, "budget": lot.budget, "sme_reserved": lot.sme_reserved}
        for lot in plan.lots.all()
    ]
    form, formset = _plan_form(request, plan=plan, initial=PlanForm.initial_for(plan), lots=lots)
    if request.method == "POST":
        saved = _save_plan(request, form, formset, plan)
        if saved is not None:
            messages.success(request, _("The plan has been saved."))
            for warning in plan_warnings(saved) + reserved_share_warnings(saved):
                messages.warning(request, warning)
            return redirect("procurement:plan_detail", pk=plan.pk)
    return render(
        request,
        "procurement/plan_form.html",
        {"form": form, "formset": formset, "plan": plan, "thresholds": _thresholds()},
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, pk=pk)
    user = request.user
    can_change = user.has_perm("procurement.change_plan", plan)
    can_file = user.has_perm("procurement.file_plan", plan)
    approvals = list(method_approvals_of_plan(plan))
    latest = approvals[0] if approvals else None
    pending = latest if latest and latest.status == MethodApprovalStatus.PENDING else None
    can_decide = bool(pending) and user.has_perm("procurement.decide_method_approval", pending)
    notice = plan_notice(request, plan, can_change=can_change)
    return render(
        request,
        "procurement/plan_detail.html",
        {
            "plan": plan,
            "lots": plan.lots.all(),
            "warnings": plan_warnings(plan) + reserved_share_warnings(plan),
            "can_change": can_change,
            "can_file": can_file,
            "filing_blocked": filing_problems(plan) if can_file else [],
            "needs_approval": plan_needs_method_approval(plan),
            "approvals": approvals,
            "in_force": latest if latest and latest.covers(plan) else None,
            "pending": pending,
            "can_decide": can_decide,
            # Single source on GPL Art 31(1): the notice, its objections and review (O74 38–40).
            "notice": notice,
            "approve_blocked": approve_blockers(pending, notice) if can_decide else [],
            "documents": list(plan_documents(plan)),
            "document_form": PlanDocumentForm() if can_change else None,
            "thresholds": _thresholds(),
            "return_form": ReturnPlanForm(),
            "project": getattr(plan, "project", None) if plan.status == PlanStatus.FILED else None,
            "history": plan.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, pk=pk, for_write=True)
    try:
        plan = services.submit_plan(plan=plan, acting_user=request.user)
    except DomainError as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The plan has been submitted to the finance bureau for filing.")
        )
        pending = plan.method_approvals.pending().select_related("single_source_notice").first()
        notice = pending.single_source_notice if pending else None
        if notice is not None:
            messages.info(
                request,
                _(
                    "The single source notice goes with the request: the bureau may approve "
                    "single source only after its period (until %(end)s) and your review of any "
                    "objections."
                )
                % {"end": format_deadline(notice.period_end)},
            )
        if pending is not None:
            messages.info(
                request,
                _(
                    "%(method)s at or above the public tender threshold needs the bureau's prior "
                    "approval (GPL Art 27): your request went with the plan, and the bureau "
                    "decides on it before it can file the plan."
                )
                % {"method": plan.get_method_display()},
            )
    return redirect("procurement:plan_detail", pk=plan.pk)


# --------------------------------------------------------------------------------------------
# Supporting documents of the method


@require_POST
def plan_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, pk=pk, for_write=True)
    return upload_response(
        request,
        PlanDocumentForm(request.POST, request.FILES),
        lambda data: services.add_plan_document(
            plan=plan, upload=data["file"], title=data["title"], acting_user=request.user
        ),
        success=_("The document has been attached to the plan."),
        page_url=reverse("procurement:plan_detail", args=[plan.pk]),
        partial="procurement/partials/plan_document_form.html",
        context={"plan": plan},
    )


@require_POST
def plan_document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_plan_document_for_user(user=request.user, pk=pk, for_write=True)
    try:
        services.remove_plan_document(document=document, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The document has been removed from the plan."))
    return redirect("procurement:plan_detail", pk=document.plan_id)


@login_required
@require_safe
def plan_document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = get_plan_document_for_user(user=request.user, pk=pk)
    return file_response(document.file, as_attachment=True)


# --------------------------------------------------------------------------------------------
# Bureau


@role_required("bureau")
def bureau_plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    recent = (
        ImplementationPlan.objects.exclude(status=PlanStatus.DRAFT)
        .exclude(status=PlanStatus.SUBMITTED)
        .select_related("purchaser")
        .order_by("-modified")[:30]
    )
    return render(
        request,
        "procurement/bureau_plan_list.html",
        {"waiting": plans_waiting_for_filing(), "recent": recent},
    )


def _bureau_plan(request, pk: int) -> ImplementationPlan:
    plan = get_plan_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("procurement.view_bureau_pages"):
        raise PermissionDenied
    return plan


@require_POST
def plan_file(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _bureau_plan(request, pk)
    try:
        services.file_plan(plan=plan, acting_user=request.user)
    except DomainError as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
        return redirect("procurement:plan_detail", pk=plan.pk)
    messages.success(request, _("The plan has been filed; the purchaser has been told."))
    return redirect("procurement:bureau_plans")


@require_http_methods(["GET", "POST"])
def method_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau approves the change of method (GPL Art 27), after a confirmation page."""
    approval = get_method_approval_for_user(user=request.user, pk=pk, for_write=True)
    form = ApproveMethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_method_change(
                approval=approval, opinion=form.cleaned_data["opinion"], acting_user=request.user
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The change of method has been approved; the purchaser has been told."),
            )
            return redirect("procurement:plan_detail", pk=approval.plan_id)
    return render(
        request,
        "procurement/method_decide.html",
        {
            "approval": approval,
            "plan": approval.plan,
            "form": form,
            "approve": True,
            "blocked": approval_blockers(approval, at=timezone.now()),
        },
    )


@require_http_methods(["GET", "POST"])
def method_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau rejects the change of method with its reasons; the plan goes back."""
    approval = get_method_approval_for_user(user=request.user, pk=pk, for_write=True)
    form = RejectMethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject_method_change(
                approval=approval, reasons=form.cleaned_data["reasons"], acting_user=request.user
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _(
                    "The change of method has not been approved; the plan has been returned to "
                    "the purchaser with your reasons."
                ),
            )
            return redirect("procurement:bureau_plans")
    return render(
        request,
        "procurement/method_decide.html",
        {"approval": approval, "plan": approval.plan, "form": form, "approve": False},
    )


@require_http_methods(["GET", "POST"])
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _bureau_plan(request, pk)
    form = ReturnPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_plan(
                plan=plan, reasons=form.cleaned_data["reasons"], acting_user=request.user
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The plan has been returned to the purchaser."))
            return redirect("procurement:bureau_plans")
    return render(request, "procurement/plan_return.html", {"plan": plan, "form": form})
