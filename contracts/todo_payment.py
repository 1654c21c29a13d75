"""What payment asks of each role (accounts.todo): the purchaser pays each instalment owed, due
when its one-day clock is due, the legal due date beside it; the supplier confirms each payment
it received. An item goes when the instalment's undisputed part is paid, or the receipt is
confirmed."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from timers.models import Clock

from .models import Contract, Payment, PaymentInstalment
from .selectors_payment import PAYABLE_STATES, payment_status, with_payment_rows
from .services.payment import PAYMENT
from .todo import _subject


def _payment_dues(instalment_ids: list[int]) -> dict[int, object]:
    clocks = Clock.objects.open().filter(
        kind=PAYMENT,
        subject_type=ContentType.objects.get_for_model(PaymentInstalment),
        subject_id__in=instalment_ids,
    )
    return {clock.subject_id: clock.due for clock in clocks}


def purchaser_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.PURCHASER:
        return
    contracts = with_payment_rows(
        Contract.objects.filter(purchaser=owed.organisation, state__in=PAYABLE_STATES)
        .select_related("lot", "lot__project")
        .order_by("signed_at", "id")
    )
    owing = [(c, s) for c in contracts for s in payment_status(c).owing]
    dues = _payment_dues([s.instalment.pk for _c, s in owing])
    for contract, status in owing:
        legal = status.instalment.legal_due_on
        yield TodoItem(
            kind="contracts.to_pay",
            title=_("Pay %(kind)s: %(amount)s yuan")
            % {"kind": status.instalment.get_kind_display(), "amount": f"{status.owed_now:,.2f}"},
            subject=_subject(contract),
            url=reverse("contracts:payment_new", args=[contract.pk]),
            due=dues.get(status.instalment.pk),  # type: ignore[arg-type]
            note=_("Legal due date %(date)s") % {"date": date_format(legal, "Y-m-d")}
            if legal
            else "",
        )


def supplier_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    payments = (
        Payment.objects.filter(
            contract__supplier=owed.organisation, confirmed_by_supplier_at__isnull=True
        )
        .select_related("contract__lot__project")
        .order_by("recorded_at", "id")
    )
    for payment in payments:
        yield TodoItem(
            kind="contracts.to_confirm_receipt",
            title=_("Confirm receipt of %(amount)s yuan (voucher %(voucher)s)")
            % {"amount": f"{payment.amount:,.2f}", "voucher": payment.voucher_number},
            subject=_subject(payment.contract),
            url=reverse("contracts:payments", args=[payment.contract_id]),
        )


PROVIDERS = [purchaser_items, supplier_items]
