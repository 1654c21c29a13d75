"""Payment (issue 12 §6, §4): vouchers, the one-day clock and the SME legal limit per instalment,
late interest (PAY Arts 9, 17), the undisputed part paid while another is disputed (H-4), the
supplier's confirmation and closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from accounts.todo import todo_items
from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from contracts.models import ContractState, InstalmentKind, PaymentInstalment
from contracts.selectors_payment import payment_status
from contracts.services.payment import (
    PAYMENT,
    PAYMENT_LIMIT,
    confirm_receipt,
    dispute_part,
    record_payment,
    settle_dispute,
)
from timers.models import Clock
from timers.services import sweep

from .builders import drafted_contract
from .payment_builders import accepted_contract, beijing, deliver, signed_contract
from .test_signing import SIGN_AT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in the source language (the site's default is zh-hans)."""
    with translation.override("en"):
        yield


UTC = dt.UTC


def instalment(contract, kind) -> PaymentInstalment:
    return contract.instalments.get(kind=kind)


def clock(subject, kind) -> Clock:
    return Clock.objects.for_subject(subject).get(kind=kind)


def pay(cast, contract, *, amount, voucher, paid_on, kind=InstalmentKind.FINAL, at=None):
    at = at or beijing(paid_on.year, paid_on.month, paid_on.day, 16, 0)
    with time_machine.travel(at, tick=False):
        return record_payment(
            contract=contract,
            kind=kind,
            voucher_number=voucher,
            paid_on=paid_on,
            amount=Decimal(amount),
            acting_user=cast.purchaser,
        )


def test_the_advance_is_owed_from_signing_on_a_one_day_clock_without_a_legal_limit(cast):
    contract = signed_contract(cast)  # signed Thursday 2026-03-26, 13:00 Beijing
    advance = instalment(contract, InstalmentKind.ADVANCE)
    assert advance.owed_since == SIGN_AT and advance.legal_due_on is None
    one_day = clock(advance, PAYMENT)
    assert one_day.due == dt.datetime(2026, 3, 27, 16, 0, tzinfo=UTC)  # 24:00 Friday
    assert one_day.responsible == contract.purchaser
    # PAY Art 9 runs from delivery: an advance has no legal limit clock.
    assert not Clock.objects.for_subject(advance).filter(kind=PAYMENT_LIMIT).exists()
    # The final part is not owed before acceptance.
    final = instalment(contract, InstalmentKind.FINAL)
    assert final.owed_since is None and not Clock.objects.for_subject(final).exists()
    with time_machine.travel(SIGN_AT + dt.timedelta(minutes=5), tick=False):
        [item] = [i for i in todo_items(cast.purchaser) if i.kind == "contracts.to_pay"]
    assert item.due == one_day.due and "30,000.00" in str(item.title)


def test_a_payment_meets_the_clock_asks_the_supplier_and_its_confirmation_ends_the_asking(cast):
    contract = signed_contract(cast)
    advance = instalment(contract, InstalmentKind.ADVANCE)
    payment = pay(
        cast,
        contract,
        kind=InstalmentKind.ADVANCE,
        amount="30000.00",
        voucher="PZ-001",
        paid_on=dt.date(2026, 3, 27),
        at=beijing(2026, 3, 27, 11, 0),
    )
    assert payment.instalment == advance and payment.late_interest == Decimal("0.00")
    assert clock(advance, PAYMENT).met_at == beijing(2026, 3, 27, 11, 0)
    assert not [i for i in todo_items(cast.purchaser) if i.kind == "contracts.to_pay"]
    [ask] = [i for i in todo_items(cast.supplier) if i.kind == "contracts.to_confirm_receipt"]
    assert "PZ-001" in str(ask.title)
    assert Event.objects.filter(action="contracts.payment.recorded").count() == 1
    assert payment.history.count() == 1
    with pytest.raises(PermissionDenied):
        confirm_receipt(payment=payment, acting_user=cast.purchaser)
    confirm_receipt(payment=payment, acting_user=cast.supplier)
    assert not [i for i in todo_items(cast.supplier) if i.kind == "contracts.to_confirm_receipt"]
    with pytest.raises(InvalidTransition):
        confirm_receipt(payment=payment, acting_user=cast.supplier)
    status = payment_status(contract)
    assert (status.paid, status.outstanding) == (Decimal("30000.00"), Decimal("70000.00"))
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED  # not accepted yet: not paid in full


def test_only_the_purchaser_records_and_every_wrong_value_is_refused_at_once(cast):
    contract = signed_contract(cast)
    for name in ["supplier", "supplier2", "bureau", "bank", "agency"]:
        with pytest.raises(PermissionDenied):
            record_payment(
                contract=contract,
                kind=InstalmentKind.ADVANCE,
                voucher_number="X",
                paid_on=dt.date(2026, 3, 27),
                amount=Decimal("1"),
                acting_user=getattr(cast, name),
            )
    pay(
        cast, contract, kind="advance", amount="10000", voucher="PZ-1", paid_on=dt.date(2026, 3, 27)
    )
    with pytest.raises(RulesBroken) as refused:
        pay(
            cast,
            contract,
            kind=InstalmentKind.ADVANCE,
            amount="20000.01",
            voucher="PZ-1",
            paid_on=dt.date(2026, 3, 29),
            at=beijing(2026, 3, 28, 9, 0),
        )
    messages = refused.value.messages
    assert len(messages) == 3
    assert "PZ-1" in messages[0] and "already recorded" in messages[0]
    assert "20,000.00" in messages[1]  # at most what is left of the advance
    assert "after today" in messages[2]
    with pytest.raises(RulesBroken) as refused:
        pay(
            cast, contract, kind="advance", amount="1", voucher="PZ-2", paid_on=dt.date(2026, 3, 25)
        )
    assert "before the contract was signed" in refused.value.messages[0]
    with pytest.raises(RulesBroken) as refused:
        record_payment(
            contract=contract,
            kind=InstalmentKind.STAGE,
            instalment=instalment(contract, InstalmentKind.FINAL),
            voucher_number="PZ-3",
            paid_on=dt.date(2026, 3, 27),
            amount=Decimal("1"),
            acting_user=cast.purchaser,
        )
    assert "Final payment" in refused.value.messages[0]
    assert contract.payments.count() == 1


def test_nothing_is_recorded_on_a_contract_that_is_not_signed(cast):
    contract = drafted_contract(cast)
    with pytest.raises(InvalidTransition):
        pay(cast, contract, kind="advance", amount="1", voucher="P", paid_on=dt.date(2026, 3, 26))


def test_acceptance_before_qingming_is_paid_by_the_end_of_the_tuesday_after_it(cast):
    # Accepted Friday 2026-04-03 15:00; 清明 2026-04-04 to 04-06: due 24:00 Tuesday 04-07.
    contract = accepted_contract(cast)
    final = instalment(contract, InstalmentKind.FINAL)
    assert final.owed_since == beijing(2026, 4, 3, 15, 0)
    assert clock(final, PAYMENT).due == beijing(2026, 4, 8, 0, 0)


def test_acceptance_before_a_make_up_saturday_is_due_at_its_end(cast):
    # Accepted Friday 2026-05-08; Saturday 05-09 is a make-up working day (劳动节调休).
    contract = signed_contract(cast)
    from .payment_builders import accept

    delivery = deliver(cast, contract, at=beijing(2026, 5, 7, 9, 0))
    contract = accept(cast, contract, delivery, at=beijing(2026, 5, 8, 15, 0))
    final = instalment(contract, InstalmentKind.FINAL)
    assert clock(final, PAYMENT).due == beijing(2026, 5, 10, 0, 0)


def test_the_sme_legal_limit_runs_beside_it_and_is_breached_once_after_the_due_date(cast):
    contract = accepted_contract(cast)
    final = instalment(contract, InstalmentKind.FINAL)
    # Accepted 04-03 within the agreed 5-day period: 30 days → Sunday 05-03 in the 劳动节
    # holiday (05-01 to 05-05) → the first working day after, Wednesday 05-06.
    assert final.legal_due_on == dt.date(2026, 5, 6)
    limit = clock(final, PAYMENT_LIMIT)
    assert limit.due == beijing(2026, 5, 7, 0, 0) and limit.responsible == contract.purchaser
    with time_machine.travel(beijing(2026, 5, 6, 23, 59), tick=False):
        sweep()
    limit.refresh_from_db()
    assert limit.breached_at is None
    with time_machine.travel(beijing(2026, 5, 7, 0, 1), tick=False):
        sweep()
        sweep()
    limit.refresh_from_db()
    assert limit.breached_at == limit.due
    assert (
        Event.objects.filter(
            action="timers.clock.breached", subject_object_id=str(limit.pk)
        ).count()
        == 1
    )


def test_a_large_supplier_has_the_one_day_clock_and_no_legal_limit(cast):
    contract = accepted_contract(cast, sme=False)
    final = instalment(contract, InstalmentKind.FINAL)
    assert final.legal_due_on is None
    assert Clock.objects.for_subject(final).get().kind == PAYMENT


def test_a_late_payment_to_an_sme_stores_its_interest_to_the_fen(cast):
    contract = accepted_contract(cast)
    # Ten days after the legal due date (05-06): 70,000 × 0.05 % × 10.
    payment = pay(cast, contract, amount="70000.00", voucher="PZ-9", paid_on=dt.date(2026, 5, 16))
    assert payment.late_interest == Decimal("350.00")
    limit = clock(instalment(contract, InstalmentKind.FINAL), PAYMENT_LIMIT)
    assert limit.met_at is not None


def test_an_agreed_rate_replaces_the_statutory_one(cast):
    contract = signed_contract(cast)
    contract.late_interest_daily_rate = Decimal("0.000300")
    contract.save()
    from .payment_builders import accept

    contract = accept(
        cast,
        contract,
        deliver(cast, contract, at=beijing(2026, 4, 1, 10, 0)),
        at=beijing(2026, 4, 3, 15, 0),
    )
    payment = pay(cast, contract, amount="12345.67", voucher="PZ-7", paid_on=dt.date(2026, 5, 9))
    # 3 days late: 12,345.67 × 0.03 % × 3 = 11.111103 → 11.11
    assert payment.late_interest == Decimal("11.11")


def test_the_undisputed_part_stays_owed_and_on_the_clock_while_another_is_disputed(cast):
    contract = accepted_contract(cast)
    final = instalment(contract, InstalmentKind.FINAL)
    with time_machine.travel(beijing(2026, 4, 7, 9, 0), tick=False):
        with pytest.raises(PermissionDenied):
            dispute_part(
                instalment=final, amount=Decimal("1"), reason="x", acting_user=cast.supplier
            )
        with pytest.raises(RulesBroken):
            dispute_part(
                instalment=final, amount=Decimal("70000.01"), reason="", acting_user=cast.purchaser
            )
        dispute = dispute_part(
            instalment=final,
            amount=Decimal("5000.00"),
            reason="两台设备屏幕有坏点，待更换",
            acting_user=cast.purchaser,
        )
    status = payment_status(contract).status_of(final.pk)
    assert (status.disputed, status.owed_now) == (Decimal("5000.00"), Decimal("65000.00"))
    one_day = clock(final, PAYMENT)
    assert one_day.met_at is None  # the rest is still owed
    titles = [str(i.title) for i in todo_items(cast.purchaser) if i.kind == "contracts.to_pay"]
    assert titles == ["Pay Advance payment: 30,000.00 yuan", "Pay Final payment: 65,000.00 yuan"]
    # The disputed part cannot be paid until the dispute is settled.
    with pytest.raises(RulesBroken) as refused:
        pay(cast, contract, amount="70000.00", voucher="PZ-A", paid_on=dt.date(2026, 4, 7))
    assert "settle the dispute first" in refused.value.messages[0]
    pay(cast, contract, amount="65000.00", voucher="PZ-A", paid_on=dt.date(2026, 4, 7))
    one_day.refresh_from_db()
    assert one_day.met_at is not None
    titles = [str(i.title) for i in todo_items(cast.purchaser) if i.kind == "contracts.to_pay"]
    assert titles == ["Pay Advance payment: 30,000.00 yuan"]
    # Settled: the part is owed again, on a new one-day clock.
    with time_machine.travel(beijing(2026, 4, 9, 10, 0), tick=False):
        settle_dispute(dispute=dispute, settlement="已更换，验收无误", acting_user=cast.purchaser)
        with pytest.raises(InvalidTransition):
            settle_dispute(dispute=dispute, settlement="again", acting_user=cast.purchaser)
    again = Clock.objects.for_subject(final).open().get(kind=PAYMENT)
    assert again.due == beijing(2026, 4, 11, 0, 0)
    assert payment_status(contract).status_of(final.pk).owed_now == Decimal("5000.00")


def test_accepted_and_paid_in_full_it_is_paid_and_closes_when_every_receipt_is_confirmed(cast):
    contract = accepted_contract(cast)
    first = pay(
        cast, contract, kind="advance", amount="30000", voucher="A1", paid_on=dt.date(2026, 4, 7)
    )
    second = pay(cast, contract, amount="70000", voucher="F1", paid_on=dt.date(2026, 4, 7))
    contract.refresh_from_db()
    assert contract.state == ContractState.PAID and contract.paid_at is not None
    with pytest.raises(InvalidTransition):  # nothing more to pay
        pay(cast, contract, amount="1", voucher="F2", paid_on=dt.date(2026, 4, 7))
    confirm_receipt(payment=first, acting_user=cast.supplier)
    contract.refresh_from_db()
    assert contract.state == ContractState.PAID  # one receipt still unconfirmed
    confirm_receipt(payment=second, acting_user=cast.supplier)
    contract.refresh_from_db()
    assert contract.state == ContractState.CLOSED and contract.closed_at is not None
    actions = list(
        Event.objects.filter(action__in=["contracts.contract.paid", "contracts.contract.closed"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["contracts.contract.paid", "contracts.contract.closed"]
