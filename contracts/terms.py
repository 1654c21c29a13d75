"""When an SME must be paid, and the interest a late payment owes (issue 12 §6).

Public so that the rules can be checked from outside. The rules, RULES.md §10 and §2:

1. 《保障中小企业款项支付条例》（国务院令第802号修订，2025-06-01起施行）Art 9 (RULES.md H-1):
   a government body or public institution buying from an SME pays within 30 days of delivery
   (交付); a contract may agree another term, but never more than 60 days.
2. The same regulation, on acceptance as a payment condition (RULES.md H-2): the term runs from
   the day acceptance is passed; the contract agrees the acceptance period, and when the buyer
   delays acceptance the term runs from the end of that period.
3. Periods (RULES.md §2, R-T1; 民法典 Arts 201–203): the start day is not counted; the last day
   of an N-day period is N days after it; a last day that is not a working day moves to the next
   working day. The due date is that last day: paying on it is on time.
4. Late interest (RULES.md H-3; the regulation's Art 17): without an agreed rate, 0.05 % of the
   unpaid amount a day (万分之五), simple interest, for each day after the due date up to and
   including the day of payment, rounded half up to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from workdays.calendar import SHANGHAI, interval_last_day

STATUTORY_TERM_DAYS = 30  # Art 9: "自货物、工程、服务交付之日起30日内支付款项"
MAX_AGREED_TERM_DAYS = 60  # Art 9: "付款期限最长不得超过60日"
DEFAULT_DAILY_RATE = Decimal("0.0005")  # Art 17 (RULES.md H-3): 万分之五 a day
FEN = Decimal("0.01")


def last_day(start: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` calendar days starting on `start` (not counted), a
    last day that is not a working day moved to the next working day (RULES.md §2)."""
    if days < 1:
        return start
    noon = dt.datetime.combine(start, dt.time(12, 0), tzinfo=SHANGHAI)
    return interval_last_day(noon, days, working=False)


def payment_due(
    *,
    delivered_on: dt.date,
    acceptance_condition: bool,
    acceptance_days: int | None,
    accepted_on: dt.date | None,
    term_days: int | None,
) -> dt.date:
    """The last day on which the SME may be paid on time (Beijing dates).

    1. The term runs from delivery, or — when acceptance is a payment condition — from the day
       acceptance was passed, or from the end of the agreed acceptance period when acceptance
       came later (or has not come yet).
    2. The term is 30 days, or the contract's `term_days`, capped at 60.
    """
    start = delivered_on
    if acceptance_condition:
        if acceptance_days is None:
            raise ValueError("acceptance as a payment condition needs the agreed acceptance days")
        window_end = last_day(delivered_on, acceptance_days)
        if accepted_on is not None and accepted_on < delivered_on:
            raise ValueError("acceptance cannot come before delivery")
        start = accepted_on if accepted_on is not None and accepted_on <= window_end else window_end
    term = STATUTORY_TERM_DAYS if term_days is None else min(term_days, MAX_AGREED_TERM_DAYS)
    return last_day(start, term)


def late_interest(
    *,
    amount: Decimal,
    due: dt.date,
    paid_on: dt.date,
    daily_rate: Decimal = DEFAULT_DAILY_RATE,
) -> Decimal:
    """Interest on `amount` paid on `paid_on` after its `due` date, to the fen (0 when on time)."""
    days = (paid_on - due).days
    if days <= 0:
        return Decimal("0.00")
    return (Decimal(amount) * Decimal(daily_rate) * days).quantize(FEN, rounding=ROUND_HALF_UP)
