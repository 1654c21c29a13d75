"""What contracts asks of each role (accounts.todo): the purchaser drafts and signs, the supplier
reviews the draft and signs; each item due when the one-day signing clock is due."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from evaluation.models import Award
from timers.models import Clock

from .models import Contract, ContractState, Party
from .services.clocks import SIGNING


def _signing_dues(award_ids: list[int]) -> dict[int, object]:
    clocks = Clock.objects.open().filter(
        kind=SIGNING,
        subject_type=ContentType.objects.get_for_model(Award),
        subject_id__in=award_ids,
    )
    return {clock.subject_id: clock.due for clock in clocks}


def _subject(contract_or_award) -> str:
    lot = contract_or_award.lot
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def _unsigned(owed: Owed, party: str):
    field = "purchaser" if party == Party.PURCHASER else "supplier"
    return (
        Contract.objects.filter(
            **{field: owed.organisation},
            state__in=[
                ContractState.DRAFTED,
                ContractState.SUPPLIER_SIGNED
                if party == Party.PURCHASER
                else ContractState.PURCHASER_SIGNED,
            ],
        )
        .select_related("lot", "lot__project")
        .order_by("drafted_at", "id")
    )


def purchaser_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.PURCHASER:
        return
    awards = list(
        Award.objects.filter(
            lot__project__purchaser=owed.organisation,
            notice_issued_at__isnull=False,
            contract__isnull=True,
        ).select_related("lot", "lot__project")
    )
    contracts = list(_unsigned(owed, Party.PURCHASER))
    dues = _signing_dues([a.pk for a in awards] + [c.award_id for c in contracts])
    for award in awards:
        yield TodoItem(
            kind="contracts.to_draft",
            title=_("Draft the contract"),
            subject=_subject(award),
            url=reverse("contracts:draft", args=[award.pk]),
            due=dues.get(award.pk),  # type: ignore[arg-type]
        )
    for contract in contracts:
        yield TodoItem(
            kind="contracts.to_sign",
            title=_("Sign the contract"),
            subject=_subject(contract),
            url=reverse("contracts:detail", args=[contract.pk]),
            due=dues.get(contract.award_id),  # type: ignore[arg-type]
        )


def supplier_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    contracts = list(_unsigned(owed, Party.SUPPLIER))
    dues = _signing_dues([c.award_id for c in contracts])
    for contract in contracts:
        reviewing = (
            contract.state == ContractState.DRAFTED and contract.supplier_accepted_at is None
        )
        yield TodoItem(
            kind="contracts.to_review" if reviewing else "contracts.to_sign",
            title=_("Review the contract draft") if reviewing else _("Sign the contract"),
            subject=_subject(contract),
            url=reverse("contracts:detail", args=[contract.pk]),
            due=dues.get(contract.award_id),  # type: ignore[arg-type]
        )


PROVIDERS = [purchaser_items, supplier_items]
