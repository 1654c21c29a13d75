"""Signing (issue 12 §2): both parties sign online, in either order, re-entering their password.

1. The first signature freezes the draft: the contract PDF is rendered once from the agreed data
   and the model text, and that exact file is what both parties sign.
2. Each signature adds the party's PAdES signature (contracts.pades) as an incremental update and
   records signer, organisation, time and the SHA-256 of the PDF as it stood when signed.
3. When both have signed: the one-day clock is met (RULES.md §17), the contract announcement is
   published (IR Art 50: within 2 working days, state and trade secrets left out — it is published
   at once) and the copy is filed with the bureau (GPL Art 47: within 7 working days — at once,
   the platform is the bureau's).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisation_of
from audit.services import record_event
from common.errors import DomainError, InvalidTransition, PermissionDenied
from documents.pdf import render_pdf
from documents.services import store_bytes
from procurement.blockers import refuse_signing_while_blocked
from procurement.models import AnnouncementKind
from procurement.services.announcements import publish_announcement

from .. import pades
from ..models import SME_CLAUSE, Contract, ContractState, Party, Signature
from ._base import transition

CONTRACT_PDF_USE = "contracts.contract_pdf"
WRONG_PASSWORD = _("The password is not right: sign again with your sign-in password.")
ONLY_PARTIES = _("Only the purchaser and the supplier of the contract sign it.")
ALREADY_SIGNED = _("Your organisation has already signed.")


def check_password(user, password: str) -> None:
    """The signer re-enters its password: a signature is a deliberate act of that person."""
    if not password or not user.check_password(password):
        raise DomainError(WRONG_PASSWORD, code="wrong_password")


def party_of(contract, user) -> str:
    organisation = organisation_of(user)
    party = contract.party_of(organisation.pk if organisation else None)
    if party is None:
        raise PermissionDenied(ONLY_PARTIES)
    return party


def contract_context(contract: Contract) -> dict[str, Any]:
    plan = getattr(contract, "acceptance_plan", None)
    return {
        "contract": contract,
        "items": list(contract.items.all()),
        "instalments": list(contract.instalments.all()),
        "plan": plan,
        "stages": list(plan.stages.all()) if plan else [],
        "sme_clause": SME_CLAUSE if contract.sme_clause else "",
        "template": contract.template,
        "award": contract.award,
    }


def render_contract_pdf(contract: Contract) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="contracts/pdf/contract.html", context=contract_context(contract)
        )


def add_signature(
    *, pdf: bytes, target: dict[str, Any], party: str, user, organisation, name: str, at
) -> Signature:
    """Sign `pdf` for `organisation` and record it; the caller locks the signed object."""
    signed = pades.sign(
        pdf,
        organisation=organisation,
        field_name=f"{party}",
        reason=f"{organisation.name} 签署",
    )
    stored = store_bytes(
        content=signed, name=f"{name}-{party}.pdf", use=CONTRACT_PDF_USE, acting_user=user
    )
    from .. import pki

    certificate = pki.organisation_keys(organisation).certificate
    return Signature.objects.create(
        **target,
        party=party,
        signer=user,
        organisation=organisation,
        signed_at=at,
        signed_sha256=hashlib.sha256(pdf).hexdigest(),
        signed_pdf=stored,
        certificate_subject=certificate.subject.rfc4514_string()[:300],
        certificate_serial=format(certificate.serial_number, "x"),
    )


def current_pdf(obj, render) -> bytes:
    """The PDF to sign now: the newest signed revision, or the draft rendered once."""
    if obj.pdf_id is not None:
        with obj.pdf.file.open("rb") as f:
            return f.read()
    return render(obj)


@transaction.atomic
def sign_contract(*, contract: Contract, password: str, acting_user) -> Contract:
    check_password(acting_user, password)
    party = party_of(contract, acting_user)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("purchaser", "supplier")
        .get(pk=contract.pk)
    )
    if contract.signatures.filter(party=party).exists():
        raise InvalidTransition(ALREADY_SIGNED, code="already_signed")
    if contract.state not in (
        ContractState.DRAFTED,
        ContractState.PURCHASER_SIGNED,
        ContractState.SUPPLIER_SIGNED,
    ):
        raise InvalidTransition(_("The contract is not open for signing."), code="wrong_state")
    refuse_signing_while_blocked(contract.lot)  # IR Art 54: an open question may change the result
    now = timezone.now()
    pdf = current_pdf(contract, render_contract_pdf)
    organisation = contract.purchaser if party == Party.PURCHASER else contract.supplier
    signature = add_signature(
        pdf=pdf,
        target={"contract": contract},
        party=party,
        user=acting_user,
        organisation=organisation,
        name=contract.number,
        at=now,
    )
    contract.pdf = signature.signed_pdf
    if contract.state == ContractState.DRAFTED:
        method = (
            contract.sign_first_as_purchaser
            if party == Party.PURCHASER
            else contract.sign_first_as_supplier
        )
        transition(
            contract,
            method,
            acting_user=acting_user,
            reason=f"signed by the {party}",
            action="contracts.contract.signed_by_party",
            organisation=organisation,
            data={"party": party, "sha256": signature.signed_sha256},
        )
        from .notices import ask_other_party_to_sign

        ask_other_party_to_sign(contract, signed_by=party)
        return contract
    transition(
        contract,
        contract.complete_signing,
        acting_user=acting_user,
        reason=f"signed by the {party}: signed by both",
        action="contracts.contract.signed",
        organisation=organisation,
        data={"party": party, "sha256": signature.signed_sha256},
        at=now,
    )
    _on_signed_by_both(contract, acting_user=acting_user, at=now)
    return contract


def announcement_data(contract: Contract) -> dict[str, Any]:
    """The contract announcement (IR Art 50): what both agreed, the secret parts left out (the
    bank account and the parts the contract marks as state or trade secrets are not in it)."""
    lot = contract.lot
    return {
        "contract": {
            "number": contract.number,
            "title": contract.title,
            "amount": str(contract.amount),
            "signed_at": contract.signed_at.isoformat() if contract.signed_at else None,
            "delivery_place": contract.delivery_place,
            "delivery_days": contract.delivery_days,
            "sme_clause": SME_CLAUSE if contract.sme_clause else "",
            "secrets_left_out": bool(contract.secret_parts.strip()),
        },
        "purchaser": {"name": contract.purchaser.name, "address": contract.purchaser.address},
        "supplier": {"name": contract.supplier.name, "address": contract.supplier.address},
        "lot": {"number": lot.number, "name": lot.name},
        "items": [
            {
                "name": item.name,
                "spec": item.spec,
                "quantity": str(item.quantity.normalize()),
                "unit": item.unit,
                "unit_price": str(item.unit_price),
            }
            for item in contract.items.all()
        ],
    }


def _on_signed_by_both(contract: Contract, *, acting_user, at) -> None:
    from .clocks import meet_signing_clocks
    from .notices import tell_parties_signed

    meet_signing_clocks(contract, at=at)
    # An advance is owed from signing (its schedule condition): its one-day clock starts now.
    from .payment import start_advance_payment_clock

    start_advance_payment_clock(contract, at=at, acting_user=acting_user)
    project = contract.lot.project
    contract.announcement = publish_announcement(
        kind=AnnouncementKind.CONTRACT,
        project=project,
        data=announcement_data(contract),
        acting_user=acting_user,
        organisation=contract.purchaser,
        lots=[contract.lot],
        lot=contract.lot,
        at=at,
        extra_search=f"{contract.number} {contract.supplier.name}",
    )
    contract.filed_at = at
    contract._history_user = acting_user
    contract._change_reason = "announced and filed"
    contract.save()
    record_event(
        action="contracts.contract.filed",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={"announcement": contract.announcement.pk},
    )
    tell_parties_signed(contract)
