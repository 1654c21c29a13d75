"""What the financing app registers with the lower apps (DESIGN.md "Apps and layers")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from accounts.home import register_home_section
    from accounts.todo import register_todo_provider
    from contracts.payee import register_payee_lookup
    from timers.registry import register_clock_kind

    from . import audit_labels, home, rules, todo  # noqa: F401  (they register themselves)
    from .parameters import register_parameters
    from .selectors import payee_for_award
    from .services import DISBURSE_CLOCK, REVIEW_CLOCK

    register_parameters()
    register_clock_kind(REVIEW_CLOCK, label=_("Financing application decided by the bank"))
    register_clock_kind(DISBURSE_CLOCK, label=_("Approved financing disbursed by the bank"))
    # RULES.md §8.2 steps 3–5: contracts' drafting and payment ask for the collection account.
    register_payee_lookup(payee_for_award)
    for provider in todo.PROVIDERS:
        register_todo_provider(provider)
    register_home_section(home.section)
