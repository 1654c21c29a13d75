"""What the contracts clocks are about, for the dashboards (timers.subjects): the award a
contract is owed for, and the contract itself (the acceptance and payment steps)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from accounts.selectors import is_member
from evaluation.models import Award
from timers.subjects import ClockSubject

from .models import Contract, Delivery, PaymentInstalment


def award_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    """An awarded lot: its contract once drafted; before that the purchaser drafts it, and the
    others read the award notice."""
    found: dict[int, ClockSubject] = {}
    awards = Award.objects.filter(pk__in=ids).select_related("lot", "lot__project", "contract")
    for award in awards:
        contract = getattr(award, "contract", None)
        if contract is not None:
            url = reverse("contracts:detail", args=[contract.pk])
        elif is_member(user, award.lot.project.purchaser_id):
            url = reverse("contracts:draft", args=[award.pk])
        else:
            url = reverse("evaluation:award_notice", args=[award.pk])
        found[award.pk] = ClockSubject(str(award.lot), url)
    return found


def contract_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    contracts = Contract.objects.filter(pk__in=ids).select_related("lot", "lot__project")
    return {
        contract.pk: ClockSubject(
            f"{contract.number} · {contract.lot}", reverse("contracts:detail", args=[contract.pk])
        )
        for contract in contracts
    }


def delivery_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    """A declared delivery waiting for its acceptance (contracts.acceptance): the contract page,
    where the purchaser records it."""
    deliveries = Delivery.objects.filter(pk__in=ids).select_related(
        "contract", "contract__lot", "contract__lot__project"
    )
    return {
        delivery.pk: ClockSubject(
            f"{delivery.contract.number} · {delivery.contract.lot}",
            reverse("contracts:detail", args=[delivery.contract_id]),
        )
        for delivery in deliveries
    }


def instalment_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    """An instalment owed (contracts.payment, contracts.payment_limit): the contract's page."""
    instalments = PaymentInstalment.objects.filter(pk__in=ids).select_related(
        "contract", "contract__lot", "contract__lot__project"
    )
    return {
        instalment.pk: ClockSubject(
            f"{instalment.contract.number} · {instalment.get_kind_display()}",
            reverse("contracts:detail", args=[instalment.contract_id]),
        )
        for instalment in instalments
    }
