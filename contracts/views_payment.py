"""Payment pages (issue 12 §6–§7): access helper → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of, role_of
from common.errors import DomainError
from workdays.calendar import SHANGHAI

from .forms_payment import DisputeForm, PaymentForm, SettleForm
from .selectors import get_contract_for_user
from .selectors_payment import (
    get_dispute_for_user,
    get_payment_for_user,
    is_payable,
    owed_to_supplier,
    payment_status,
)
from .services import payment as services
from .views import _report


def _today():
    return timezone.localdate(timezone=SHANGHAI)


def _purchaser_contract(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.record_payment", contract):
        raise PermissionDenied
    return contract


@login_required
def payment_new(request, pk: int):
    contract = _purchaser_contract(request, pk)
    status = payment_status(contract)
    first = status.owing[0] if status.owing else None
    initial = {"paid_on": _today()}
    if first is not None:
        initial |= {"kind": first.instalment.kind, "amount": first.owed_now}
    form = PaymentForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_payment(
                contract=contract, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(
                request, _("The payment is recorded; the supplier is asked to confirm receipt.")
            )
            return redirect("contracts:payments", contract.pk)
    return render(
        request,
        "contracts/payment_new.html",
        {"form": form, "contract": contract, "status": status},
    )


@login_required
def payments(request, pk: int):
    """The payment vouchers of a contract: the parties and the bureau."""
    contract = get_contract_for_user(user=request.user, pk=pk)
    return render(
        request,
        "contracts/payments.html",
        {
            "contract": contract,
            "status": payment_status(contract),
            "may_confirm": request.user.has_perm("contracts.confirm_receipt", contract),
            "may_record": request.user.has_perm("contracts.record_payment", contract)
            and is_payable(contract),
        },
    )


@login_required
@require_POST
def confirm_receipt(request, pk: int):
    payment = get_payment_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.confirm_receipt", payment.contract):
        raise PermissionDenied
    try:
        services.confirm_receipt(payment=payment, acting_user=request.user)
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("Receipt confirmed."))
    return redirect("contracts:payments", payment.contract_id)


@login_required
def dispute_new(request, pk: int):
    contract = _purchaser_contract(request, pk)
    form = DisputeForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_part(acting_user=request.user, **form.cleaned_data)
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The disputed part is held back; pay the rest."))
            return redirect("contracts:payments", contract.pk)
    return render(request, "contracts/dispute_new.html", {"form": form, "contract": contract})


@login_required
@require_POST
def dispute_settle(request, pk: int):
    dispute = get_dispute_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.record_payment", dispute.contract):
        raise PermissionDenied
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            services.settle_dispute(
                dispute=dispute,
                settlement=form.cleaned_data["settlement"],
                acting_user=request.user,
            )
        except DomainError as error:
            _report(request, error)
        else:
            messages.success(request, _("The dispute is settled: the part is owed again."))
    else:
        messages.error(request, _("Say how the dispute was settled."))
    return redirect("contracts:payments", dispute.contract_id)


@login_required
def owed(request):
    """The supplier's view of what it is owed and since when (issue 12 §7)."""
    organisation = organisation_of(request.user)
    if organisation is None or role_of(request.user) != OrganisationKind.SUPPLIER:
        raise PermissionDenied
    today = _today()
    rows = owed_to_supplier(organisation.pk, today=today)
    return render(request, "contracts/owed.html", {"rows": rows, "today": today})
