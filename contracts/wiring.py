"""What the contracts app registers with the lower apps (DESIGN.md "Apps and layers")."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from django.urls import reverse

    from accounts.todo import register_todo_provider
    from common.links import register_link
    from documents.access import register_file_access
    from documents.uses import MB, register_file_use
    from evaluation.models import Award
    from procurement.lot_links import register_lot_links
    from timers.registry import register_clock_kind

    from . import audit_labels, rules, todo  # noqa: F401  (rules and labels register themselves)
    from .access import contract_file_access
    from .parameters import register_parameters
    from .selectors import contract_lot_links
    from .services.clocks import SIGNING, SIGNING_LIMIT, award_saved
    from .services.signing import CONTRACT_PDF_USE

    register_parameters()
    register_file_use(
        CONTRACT_PDF_USE, allowed={"pdf"}, max_bytes=20 * MB, label=_("Signed contract")
    )
    register_file_access(contract_file_access)
    # RULES.md §17 "采购合同一日签": the one-day target, reminded and escalated.
    register_clock_kind(SIGNING, label=_("Contract signed by both (one working day)"))
    # GPL Art 46: the legal limit, 30 days from the award notice.
    register_clock_kind(SIGNING_LIMIT, label=_("Contract signed within 30 days (GPL Art 46)"))
    # evaluation (layer 4) issues the award notice; the clocks start when it is saved issued.
    post_save.connect(award_saved, sender=Award, dispatch_uid="contracts.award_saved")
    register_lot_links(contract_lot_links)
    register_link("contract", lambda pk: reverse("contracts:detail", args=[pk]))
    for provider in todo.PROVIDERS:
        register_todo_provider(provider)
    from . import payment_wiring

    payment_wiring.connect()
    # Delivery and acceptance (issue 12 §5).
    from .wiring_acceptance import connect as connect_acceptance

    connect_acceptance()
    # --- dashboards (issue 12 §7) ----------------------------------------------------------
    from accounts.home import register_home_section
    from timers.subjects import register_clock_subjects

    from . import dashboard
    from .clock_subjects import (
        award_subjects,
        contract_subjects,
        delivery_subjects,
        instalment_subjects,
    )

    register_clock_subjects(award_subjects, kinds=[SIGNING, SIGNING_LIMIT])
    register_clock_subjects(contract_subjects, models=["contracts.contract"])
    register_clock_subjects(delivery_subjects, models=["contracts.delivery"])
    register_clock_subjects(instalment_subjects, models=["contracts.paymentinstalment"])
    register_home_section(dashboard.purchaser_section)
