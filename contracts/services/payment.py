"""Payment (issue 12 §6; RULES.md §10 and §17 "项目资金一日付"): the purchaser records each
payment with its voucher, may hold back a disputed part, and the supplier confirms receipt.

Rules, each refused with its own message (all at once where they are about the values):
1. Only the purchaser records a payment or disputes a part; only the supplier confirms receipt
   (issue 12 §9).
2. The purchaser pays from signing (an advance) until the contract is fully paid.
3. A voucher number is recorded once on a contract (a second entry of the same voucher is a
   mistake, not a second payment).
4. A payment pays one instalment of the schedule: the one named, or the earliest of its kind
   with an undisputed amount unpaid; it is at most that amount. The disputed part is settled
   first (RULES.md H-4), then paid.
5. The payment date is a real date: not after today (Beijing), not before signing.
6. Paid to an SME after the legal due date (保障中小企业款项支付条例 Art 9), the payment owes late
   interest (Art 17): the agreed daily rate or 0.05 %, from the day after the due date to the
   day of payment, to the fen (contracts.terms.late_interest). It is stored on the payment.
7. The undisputed part must be paid even when another part is disputed (PAY Arts 11–15, H-4):
   a disputed part is held back with its reason; the clock runs on the rest, and is met when
   the rest is paid; when the dispute is settled, the part is owed again on a new one-day clock.
8. Clocks, per instalment: `contracts.payment` starts when its condition is met — signing for
   an advance (the schedule's condition "when the contract is signed"; IR Art 51: pay as the
   contract says), acceptance for the rest (`start_payment_clocks`, called by the acceptance
   service) — and is due at 24:00 of the next working day (RULES.md §17, H-6). Beside it, for
   an SME supplier and an instalment after delivery, `contracts.payment_limit`: 24:00 of the
   legal due date (terms.payment_due). PAY protects SMEs only (Art 2 and Art 9: "机关、事业单位
   从中小企业采购"), so a large supplier has the one-day target and no legal limit clock;
   an advance has none either, the Art 9 term running from delivery.
9. Closing: the contract is PAID when it is accepted and the purchaser has recorded the whole
   amount; it CLOSES when the supplier has also confirmed receipt of every payment. A voucher is
   the purchaser's own statement; money is paid when it reaches the account the contract names
   (RULES.md H-5, 财库〔2019〕38号: "将资金支付到合同约定的供应商账户"), which only the supplier
   can confirm — so the contract stays open until it has.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import is_member, organisation_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from notifications.services import close_notifications, notify_organisation
from timers.models import Clock
from timers.registry import one_working_day_due
from timers.services import meet_clock, start_clock
from workdays.calendar import SHANGHAI

from ..models import (
    Acceptance,
    AcceptanceResult,
    Contract,
    ContractState,
    Delivery,
    InstalmentKind,
    Payment,
    PaymentCondition,
    PaymentDispute,
    PaymentInstalment,
)
from ..selectors_payment import PAYABLE_STATES, daily_rate, payment_status
from ..terms import late_interest, payment_due
from ._base import transition

PAYMENT = "contracts.payment"
PAYMENT_LIMIT = "contracts.payment_limit"
PAYMENT_RECORDED = "contracts.payment_recorded"
PAYMENT_DISPUTED = "contracts.payment_disputed"

ONLY_PURCHASER = gettext_lazy("Only the purchaser of the contract records its payments.")
ONLY_SUPPLIER = gettext_lazy("Only the supplier of the contract confirms receipt.")
NOT_PAYABLE = gettext_lazy(
    "Payments are recorded from signing until the contract is fully paid; this contract is not "
    "at that step."
)
ALREADY_CONFIRMED = gettext_lazy("Receipt of this payment is already confirmed.")
ALREADY_SETTLED = gettext_lazy("This dispute is already settled.")


def _end_of(day: dt.date) -> dt.datetime:
    """24:00 (Beijing) of `day`: a period's last day ends then (RULES.md R-T4)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("purchaser", "supplier")
        .get(pk=contract.pk)
    )


def _context(contract: Contract, **more) -> dict:
    from django.urls import reverse

    return {
        "number": contract.number,
        "title": contract.title,
        "purchaser": contract.purchaser.name,
        "url": reverse("contracts:detail", args=[contract.pk]),
        **more,
    }


# Clocks -----------------------------------------------------------------------------------------


def _start_clocks(instalment: PaymentInstalment, contract: Contract, *, at: dt.datetime) -> None:
    start_clock(
        subject=instalment,
        kind=PAYMENT,
        due=one_working_day_due(at),
        responsible=contract.purchaser,
        started=at,
    )
    if instalment.legal_due_on is not None:
        start_clock(
            subject=instalment,
            kind=PAYMENT_LIMIT,
            due=_end_of(instalment.legal_due_on),
            responsible=contract.purchaser,
            started=at,
        )


def _meet_paid_clocks(contract: Contract, *, at: dt.datetime) -> None:
    """Rule 7: an owed instalment whose undisputed part is paid has met its clocks."""
    for status in payment_status(contract).instalments:
        if status.is_owed and status.owed_now <= 0:
            meet_clock(subject=status.instalment, kind=PAYMENT, at=at)
            meet_clock(subject=status.instalment, kind=PAYMENT_LIMIT, at=at)


def _owe(contract: Contract, instalment: PaymentInstalment, *, at, legal_due_on, acting_user):
    instalment.owed_since = at
    instalment.legal_due_on = legal_due_on
    instalment.save(update_fields=["owed_since", "legal_due_on"])
    if payment_status(contract).status_of(instalment.pk).owed_now > 0:
        _start_clocks(instalment, contract, at=at)
    record_event(
        action="contracts.payment.owed",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={
            "instalment": instalment.position,
            "amount": instalment.amount,
            "legal_due_on": legal_due_on.isoformat() if legal_due_on else None,
        },
    )


def start_advance_payment_clock(contract: Contract, *, at: dt.datetime, acting_user=None) -> None:
    """Signed by both: the advance is owed from now (rule 8). Idempotent."""
    for instalment in contract.instalments.filter(
        condition=PaymentCondition.SIGNING, owed_since__isnull=True
    ):
        _owe(contract, instalment, at=at, legal_due_on=None, acting_user=acting_user)


def _delivered_on(contract: Contract, instalment: PaymentInstalment, accepted_on: dt.date):
    """The delivery the instalment pays for: that of the stage's (or the last) passed acceptance."""
    acceptances = Acceptance.objects.filter(
        contract=contract, result=AcceptanceResult.PASSED
    ).select_related("delivery")
    if instalment.stage_id is not None:
        acceptances = acceptances.filter(stage_id=instalment.stage_id)
    acceptance = acceptances.order_by("-recorded_at", "-id").first()
    if acceptance is not None:
        return acceptance.delivery.delivered_on
    delivery = Delivery.objects.filter(contract=contract).order_by("-delivered_on", "-id").first()
    return delivery.delivered_on if delivery is not None else accepted_on


def _legal_due_on(contract, instalment, *, accepted_on: dt.date) -> dt.date | None:
    """Rule 8: PAY Art 9 for an SME, after delivery (H-1, H-2 via terms.payment_due)."""
    if not contract.supplier_is_sme or instalment.kind == InstalmentKind.ADVANCE:
        return None
    return payment_due(
        delivered_on=_delivered_on(contract, instalment, accepted_on),
        acceptance_condition=contract.acceptance_condition,
        acceptance_days=contract.acceptance_days,
        accepted_on=accepted_on,
        term_days=contract.term_days,
    )


def _condition_met(contract: Contract, instalment: PaymentInstalment) -> bool:
    if instalment.condition == PaymentCondition.STAGE_ACCEPTED and instalment.stage_id:
        return Acceptance.objects.filter(
            contract=contract, stage_id=instalment.stage_id, result=AcceptanceResult.PASSED
        ).exists()
    if instalment.condition == PaymentCondition.SIGNING:
        return contract.signed_at is not None
    return contract.accepted_at is not None


@transaction.atomic
def start_payment_clocks(
    contract: Contract, *, accepted_on: dt.date, at: dt.datetime, acting_user=None
) -> None:
    """Acceptance passed (the acceptance service calls this): the instalments whose condition is
    now met are owed, each on its one-day clock and, for an SME, its legal limit. Idempotent."""
    contract = _lock(contract)
    for instalment in contract.instalments.filter(owed_since__isnull=True).order_by("position"):
        if not _condition_met(contract, instalment):
            continue
        legal = _legal_due_on(contract, instalment, accepted_on=accepted_on)
        _owe(contract, instalment, at=at, legal_due_on=legal, acting_user=acting_user)
    _settle(contract, acting_user=acting_user, at=at)


# Recording a payment ----------------------------------------------------------------------------


def _instalment_for(status, kind: str, instalment: PaymentInstalment | None):
    if instalment is not None:
        return status.status_of(instalment.pk)
    open_of_kind = [
        s for s in status.instalments if s.instalment.kind == kind and s.undisputed_unpaid > 0
    ]
    return open_of_kind[0] if open_of_kind else None


def payment_problems(
    contract: Contract,
    *,
    kind: str,
    voucher_number: str,
    paid_on: dt.date,
    amount: Decimal,
    instalment: PaymentInstalment | None,
) -> list[str]:
    """Rules 3–5, every problem at once."""
    problems: list[str] = []
    if not voucher_number:
        problems.append(_("Enter the payment voucher number."))
    elif Payment.objects.filter(contract=contract, voucher_number=voucher_number).exists():
        problems.append(
            _(
                "Voucher %(voucher)s is already recorded on this contract: a voucher is entered once."
            )
            % {"voucher": voucher_number}
        )
    if instalment is not None and instalment.contract_id != contract.pk:
        return [*problems, _("Choose an instalment of this contract.")]
    if instalment is not None and instalment.kind != kind:
        problems.append(
            _("Instalment %(n)s is a %(kind)s; record the payment as that kind.")
            % {"n": instalment.position, "kind": instalment.get_kind_display()}
        )
    status = payment_status(contract)
    target = _instalment_for(status, kind, instalment)
    if amount <= 0:
        problems.append(_("The amount must be more than zero."))
    elif target is None:
        problems.append(_("Nothing of this kind is left to pay on the schedule."))
    elif amount > target.undisputed_unpaid:
        problems.append(
            _(
                "At most %(room)s yuan of instalment %(n)s is left to pay (outstanding "
                "%(unpaid)s yuan, of which %(disputed)s yuan disputed: settle the dispute first)."
            )
            % {
                "room": f"{target.undisputed_unpaid:,.2f}",
                "n": target.instalment.position,
                "unpaid": f"{target.unpaid:,.2f}",
                "disputed": f"{target.disputed:,.2f}",
            }
        )
    today = timezone.localdate(timezone=SHANGHAI)
    if paid_on > today:
        problems.append(_("The payment date cannot be after today."))
    signed_on = (
        timezone.localtime(contract.signed_at, SHANGHAI).date() if contract.signed_at else None
    )
    if signed_on is not None and paid_on < signed_on:
        problems.append(_("The payment date cannot be before the contract was signed."))
    return problems


@transaction.atomic
def record_payment(
    *,
    contract: Contract,
    kind: str,
    voucher_number: str,
    paid_on: dt.date,
    amount: Decimal,
    acting_user,
    instalment: PaymentInstalment | None = None,
) -> Payment:
    """The purchaser records a payment it made (rules 1–6); the supplier is asked to confirm."""
    if not is_member(acting_user, contract.purchaser_id):
        raise PermissionDenied(ONLY_PURCHASER)
    contract = _lock(contract)
    if contract.state not in PAYABLE_STATES:
        raise InvalidTransition(NOT_PAYABLE, code="wrong_state")
    voucher_number = voucher_number.strip()
    if problems := payment_problems(
        contract,
        instalment=instalment,
        kind=kind,
        voucher_number=voucher_number,
        paid_on=paid_on,
        amount=amount,
    ):
        raise RulesBroken(problems)
    target = _instalment_for(payment_status(contract), kind, instalment)
    assert target is not None
    paid_to = target.instalment
    interest = Decimal("0.00")
    if contract.supplier_is_sme and paid_to.legal_due_on is not None:
        interest = late_interest(
            amount=amount,
            due=paid_to.legal_due_on,
            paid_on=paid_on,
            daily_rate=daily_rate(contract),
        )
    now = timezone.now()
    payment = Payment(
        contract=contract,
        instalment=paid_to,
        recorded_at=now,
        recorded_by=acting_user,
        late_interest=interest,
        kind=kind,
        voucher_number=voucher_number,
        paid_on=paid_on,
        amount=amount,
    )
    payment._history_user = acting_user
    payment._change_reason = "recorded"
    payment.save()
    record_event(
        action="contracts.payment.recorded",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={
            "voucher": voucher_number,
            "amount": amount,
            "paid_on": paid_on.isoformat(),
            "instalment": paid_to.position,
            "late_interest": interest,
        },
    )
    _meet_paid_clocks(contract, at=now)
    notify_organisation(
        organisation=contract.supplier,
        kind=PAYMENT_RECORDED,
        context=_context(contract, voucher=voucher_number, amount=f"{amount:,.2f}"),
        subject=payment,
        event="contracts.payment.recorded",
    )
    _settle(contract, acting_user=acting_user, at=now)
    return payment


@transaction.atomic
def confirm_receipt(*, payment: Payment, acting_user) -> Payment:
    """The supplier confirms the money reached its account (rule 9 closes the contract)."""
    if not is_member(acting_user, payment.contract.supplier_id):
        raise PermissionDenied(ONLY_SUPPLIER)
    contract = _lock(payment.contract)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.confirmed_by_supplier_at is not None:
        raise InvalidTransition(ALREADY_CONFIRMED, code="already_confirmed")
    now = timezone.now()
    payment.confirmed_by_supplier_at = now
    payment.confirmed_by = acting_user
    payment._history_user = acting_user
    payment._change_reason = "receipt confirmed"
    payment.save()
    record_event(
        action="contracts.payment.receipt_confirmed",
        actor=acting_user,
        organisation=contract.supplier,
        subject=contract,
        data={"voucher": payment.voucher_number, "amount": payment.amount},
    )
    close_notifications(kinds=[PAYMENT_RECORDED], subject=payment, organisation=contract.supplier)
    _settle(contract, acting_user=acting_user, at=now)
    return payment


# Disputes (H-4) -------------------------------------------------------------------------------


@transaction.atomic
def dispute_part(
    *, instalment: PaymentInstalment, amount: Decimal, reason: str, acting_user
) -> PaymentDispute:
    """The purchaser holds back a disputed part of an instalment with its reason (rule 7)."""
    if not is_member(acting_user, instalment.contract.purchaser_id):
        raise PermissionDenied(ONLY_PURCHASER)
    contract = _lock(instalment.contract)
    if contract.state not in PAYABLE_STATES:
        raise InvalidTransition(NOT_PAYABLE, code="wrong_state")
    status = payment_status(contract).status_of(instalment.pk)
    problems = []
    if not reason.strip():
        problems.append(_("Say what is disputed and why."))
    if amount <= 0:
        problems.append(_("The disputed amount must be more than zero."))
    elif amount > status.undisputed_unpaid:
        problems.append(
            _("At most %(room)s yuan of instalment %(n)s is unpaid and not yet disputed.")
            % {"room": f"{status.undisputed_unpaid:,.2f}", "n": instalment.position}
        )
    if problems:
        raise RulesBroken(problems)
    now = timezone.now()
    dispute = PaymentDispute(
        contract=contract,
        instalment=instalment,
        amount=amount,
        reason=reason.strip(),
        raised_at=now,
        raised_by=acting_user,
    )
    dispute._history_user = acting_user
    dispute._change_reason = "raised"
    dispute.save()
    record_event(
        action="contracts.payment.disputed",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={"instalment": instalment.position, "amount": amount, "reason": dispute.reason},
    )
    _meet_paid_clocks(contract, at=now)
    notify_organisation(
        organisation=contract.supplier,
        kind=PAYMENT_DISPUTED,
        context=_context(contract, amount=f"{amount:,.2f}", reason=dispute.reason),
        subject=contract,
        event="contracts.payment.disputed",
    )
    return dispute


@transaction.atomic
def settle_dispute(*, dispute: PaymentDispute, settlement: str, acting_user) -> PaymentDispute:
    """The dispute is settled: the part is owed again, on a new one-day clock (rule 7)."""
    if not is_member(acting_user, dispute.contract.purchaser_id):
        raise PermissionDenied(ONLY_PURCHASER)
    contract = _lock(dispute.contract)
    dispute = PaymentDispute.objects.select_for_update().get(pk=dispute.pk)
    if not dispute.is_open:
        raise InvalidTransition(ALREADY_SETTLED, code="already_settled")
    if not settlement.strip():
        raise RulesBroken([_("Say how the dispute was settled.")])
    now = timezone.now()
    dispute.settled_at = now
    dispute.settled_by = acting_user
    dispute.settlement = settlement.strip()
    dispute._history_user = acting_user
    dispute._change_reason = "settled"
    dispute.save()
    record_event(
        action="contracts.payment.dispute_settled",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={"amount": dispute.amount, "settlement": dispute.settlement},
    )
    instalment = dispute.instalment
    status = payment_status(contract).status_of(instalment.pk)
    running = Clock.objects.open().for_subject(instalment).filter(kind=PAYMENT).exists()
    if status.owed_now > 0 and not running:
        _start_clocks(instalment, contract, at=now)
    return dispute


# Paid in full, closed ----------------------------------------------------------------------------


def _settle(contract: Contract, *, acting_user, at: dt.datetime) -> None:
    """Rule 9: accepted and fully paid → PAID; every payment confirmed too → CLOSED."""
    status = payment_status(contract)
    if contract.state == ContractState.ACCEPTED and status.outstanding <= 0:
        transition(
            contract,
            contract.pay_in_full,
            acting_user=acting_user,
            reason="paid in full",
            action="contracts.contract.paid",
            organisation=organisation_of(acting_user) if acting_user else None,
            data={"paid": status.paid},
            at=at,
        )
    if contract.state == ContractState.PAID and not status.unconfirmed:
        transition(
            contract,
            contract.close,
            acting_user=acting_user,
            reason="closed: accepted, paid in full and every payment received",
            action="contracts.contract.closed",
            organisation=organisation_of(acting_user) if acting_user else None,
            at=at,
        )
