"""Financing pages: access helper → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of, role_of
from common.errors import DomainError, RulesBroken
from common.errors import PermissionDenied as DomainPermissionDenied

from . import services
from .forms import (
    AccountForm,
    ApplyForm,
    ApproveForm,
    DeclineForm,
    MoneyForm,
    PasswordForm,
    ProductForm,
)
from .models import AccountChange, Product
from .notice import render_notice_pdf
from .selectors import (
    applications_for_user,
    get_account_change_for_user,
    get_application_for_user,
    get_product_for_bank,
    published_products,
)

LIST_ROWS = 200


def _report(request, error: DomainError, form=None) -> None:
    if isinstance(error, DomainPermissionDenied):
        raise PermissionDenied(str(error))
    for problem in error.messages if isinstance(error, RulesBroken) else [str(error)]:
        if form is not None:
            form.add_error(None, problem)
        else:
            messages.error(request, problem)


def _bank_of(request):
    if role_of(request.user) != OrganisationKind.BANK:
        raise PermissionDenied
    return organisation_of(request.user)


def products(request):
    """Public: the participating banks and their products (RULES.md §8.2 step 1)."""
    return render(request, "financing/products.html", {"products": published_products()})


@login_required
def bank_products(request):
    bank = _bank_of(request)
    return render(
        request,
        "financing/bank_products.html",
        {"products": Product.objects.filter(bank=bank).order_by("name", "pk")},
    )


@login_required
def product_edit(request, pk: int | None = None):
    bank = _bank_of(request)
    product = get_product_for_bank(user=request.user, pk=pk) if pk else Product(bank=bank)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_product(product=form.instance, acting_user=request.user)
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The product is saved."))
            return redirect("financing:bank_products")
    return render(request, "financing/product_form.html", {"form": form, "product": product})


@login_required
def applications(request):
    rows = applications_for_user(request.user)[:LIST_ROWS]
    return render(request, "financing/applications.html", {"applications": rows})


def _award_for_supplier(request, award_id: int):
    from evaluation.models import Award

    organisation = organisation_of(request.user)
    award = (
        Award.objects.select_related("lot__project__purchaser", "bid__supplier")
        .filter(pk=award_id, bid__supplier=organisation, notice_issued_at__isnull=False)
        .first()
        if organisation is not None
        else None
    )
    if award is None:
        raise Http404
    return award


@login_required
def apply(request, award_id: int):
    """The supplier applies with its award notice or contract, to one or more banks (§8.2 step 2)."""
    award = _award_for_supplier(request, award_id)
    form = ApplyForm(request.POST or None, products=published_products())
    if request.method == "POST" and form.is_valid():
        try:
            made = services.apply_for_financing(
                award=award,
                products=list(form.cleaned_data["products"]),
                amount=form.cleaned_data["amount"],
                term_months=form.cleaned_data["term_months"],
                acting_user=request.user,
            )
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(
                request,
                _("Applied to %(n)s bank(s): %(numbers)s.")
                % {"n": len(made), "numbers": "、".join(a.number for a in made)},
            )
            return redirect("financing:detail", made[0].pk)
    return render(
        request,
        "financing/apply.html",
        {"form": form, "award": award, "base": services.base_amount(award)},
    )


@login_required
def detail(request, pk: int):
    application = get_application_for_user(user=request.user, pk=pk)
    is_bank = organisation_of(request.user) == application.bank
    approve_initial = {
        "amount": application.amount,
        "rate": application.product.rate_min,
        "bank_name": application.product.collection_bank_name,
        "account_name": application.product.collection_account_name,
        "account_number": application.product.collection_account_number,
    }
    return render(
        request,
        "financing/detail.html",
        {
            "application": application,
            "is_bank": is_bank,
            "change": getattr(application, "account_change", None),
            "approve_form": ApproveForm(initial=approve_initial),
            "decline_form": DeclineForm(),
            "money_form": MoneyForm(),
            "account_form": AccountForm(
                initial={
                    "bank_name": application.collection_bank_name,
                    "account_name": application.collection_account_name,
                    "account_number": application.collection_account_number,
                }
            ),
        },
    )


def _act(request, pk: int, form_class, act, done: str):
    application = get_application_for_user(user=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("financing:detail", pk)
    try:
        act(application, form.cleaned_data)
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, done)
    return redirect("financing:detail", pk)


def _account(data) -> services.AccountValues:
    return services.AccountValues(data["bank_name"], data["account_name"], data["account_number"])


@login_required
@require_POST
def approve(request, pk: int):
    return _act(
        request,
        pk,
        ApproveForm,
        lambda a, d: services.approve_application(
            application=a,
            amount=d["amount"],
            rate=d["rate"],
            account=_account(d),
            note=d["note"],
            acting_user=request.user,
        ),
        _("The application is approved; the collection account is fixed."),
    )


@login_required
@require_POST
def decline(request, pk: int):
    return _act(
        request,
        pk,
        DeclineForm,
        lambda a, d: services.decline_application(
            application=a, note=d["note"], acting_user=request.user
        ),
        _("The application is declined."),
    )


@login_required
@require_POST
def disburse(request, pk: int):
    return _act(
        request,
        pk,
        MoneyForm,
        lambda a, d: services.record_disbursement(
            application=a, amount=d["amount"], disbursed_on=d["on"], acting_user=request.user
        ),
        _("The disbursement is recorded."),
    )


@login_required
@require_POST
def repay(request, pk: int):
    return _act(
        request,
        pk,
        MoneyForm,
        lambda a, d: services.record_repayment(
            application=a, amount=d["amount"], repaid_on=d["on"], acting_user=request.user
        ),
        _("The repayment is recorded."),
    )


@login_required
@require_POST
def change_account(request, pk: int):
    return _act(
        request,
        pk,
        AccountForm,
        lambda a, d: services.change_collection_account(
            application=a, account=_account(d), acting_user=request.user
        ),
        _("The collection account is changed."),
    )


@login_required
def notice_pdf(request, pk: int):
    """The financing notice (融资告知函) to the purchaser, once the bank approved."""
    application = get_application_for_user(user=request.user, pk=pk)
    if not application.has_notice:
        raise Http404
    response = HttpResponse(render_notice_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.number}-notice.pdf"'
    return response


def account_change(request, pk: int):
    change = get_account_change_for_user(user=request.user, pk=pk)
    organisation = organisation_of(request.user)
    contract = change.contract
    may_sign = organisation is not None and (
        (organisation.pk == contract.purchaser_id and not change.purchaser_signed_at)
        or (organisation.pk == contract.supplier_id and not change.supplier_signed_at)
    )
    form = PasswordForm(request.POST or None)
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sign_account_change(
                    change=change, password=form.cleaned_data["password"], acting_user=request.user
                )
            except DomainError as error:
                _report(request, error, form)
            else:
                messages.success(request, _("Your signature is recorded."))
                return redirect("financing:account_change", pk)
    return render(
        request,
        "financing/account_change.html",
        {"change": change, "form": form, "may_sign": may_sign, "application": change.application},
    )


def account_changes(request):
    """Public: the published account-change supplements (深圳: published)."""
    changes = (
        AccountChange.objects.filter(published_at__isnull=False)
        .select_related("contract", "application__bank")
        .order_by("-published_at")[:LIST_ROWS]
    )
    return render(request, "financing/account_changes.html", {"changes": changes})
