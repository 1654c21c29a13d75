"""What a contract has paid, owes and owes late (issue 12 §6–§7): read once, used by the payment
services, the contract page, the voucher list, the supplier's "owed to me" page and the to-do.

1. Each payment counts against its instalment; a payment without one (none is recorded so by
   contracts.services.payment, which links every payment) fills the instalments in order.
2. An instalment is owed from the moment its condition was met (`owed_since`); the part the
   purchaser disputes (RULES.md H-4) is held back, the rest is owed now.
3. For an SME supplier an instalment after delivery has a legal due date (保障中小企业款项支付条例
   Art 9, contracts.terms.payment_due); what is unpaid after it accrues late interest to today
   (Art 17, contracts.terms.late_interest): the contract's agreed rate, or 0.05 % a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Contract, ContractState, Payment, PaymentDispute, PaymentInstalment
from .terms import DEFAULT_DAILY_RATE, late_interest

ZERO = Decimal("0.00")
# States in which the purchaser pays: from signing (an advance) until fully paid.
PAYABLE_STATES = (
    ContractState.SIGNED,
    ContractState.DELIVERED,
    ContractState.ACCEPTED,
    ContractState.REJECTED,
)


def is_payable(contract: Contract) -> bool:
    """Whether the purchaser records payments on the contract now (rule 2 of the services)."""
    return contract.state in PAYABLE_STATES


def daily_rate(contract: Contract) -> Decimal:
    """PAY Art 17: the agreed rate, or 万分之五 a day without one."""
    rate = contract.late_interest_daily_rate
    return rate if rate is not None else DEFAULT_DAILY_RATE


@dataclass
class InstalmentStatus:
    instalment: PaymentInstalment
    paid: Decimal = ZERO
    disputed: Decimal = ZERO  # the open disputes' amounts
    disputes: list[PaymentDispute] = field(default_factory=list)

    @property
    def unpaid(self) -> Decimal:
        return self.instalment.amount - self.paid

    @property
    def undisputed_unpaid(self) -> Decimal:
        return max(self.unpaid - self.disputed, ZERO)

    @property
    def is_owed(self) -> bool:
        return self.instalment.owed_since is not None

    @property
    def owed_now(self) -> Decimal:
        """What must be paid now: owed, unpaid and not disputed (H-4)."""
        return self.undisputed_unpaid if self.is_owed else ZERO

    def days_overdue(self, today: dt.date) -> int:
        due = self.instalment.legal_due_on
        if due is None or self.owed_now <= 0 or today <= due:
            return 0
        return (today - due).days

    def interest(self, today: dt.date, rate: Decimal) -> Decimal:
        """Late interest accrued to `today` on what is overdue (to the fen)."""
        if not self.days_overdue(today):
            return ZERO
        assert self.instalment.legal_due_on is not None
        return late_interest(
            amount=self.owed_now, due=self.instalment.legal_due_on, paid_on=today, daily_rate=rate
        )


@dataclass
class PaymentStatus:
    """A contract's payments at a glance."""

    contract: Contract
    instalments: list[InstalmentStatus]
    payments: list[Payment]

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.contract.amount - self.paid

    @property
    def disputed(self) -> Decimal:
        return sum((s.disputed for s in self.instalments), ZERO)

    @property
    def owed_now(self) -> Decimal:
        return sum((s.owed_now for s in self.instalments), ZERO)

    @property
    def owing(self) -> list[InstalmentStatus]:
        return [s for s in self.instalments if s.owed_now > 0]

    @property
    def owed_since(self) -> dt.datetime | None:
        return min((s.instalment.owed_since for s in self.owing), default=None)  # type: ignore[type-var]

    @property
    def legal_due_on(self) -> dt.date | None:
        dues = [s.instalment.legal_due_on for s in self.owing if s.instalment.legal_due_on]
        return min(dues, default=None)

    def days_overdue(self, today: dt.date) -> int:
        return max((s.days_overdue(today) for s in self.instalments), default=0)

    def interest_accrued(self, today: dt.date) -> Decimal:
        """Interest to today on the overdue unpaid parts (PAY Art 17)."""
        rate = daily_rate(self.contract)
        return sum((s.interest(today, rate) for s in self.instalments), ZERO)

    @property
    def interest_on_late_payments(self) -> Decimal:
        """Interest owed on payments already made after their legal due date."""
        return sum((p.late_interest for p in self.payments), ZERO)

    @property
    def disputes(self) -> list[PaymentDispute]:
        return [d for s in self.instalments for d in s.disputes]

    @property
    def unconfirmed(self) -> list[Payment]:
        return [p for p in self.payments if p.confirmed_by_supplier_at is None]

    def status_of(self, instalment_id: int) -> InstalmentStatus:
        return next(s for s in self.instalments if s.instalment.pk == instalment_id)


def with_payment_rows(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Prefetch what `payment_status` reads: three queries whatever the number of contracts."""
    return contracts.prefetch_related(
        Prefetch("instalments", queryset=PaymentInstalment.objects.order_by("position")),
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related("instalment").order_by("paid_on", "id"),
        ),
        Prefetch(
            "disputes",
            queryset=PaymentDispute.objects.select_related("instalment").order_by(
                "raised_at", "id"
            ),
        ),
    )


def payment_status(contract: Contract) -> PaymentStatus:
    """Paid, disputed and owed per instalment (rows prefetched by with_payment_rows, or read)."""
    instalments = sorted(contract.instalments.all(), key=lambda i: i.position)
    payments = sorted(contract.payments.all(), key=lambda p: (p.paid_on, p.pk))
    statuses = {i.pk: InstalmentStatus(instalment=i) for i in instalments}
    for dispute in contract.disputes.all():
        status = statuses.get(dispute.instalment_id)
        if status is not None:
            status.disputes.append(dispute)
            if dispute.is_open:
                status.disputed += dispute.amount
    unlinked = []
    for payment in payments:
        if payment.instalment_id in statuses:
            statuses[payment.instalment_id].paid += payment.amount
        else:
            unlinked.append(payment.amount)
    for amount in unlinked:  # rule 1: fill the instalments in order
        for status in statuses.values():
            part = min(amount, status.unpaid)
            status.paid += part
            amount -= part
            if amount <= 0:
                break
    return PaymentStatus(contract=contract, instalments=list(statuses.values()), payments=payments)


@dataclass(frozen=True)
class OwedRow:
    """One line of the supplier's "owed to me" page."""

    contract: Contract
    status: PaymentStatus
    days_overdue: int
    interest: Decimal


def owed_to_supplier(organisation_id: int, *, today: dt.date) -> list[OwedRow]:
    """The supplier's signed contracts with an amount outstanding, the longest owed first."""
    contracts = with_payment_rows(
        Contract.objects.filter(supplier_id=organisation_id, state__in=PAYABLE_STATES)
        .select_related("purchaser", "lot", "lot__project")
        .order_by("signed_at", "id")
    )
    rows = []
    for contract in contracts:
        status = payment_status(contract)
        if status.outstanding <= 0:
            continue
        rows.append(
            OwedRow(
                contract=contract,
                status=status,
                days_overdue=status.days_overdue(today),
                interest=status.interest_accrued(today) + status.interest_on_late_payments,
            )
        )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: (r.status.owed_since or far, r.contract.pk))


# Access helpers: a payment or a dispute is seen by whoever sees its contract (contracts.rules);
# anyone else gets 404, its id revealing nothing.


def get_payment_for_user(*, user, pk: int) -> Payment:
    payment = (
        Payment.objects.select_related("contract", "contract__purchaser", "contract__supplier")
        .filter(pk=pk)
        .first()
    )
    if payment is None or not user.has_perm("contracts.view_contract", payment.contract):
        raise Http404
    return payment


def get_dispute_for_user(*, user, pk: int) -> PaymentDispute:
    dispute = (
        PaymentDispute.objects.select_related(
            "contract", "contract__purchaser", "contract__supplier", "instalment"
        )
        .filter(pk=pk)
        .first()
    )
    if dispute is None or not user.has_perm("contracts.view_contract", dispute.contract):
        raise Http404
    return dispute
