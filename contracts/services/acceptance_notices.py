"""Who is told what about deliveries and acceptances, and the messages each step closes."""

from __future__ import annotations

from django.urls import reverse

from notifications.services import close_notifications, notify_organisation

ACCEPT_PLEASE = "contracts.accept_please"
ACCEPTANCE_RECORDED = "contracts.acceptance_recorded"


def _context(contract) -> dict:
    return {"number": contract.number, "title": contract.title}


def ask_purchaser_to_accept(delivery) -> None:
    contract = delivery.contract
    notify_organisation(
        organisation=contract.purchaser,
        kind=ACCEPT_PLEASE,
        context={
            **_context(contract),
            "supplier": contract.supplier.name,
            "stage": delivery.stage.name if delivery.stage else "",
            "url": reverse("contracts:record_acceptance", args=[delivery.pk]),
        },
        subject=delivery,
        event="contracts.delivery.declared",
    )


def tell_supplier_of_acceptance(acceptance) -> None:
    contract = acceptance.contract
    close_notifications(kinds=[ACCEPT_PLEASE], subject=acceptance.delivery)
    notify_organisation(
        organisation=contract.supplier,
        kind=ACCEPTANCE_RECORDED,
        context={
            **_context(contract),
            "result": acceptance.get_result_display(),
            "url": reverse("contracts:acceptance", args=[acceptance.pk]),
        },
        subject=acceptance,
        event="contracts.acceptance.recorded",
    )


def close_sign_report(acceptance) -> None:
    close_notifications(kinds=[ACCEPTANCE_RECORDED], subject=acceptance)
