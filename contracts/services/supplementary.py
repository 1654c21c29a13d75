"""Supplementary contracts (issue 12 §3; GPL Art 49, RULES.md F-8), signed like the contract.

"采购人需追加与合同标的相同的货物、工程或者服务的，在不改变合同其他条款的前提下，可以与供应商协商
签订补充合同，但所有补充合同的采购金额不得超过原合同采购金额的百分之十。"

1. Only the contract's own items, at their unit prices (the same subject, the other terms
   unchanged); the purchaser drafts once the contract is signed.
2. All supplementary contracts together, this one included, at most 10 % of the original amount
   (parameter add_on_purchase_max); above it the draft is refused, naming what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import is_member
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from documents.pdf import render_pdf
from procurement.parameters import legal_parameter

from ..models import (
    Contract,
    ContractItem,
    Party,
    SupplementaryContract,
    SupplementaryItem,
    SupplementaryState,
)
from ._base import transition
from .signing import ALREADY_SIGNED, add_signature, check_password, current_pdf, party_of

CENT = Decimal("0.01")


@dataclass
class SupplementaryValues:
    reason: str
    quantities: dict[int, Decimal]  # contract item id → additional quantity


def add_on_room(contract: Contract) -> Decimal:
    """What supplementary contracts may still add: 10 % of the amount, less those drafted."""
    share = legal_parameter("add_on_purchase_max").value
    ceiling = (contract.amount * share / 100).quantize(CENT)
    used = contract.supplementaries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return ceiling - used


@transaction.atomic
def draft_supplementary(
    *, contract: Contract, values: SupplementaryValues, acting_user
) -> SupplementaryContract:
    if not is_member(acting_user, contract.purchaser_id):
        raise PermissionDenied(_("Only the purchaser drafts a supplementary contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_signed:
        raise InvalidTransition(
            _("A supplementary contract follows a signed contract."), code="not_signed"
        )
    items = {item.pk: item for item in contract.items.all()}
    problems = []
    if not values.reason.strip():
        problems.append(_("Say why more is needed."))
    lines = [(items.get(pk), qty) for pk, qty in values.quantities.items() if qty]
    if not lines or any(item is None for item, _qty in lines):
        problems.append(_("Add more of the contract's own items only (GPL Art 49)."))
    amount = sum(
        ((qty * item.unit_price).quantize(CENT) for item, qty in lines if item is not None),
        Decimal("0"),
    )
    room = add_on_room(contract)
    parameter = legal_parameter("add_on_purchase_max")
    if amount > room:
        problems.append(
            _(
                "Supplementary contracts together may add at most %(share)s %% of the contract "
                "amount, %(ceiling)s yuan (%(source)s); %(room)s yuan is left and this one "
                "comes to %(amount)s yuan."
            )
            % {
                "share": f"{parameter.value:g}",
                "ceiling": f"{(contract.amount * parameter.value / 100).quantize(CENT):,.2f}",
                "source": parameter.source,
                "room": f"{room:,.2f}",
                "amount": f"{amount:,.2f}",
            }
        )
    if problems:
        raise RulesBroken(problems)
    number = contract.supplementaries.count() + 1
    supplementary = SupplementaryContract(
        contract=contract,
        number=number,
        reason=values.reason.strip(),
        amount=amount,
        drafted_at=timezone.now(),
        drafted_by=acting_user,
    )
    supplementary._history_user = acting_user
    supplementary._change_reason = "drafted"
    supplementary.save()
    SupplementaryItem.objects.bulk_create(
        SupplementaryItem(supplementary=supplementary, item=item, quantity=qty)
        for item, qty in lines
        if isinstance(item, ContractItem)
    )
    record_event(
        action="contracts.supplementary.drafted",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=supplementary,
        data={"contract": contract.number, "amount": amount},
    )
    return supplementary


def render_supplementary_pdf(supplementary: SupplementaryContract) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="contracts/pdf/supplementary.html",
            context={
                "supplementary": supplementary,
                "contract": supplementary.contract,
                "items": list(supplementary.items.select_related("item")),
            },
        )


@transaction.atomic
def sign_supplementary(
    *, supplementary: SupplementaryContract, password: str, acting_user
) -> SupplementaryContract:
    check_password(acting_user, password)
    party = party_of(supplementary.contract, acting_user)
    supplementary = (
        SupplementaryContract.objects.select_for_update(of=("self",))
        .select_related("contract", "contract__purchaser", "contract__supplier")
        .get(pk=supplementary.pk)
    )
    if supplementary.signatures.filter(party=party).exists():
        raise InvalidTransition(ALREADY_SIGNED, code="already_signed")
    contract = supplementary.contract
    organisation = contract.purchaser if party == Party.PURCHASER else contract.supplier
    now = timezone.now()
    signature = add_signature(
        pdf=current_pdf(supplementary, render_supplementary_pdf),
        target={"supplementary": supplementary},
        party=party,
        user=acting_user,
        organisation=organisation,
        name=f"{contract.number}-S{supplementary.number}",
        at=now,
    )
    supplementary.pdf = signature.signed_pdf
    if supplementary.state == SupplementaryState.DRAFTED:
        method = (
            supplementary.sign_first_as_purchaser
            if party == Party.PURCHASER
            else supplementary.sign_first_as_supplier
        )
        kwargs = {}
    else:
        method = supplementary.complete_signing
        kwargs = {"at": now}
    both = supplementary.state != SupplementaryState.DRAFTED
    transition(
        supplementary,
        method,
        acting_user=acting_user,
        reason=f"signed by the {party}",
        action=(
            "contracts.supplementary.signed" if both else "contracts.supplementary.signed_by_party"
        ),
        organisation=organisation,
        data={"party": party, "sha256": signature.signed_sha256},
        **kwargs,
    )
    return supplementary
