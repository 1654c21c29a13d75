"""Delivery and acceptance pages (issue 12 §5): access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.selectors import organisation_of
from common.errors import DomainError, RulesBroken
from common.links import link
from documents.views import file_response

from .forms import SignForm
from .forms_acceptance import (
    YES,
    AcceptanceForm,
    CheckFormSet,
    DeliveryForm,
    ParticipantFormSet,
    acceptance_values,
)
from .models import Acceptance, ParticipantKind
from .selectors import get_contract_for_user
from .selectors_acceptance import acceptance_section, get_acceptance_for_user, get_delivery_for_user
from .services import acceptance as services
from .services.acceptance import PLAN_KINDS, report_context


def _report(form, error: DomainError) -> None:
    for problem in error.messages if isinstance(error, RulesBroken) else [str(error)]:
        form.add_error(None, problem)


@login_required
def deliver(request, pk: int):
    """The supplier declares delivery of the next stage (or the whole) with its documents."""
    contract = get_contract_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.declare_delivery", contract):
        raise PermissionDenied
    section = acceptance_section(contract, request.user)
    form = DeliveryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_delivery(
                contract=contract, values=form.values(), acting_user=request.user
            )
        except DomainError as error:
            _report(form, error)
        else:
            messages.success(request, _("Delivery declared: the purchaser records acceptance."))
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/deliver.html",
        {"form": form, "contract": contract, "section": section},
    )


def _initial_checks(contract, stage) -> list[dict]:
    rows = [
        {"item_id": item.pk, "what": f"{item.name}（{item.spec}）" if item.spec else item.name}
        for item in contract.items.all()
    ]
    if stage is not None and stage.checks.strip():
        rows.append({"what": stage.checks.strip()[:300]})
    return rows


def _initial_participants(contract, user) -> list[dict]:
    rows = [
        {
            "kind": ParticipantKind.PURCHASER,
            "name": user.get_full_name() or user.username,
            "organisation_name": contract.purchaser.name,
        }
    ]
    plan = getattr(contract, "acceptance_plan", None)
    if plan is not None:
        for flag, kind, _message in PLAN_KINDS:
            if getattr(plan, flag) or (kind == ParticipantKind.RECIPIENT and plan.public_service):
                organisation = plan.testing_body if kind == ParticipantKind.TESTING_BODY else ""
                rows.append({"kind": kind, "organisation_name": organisation})
    return rows


@login_required
def record(request, pk: int):
    """The purchaser records the acceptance of a delivery and signs the report."""
    delivery = get_delivery_for_user(user=request.user, pk=pk)
    contract = get_contract_for_user(user=request.user, pk=delivery.contract_id)
    if not request.user.has_perm("contracts.record_acceptance", contract):
        raise PermissionDenied
    existing = Acceptance.objects.filter(delivery=delivery).first()
    if existing is not None:
        return redirect("contracts:acceptance", existing.pk)
    data = request.POST if request.method == "POST" else None
    form = AcceptanceForm(data)
    checks = CheckFormSet(data, prefix="checks", initial=_initial_checks(contract, delivery.stage))
    participants = ParticipantFormSet(
        data, prefix="people", initial=_initial_participants(contract, request.user)
    )
    if data is not None and all([form.is_valid(), checks.is_valid(), participants.is_valid()]):
        try:
            acceptance = services.record_acceptance(
                delivery=delivery,
                values=acceptance_values(form, checks, participants),
                password=form.cleaned_data["password"],
                acting_user=request.user,
            )
        except DomainError as error:
            _report(form, error)
        else:
            messages.success(request, _("Acceptance recorded and the report signed."))
            return redirect("contracts:acceptance", acceptance.pk)
    return render(
        request,
        "contracts/record_acceptance.html",
        {
            "form": form,
            "checks": checks,
            "participants": participants,
            "contract": contract,
            "delivery": delivery,
            "documents": delivery.documents.all(),
            "plan": getattr(contract, "acceptance_plan", None),
            "yes": YES,
        },
    )


@login_required
def acceptance(request, pk: int):
    """The acceptance report as a page; the supplier countersigns it here."""
    found = get_acceptance_for_user(user=request.user, pk=pk)
    organisation = organisation_of(request.user)
    party = found.contract.party_of(organisation.pk if organisation else None)
    signatures = list(found.signatures.select_related("organisation", "signer"))
    form = SignForm(request.POST or None)
    if request.method == "POST":
        if party is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sign_acceptance_report(
                    acceptance=found,
                    password=form.cleaned_data["password"],
                    acting_user=request.user,
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("You signed the acceptance report."))
            return redirect("contracts:acceptance", found.pk)
    return render(
        request,
        "contracts/acceptance.html",
        {
            **report_context(found),
            "signatures": signatures,
            "may_sign": party is not None and party not in {s.party for s in signatures},
            "sign_form": form,
            "announcement_url": link("public_announcement", found.announcement_id)
            if found.announcement_id
            else "",
        },
    )


@login_required
def acceptance_pdf(request, pk: int):
    found = get_acceptance_for_user(user=request.user, pk=pk)
    if found.report_pdf is None:
        raise Http404
    return file_response(found.report_pdf)
