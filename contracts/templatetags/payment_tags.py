"""The payment section of the contract page reads its presenter here, so the page's view stays
as it is (the section is one include)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from workdays.calendar import SHANGHAI

from ..selectors_payment import daily_rate, is_payable, payment_status

register = template.Library()


@register.simple_tag(takes_context=True)
def payment_panel(context, contract) -> dict:
    """Paid, outstanding, owed per instalment, legal due date and interest accrued to today."""
    user = context["request"].user
    today = timezone.localdate(timezone=SHANGHAI)
    status = payment_status(contract)
    rate = daily_rate(contract)
    return {
        "status": status,
        "today": today,
        "rate_percent": (rate * 100).normalize(),
        "rows": [
            {
                "s": s,
                "days_overdue": s.days_overdue(today),
                "interest": s.interest(today, rate),
            }
            for s in status.instalments
        ],
        "interest": status.interest_accrued(today),
        "days_overdue": status.days_overdue(today),
        "may_record": user.has_perm("contracts.record_payment", contract) and is_payable(contract),
    }
