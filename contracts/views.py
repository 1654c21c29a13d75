"""Contract pages: access helper → form → service → message → redirect (STYLE.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import is_member, organisation_of
from common.errors import DomainError, RulesBroken
from common.links import link
from documents.views import file_response
from evaluation.models import Award

from . import services
from .forms import CommentForm, DraftForm, SignForm, SupplementaryForm
from .models import SME_CLAUSE, ContractState, Party
from .selectors import contracts_for_user, get_contract_for_user, get_supplementary_for_user
from .services.signing import contract_context, render_contract_pdf
from .services.supplementary import add_on_room


def _report(request, error: DomainError, form=None) -> None:
    problems = error.messages if isinstance(error, RulesBroken) else [str(error)]
    for problem in problems:
        if form is not None:
            form.add_error(None, problem)
        else:
            messages.error(request, problem)


@login_required
def contract_list(request):
    """The bureau: every contract, with its filing copy (GPL Art 47); a party: its own."""
    contracts = contracts_for_user(request.user).order_by("-drafted_at", "-id")
    return render(request, "contracts/list.html", {"contracts": contracts[:200]})


def _award_for_drafting(user, award_id: int) -> Award:
    award = (
        Award.objects.select_related("lot", "lot__project", "bid__supplier")
        .filter(pk=award_id)
        .first()
    )
    if award is None or not is_member(user, award.lot.project.purchaser_id):
        raise Http404
    return award


@login_required
def draft(request, award_id: int):
    award = _award_for_drafting(request.user, award_id)
    existing = getattr(award, "contract", None)
    if existing is not None:
        return redirect("contracts:detail", existing.pk)
    form = DraftForm(
        request.POST or None, initial=DraftForm.initial_from(services.initial_values(award))
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.draft_contract(
                award=award, values=form.values(), acting_user=request.user
            )
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The draft is sent to the supplier."))
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/draft.html", {"form": form, "award": award, "contract": None})


@login_required
def edit(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.draft_contract", contract):
        raise PermissionDenied
    current = services.DraftValues(
        title=contract.title,
        delivery_place=contract.delivery_place,
        delivery_days=contract.delivery_days,
        delivery_terms=contract.delivery_terms,
        acceptance_method=contract.acceptance_plan.method,
        acceptance_days=contract.acceptance_days,
        advance_share=contract.advance_share,
        supplier_bank_name=contract.supplier_bank_name,
        supplier_account_name=contract.supplier_account_name,
        supplier_account_number=contract.supplier_account_number,
        items=[
            services.ItemValues(
                name=i.name, spec=i.spec, quantity=i.quantity, unit=i.unit, unit_price=i.unit_price
            )
            for i in contract.items.all()
        ],
        stages=[
            services.StageValues(name=s.name, checks=s.checks)
            for s in contract.acceptance_plan.stages.all()
        ],
        acceptance_condition=contract.acceptance_condition,
        term_days=contract.term_days,
        special_terms=contract.special_terms,
        secret_parts=contract.secret_parts,
    )
    form = DraftForm(request.POST or None, initial=DraftForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(contract=contract, values=form.values(), acting_user=request.user)
        except DomainError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The draft is changed; the supplier reviews it again."))
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/draft.html",
        {"form": form, "award": contract.award, "contract": contract},
    )


@login_required
def detail(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    organisation = organisation_of(request.user)
    party = contract.party_of(organisation.pk if organisation else None)
    signatures = list(contract.signatures.select_related("organisation", "signer"))
    signed_parties = {s.party for s in signatures}
    return render(
        request,
        "contracts/detail.html",
        {
            **contract_context(contract),
            "party": party,
            "is_draft": contract.state == ContractState.DRAFTED,
            "may_edit": party == Party.PURCHASER and contract.state == ContractState.DRAFTED,
            "may_accept": party == Party.SUPPLIER
            and contract.state == ContractState.DRAFTED
            and contract.supplier_accepted_at is None,
            "may_sign": party is not None
            and party not in signed_parties
            and not contract.is_signed
            and contract.state != ContractState.TERMINATED,
            "may_add_on": party == Party.PURCHASER and contract.is_signed,
            "signatures": signatures,
            "comments": contract.comments.select_related("organisation", "author"),
            "supplementaries": contract.supplementaries.all(),
            "comment_form": CommentForm(),
            "sign_form": SignForm(),
            "sme_clause_text": SME_CLAUSE,
            "announcement_url": link("public_announcement", contract.announcement_id)
            if contract.announcement_id
            else "",
        },
    )


@login_required
@require_POST
def comment(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_draft(
                contract=contract, text=form.cleaned_data["text"], acting_user=request.user
            )
        except DomainError as error:
            _report(request, error)
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def accept(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    try:
        services.accept_draft(contract=contract, acting_user=request.user)
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("You accepted the draft. Sign it when ready."))
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def sign(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            contract = services.sign_contract(
                contract=contract, password=form.cleaned_data["password"], acting_user=request.user
            )
        except DomainError as error:
            _report(request, error)
        else:
            messages.success(
                request,
                _("Signed by both parties: the contract is announced and filed.")
                if contract.is_signed
                else _("Signed. The other party is asked to sign."),
            )
    return redirect("contracts:detail", contract.pk)


@login_required
def pdf(request, pk: int):
    """The signed PDF (newest revision), or a preview of the draft (unsigned, not stored)."""
    contract = get_contract_for_user(user=request.user, pk=pk)
    if contract.pdf is not None:
        return file_response(contract.pdf)
    response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{contract.number}-draft.pdf"'
    return response


@login_required
def supplementary_new(request, pk: int):
    contract = get_contract_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("contracts.draft_contract", contract):
        raise PermissionDenied
    form = SupplementaryForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            supplementary = services.draft_supplementary(
                contract=contract, values=form.values(), acting_user=request.user
            )
        except DomainError as error:
            _report(request, error, form)
        else:
            return redirect("contracts:supplementary", supplementary.pk)
    return render(
        request,
        "contracts/supplementary_new.html",
        {"form": form, "contract": contract, "room": add_on_room(contract)},
    )


@login_required
def supplementary(request, pk: int):
    supplementary = get_supplementary_for_user(user=request.user, pk=pk)
    organisation = organisation_of(request.user)
    party = supplementary.contract.party_of(organisation.pk if organisation else None)
    form = SignForm(request.POST or None)
    if request.method == "POST":
        if party is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sign_supplementary(
                    supplementary=supplementary,
                    password=form.cleaned_data["password"],
                    acting_user=request.user,
                )
            except DomainError as error:
                _report(request, error)
            else:
                messages.success(request, _("Signed."))
            return redirect("contracts:supplementary", supplementary.pk)
    signatures = list(supplementary.signatures.select_related("organisation"))
    return render(
        request,
        "contracts/supplementary.html",
        {
            "supplementary": supplementary,
            "contract": supplementary.contract,
            "items": supplementary.items.select_related("item"),
            "signatures": signatures,
            "may_sign": party is not None and party not in {s.party for s in signatures},
            "sign_form": form,
        },
    )


@login_required
def supplementary_pdf(request, pk: int):
    supplementary = get_supplementary_for_user(user=request.user, pk=pk)
    if supplementary.pdf is None:
        raise Http404
    return file_response(supplementary.pdf)
