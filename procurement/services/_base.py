"""Small pieces shared by the procurement services."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext

from common.errors import RulesBroken

from ..parameters import legal_parameter

# RulesBroken lives in common.errors (suppliers refuses with it too); imported from here as before.
__all__ = ["RulesBroken", "budget_ceiling_problems", "refuse_if"]


def refuse_if(problems: list[str]) -> None:
    if problems:
        raise RulesBroken(problems)


def budget_ceiling_problems(amount: Decimal | None) -> list[str]:
    """A budget above the bureau's ceiling (parameter "budget_ceiling"), refused as a likely
    typing error; the ceiling itself is allowed."""
    ceiling = legal_parameter("budget_ceiling")
    if amount is None or amount <= ceiling.value:
        return []
    return [
        gettext(
            "The budget of %(amount)s yuan is above the highest budget the platform accepts, "
            "%(ceiling)s yuan (%(source)s): check the amount for a typing error. If it is right, "
            "ask the finance bureau to raise the ceiling."
        )
        % {
            "amount": f"{amount:,.2f}",
            "ceiling": f"{ceiling.value:,.2f}",
            "source": ceiling.source,
        }
    ]
