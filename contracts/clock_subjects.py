"""What the contracts clocks are about, for the dashboards (timers.subjects): the award a
contract is owed for, and the contract itself (the acceptance and payment steps)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from accounts.selectors import is_member
from evaluation.models import Award
from timers.subjects import ClockSubject

from .models import Contract


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
