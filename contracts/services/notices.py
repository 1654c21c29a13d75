"""Who is told what about a contract (notifications), and the messages closed by each step."""

from __future__ import annotations

from django.urls import reverse

from notifications.services import close_notifications, notify_organisation

DRAFT_READY = "contracts.draft_ready"
SIGN_PLEASE = "contracts.sign_please"
SIGNED = "contracts.signed"


def _context(contract) -> dict:
    return {
        "number": contract.number,
        "title": contract.title,
        "purchaser": contract.purchaser.name,
        "url": reverse("contracts:detail", args=[contract.pk]),
    }


def tell_supplier_of_draft(contract) -> None:
    notify_organisation(
        organisation=contract.supplier,
        kind=DRAFT_READY,
        context=_context(contract),
        subject=contract,
        event="contracts.drafted",
    )


def ask_other_party_to_sign(contract, *, signed_by: str) -> None:
    signer, other = (
        (contract.purchaser, contract.supplier)
        if signed_by == "purchaser"
        else (contract.supplier, contract.purchaser)
    )
    close_notifications(kinds=[DRAFT_READY], subject=contract, organisation=signer)
    notify_organisation(
        organisation=other,
        kind=SIGN_PLEASE,
        context={**_context(contract), "other": signer.name},
        subject=contract,
        event=f"contracts.signed_by_{signed_by}",
    )


def tell_parties_signed(contract) -> None:
    close_notifications(kinds=[DRAFT_READY, SIGN_PLEASE], subject=contract)
    for organisation in (contract.purchaser, contract.supplier):
        notify_organisation(
            organisation=organisation,
            kind=SIGNED,
            context=_context(contract),
            subject=contract,
            event="contracts.signed",
        )
