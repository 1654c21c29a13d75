"""What payment registers with the lower apps: its clock kinds, to-do, home section, labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _acceptance_passed(sender, *, contract, acceptance, final, **kwargs) -> None:
    """A passed acceptance (of a stage or of the whole) makes the instalments it conditions owed."""
    from .services.payment import start_payment_clocks

    start_payment_clocks(
        contract,
        accepted_on=acceptance.accepted_on,
        at=acceptance.recorded_at,
        acting_user=acceptance.recorded_by,
    )


def connect() -> None:
    from accounts.home import register_home_section
    from accounts.todo import register_todo_provider
    from audit.labels import register_action_labels
    from timers.registry import register_clock_kind

    from . import todo_payment
    from .home_payment import supplier_owed_section
    from .services.acceptance import acceptance_passed
    from .services.payment import PAYMENT, PAYMENT_LIMIT

    # RULES.md §17 "项目资金一日付": paid by the end of the next working day after it is owed.
    register_clock_kind(PAYMENT, label=_("Payment made (one working day)"))
    # 保障中小企业款项支付条例 Art 9: an SME paid within 30 days (at most 60 agreed).
    register_clock_kind(
        PAYMENT_LIMIT, label=_("SME paid by the legal due date (保障中小企业款项支付条例 Art 9)")
    )
    for provider in todo_payment.PROVIDERS:
        register_todo_provider(provider)
    register_home_section(supplier_owed_section)
    acceptance_passed.connect(_acceptance_passed, dispatch_uid="contracts.payment_on_acceptance")
    register_action_labels(
        {
            "contracts.payment.owed": _("Payment owed"),
            "contracts.payment.recorded": _("Payment recorded"),
            "contracts.payment.receipt_confirmed": _("Receipt of a payment confirmed"),
            "contracts.payment.disputed": _("Part of a payment disputed"),
            "contracts.payment.dispute_settled": _("Payment dispute settled"),
            "contracts.contract.paid": _("Contract paid in full"),
            "contracts.contract.closed": _("Contract closed"),
        }
    )
