"""Implementation plans: the purchaser drafts and submits, the bureau files or returns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import organisation_of
from common.errors import DomainError

from .. import services
from ..forms import PlanForm, PlanLotFormSet, ReturnPlanForm, plan_lot_values
from ..legal import sme_threshold
from ..models import ImplementationPlan, PlanStatus
from ..parameters import legal_parameter
from ..selectors import (
    get_intention_for_user,
    get_plan_for_user,
    plan_warnings,
    plans_of,
    plans_waiting_for_filing,
)
from ._common import add_problems, role_required


@role_required("purchaser")
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "procurement/plan_list.html", {"plans": plans_of(request.user)})


def _thresholds() -> dict:
    return {
        "goods_services": sme_threshold("goods").value,
        "works": sme_threshold("works").value,
        "share_min": legal_parameter("sme_reserve_share_above").value,
    }


def _plan_form(request, *, plan: ImplementationPlan | None, initial: dict, lots: list[dict]):
    purchaser = organisation_of(request.user)
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
def plan_create(request: HttpRequest) -> HttpResponse:
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
            for warning in plan_warnings(plan):
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
            for warning in plan_warnings(saved):
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
    return render(
        request,
        "procurement/plan_detail.html",
        {
            "plan": plan,
            "lots": plan.lots.all(),
            "warnings": plan_warnings(plan),
            "can_change": user.has_perm("procurement.change_plan", plan),
            "can_file": user.has_perm("procurement.file_plan", plan),
            "return_form": ReturnPlanForm(),
            "project": getattr(plan, "project", None) if plan.status == PlanStatus.FILED else None,
            "history": plan.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, pk=pk, for_write=True)
    try:
        services.submit_plan(plan=plan, acting_user=request.user)
    except DomainError as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The plan has been submitted to the finance bureau for filing.")
        )
    return redirect("procurement:plan_detail", pk=plan.pk)


# --------------------------------------------------------------------------------------------
# Bureau


@role_required("bureau")
def bureau_plan_list(request: HttpRequest) -> HttpResponse:
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
