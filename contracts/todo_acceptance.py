"""What delivery and acceptance ask of each role (accounts.todo).

- The supplier: deliver (again, after a failed acceptance) the next stage of each contract in
  force, due at the end of the contract's delivery period (`delivery_days` calendar days after
  signing, RULES.md §2); countersign each acceptance report the purchaser signed.
- The purchaser: record the acceptance of each delivery waiting, due when its one-day clock is.
Each item is read from the state of the matter, so it goes the moment the step is done.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from timers.models import Clock
from workdays.calendar import period_end

from .models import Acceptance, AcceptanceResult, Contract, Delivery, Party
from .selectors_acceptance import DELIVERABLE_STATES, deliveries_with_acceptances
from .services.acceptance import ACCEPTANCE, next_stage, waiting_delivery
from .todo import _subject


def _stage_note(stage) -> str:
    return _("Stage %(number)s: %(name)s") % {"number": stage.number, "name": stage.name}


def supplier_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    contracts = list(
        Contract.objects.filter(supplier=owed.organisation, state__in=DELIVERABLE_STATES)
        .select_related("lot", "lot__project", "acceptance_plan")
        .prefetch_related("acceptance_plan__stages")
        .order_by("signed_at", "id")
    )
    by_contract: dict[int, list[Delivery]] = {}
    for delivery in deliveries_with_acceptances([c.pk for c in contracts]):
        by_contract.setdefault(delivery.contract_id, []).append(delivery)
    for contract in contracts:
        deliveries = by_contract.get(contract.pk, [])
        plan = getattr(contract, "acceptance_plan", None)
        stages = list(plan.stages.all()) if plan is not None else []
        left, stage = next_stage(stages, deliveries)
        if not left or waiting_delivery(deliveries) is not None:
            continue
        again = bool(deliveries) and deliveries[-1].acceptance.result != AcceptanceResult.PASSED
        yield TodoItem(
            kind="contracts.to_deliver",
            title=_("Deliver again") if again else _("Declare delivery"),
            subject=_subject(contract),
            url=reverse("contracts:deliver", args=[contract.pk]),
            due=period_end(contract.signed_at, contract.delivery_days, working=False)
            if contract.signed_at
            else None,
            note=_stage_note(stage) if stage is not None and len(stages) > 1 else "",
        )
    unsigned = (
        Acceptance.objects.filter(contract__supplier=owed.organisation)
        .exclude(signatures__party=Party.SUPPLIER)
        .select_related("contract", "contract__lot", "contract__lot__project")
        .order_by("recorded_at", "id")
    )
    for acceptance in unsigned:
        yield TodoItem(
            kind="contracts.to_sign_acceptance",
            title=_("Sign the acceptance report"),
            subject=_subject(acceptance.contract),
            url=reverse("contracts:acceptance", args=[acceptance.pk]),
            note=str(acceptance.get_result_display()),
        )


def purchaser_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.PURCHASER:
        return
    waiting = list(
        Delivery.objects.filter(contract__purchaser=owed.organisation, acceptance__isnull=True)
        .select_related("contract", "contract__lot", "contract__lot__project", "stage")
        .order_by("declared_at", "id")
    )
    clocks = Clock.objects.open().filter(
        kind=ACCEPTANCE,
        subject_type=ContentType.objects.get_for_model(Delivery),
        subject_id__in=[d.pk for d in waiting],
    )
    dues = {clock.subject_id: clock.due for clock in clocks}
    for delivery in waiting:
        yield TodoItem(
            kind="contracts.to_accept",
            title=_("Record the acceptance"),
            subject=_subject(delivery.contract),
            url=reverse("contracts:record_acceptance", args=[delivery.pk]),
            due=dues.get(delivery.pk),
            note=_stage_note(delivery.stage) if delivery.stage is not None else "",
        )


PROVIDERS = [supplier_items, purchaser_items]
