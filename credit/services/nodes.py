"""The two nodes (K-7 "分节点"): the evaluations that open by themselves.

1. After the evaluation (the award is made): the parties of the lot are its purchaser, its
   agency (when entrusted), the experts seated on its committee and the suppliers that bid.
2. After acceptance (the contract's final acceptance passed): the contract's purchaser and
   supplier, and the lot's agency.
3. The catalogue version in force at that moment is the one every evaluation of the node uses.
4. Who rates whom follows the catalogue's manual indicators of the node (K-7: the purchaser is
   rated by the agency, experts and suppliers; the agency by the purchaser and experts; the
   expert by the purchaser and agency; the supplier by the purchaser): one task per rater and
   rated party that have at least one indicator between them, never a party rating itself.
5. Each task is due in five working days (D198 Arts 21–22; CreditParameters), a clock with
   reminders whose due action lapses it, and an item on the rater's to-do.
6. The platform's own evaluation of each party holds the node's automatic indicators.
Opening a node twice changes nothing (one evaluation per scope, node, rated and rater).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.services import record_event
from notifications.services import notify, notify_organisation
from timers.services import start_clock
from workdays.calendar import period_end

from ..models import (
    CatalogueVersion,
    CreditEvaluation,
    CreditParameters,
    Node,
    PartyKind,
    RaterKind,
    party_key,
)

TASK_CLOCK = "credit.evaluation_task"
TASK_NOTICE = "credit.task_assigned"
PLATFORM_KEY = "platform"


@dataclass(frozen=True)
class Party:
    kind: str
    organisation: Any = None
    expert: Any = None

    @property
    def key(self) -> str:
        return party_key(self.kind, (self.expert or self.organisation).pk)


def version_in_force(at: dt.datetime) -> CatalogueVersion | None:
    """The catalogue version in force at `at`: the latest that took effect by then."""
    return (
        CatalogueVersion.objects.filter(effective_from__lte=at)
        .order_by("-effective_from", "-pk")
        .first()
    )


def participants(*, lot, node: str, contract=None) -> dict[str, list[Party]]:
    """The parties of the lot at this node, by kind (rule 1 and 2 above)."""
    from bidding.models import Bid, BidState
    from experts.models import Member, MemberKind, MemberState

    project = lot.project
    found: dict[str, list[Party]] = {kind: [] for kind in PartyKind.values}
    if project.agency_id:
        found[PartyKind.AGENCY] = [Party(PartyKind.AGENCY, organisation=project.agency)]
    if node == Node.AFTER_EVALUATION:
        found[PartyKind.PURCHASER] = [Party(PartyKind.PURCHASER, organisation=project.purchaser)]
        seats = (
            Member.objects.filter(
                committee__lot=lot, kind=MemberKind.EXPERT, state=MemberState.ACCEPTED
            )
            .select_related("user")
            .order_by("pk")
        )
        found[PartyKind.EXPERT] = [Party(PartyKind.EXPERT, expert=seat.user) for seat in seats]
        bids = (
            Bid.objects.filter(lot=lot)
            .exclude(state__in=[BidState.DRAFT, BidState.WITHDRAWN, BidState.REPLACED])
            .select_related("supplier")
            .order_by("pk")
        )
        suppliers = {bid.supplier_id: bid.supplier for bid in bids}
        found[PartyKind.SUPPLIER] = [
            Party(PartyKind.SUPPLIER, organisation=org) for org in suppliers.values()
        ]
    else:
        found[PartyKind.PURCHASER] = [Party(PartyKind.PURCHASER, organisation=contract.purchaser)]
        found[PartyKind.SUPPLIER] = [Party(PartyKind.SUPPLIER, organisation=contract.supplier)]
    return found


def _scope(*, lot, node: str, contract) -> str:
    return f"lot:{lot.pk}" if node == Node.AFTER_EVALUATION else f"contract:{contract.pk}"


def _create(
    *, version, lot, contract, node, rated: Party, rater: Party | None, due
) -> CreditEvaluation | None:
    """The evaluation of `rated` by `rater` (None: the platform), unless it exists already."""
    scope = _scope(lot=lot, node=node, contract=contract)
    rater_key = rater.key if rater else PLATFORM_KEY
    if CreditEvaluation.objects.filter(
        scope=scope, node=node, rated_key=rated.key, rater_key=rater_key
    ).exists():
        return None
    evaluation = CreditEvaluation(
        version=version,
        lot=lot,
        contract=contract,
        node=node,
        scope=scope,
        rated_kind=rated.kind,
        rated_key=rated.key,
        rated_organisation=rated.organisation,
        rated_expert=rated.expert,
        rater_kind=rater.kind if rater else RaterKind.PLATFORM,
        rater_key=rater_key,
        rater_organisation=rater.organisation if rater else None,
        rater_expert=rater.expert if rater else None,
        due=due,
    )
    evaluation._change_reason = gettext_noop("opened at the node")
    try:
        with transaction.atomic():  # a concurrent opening of the same node wins the constraint
            evaluation.save()
    except IntegrityError:
        return None
    return evaluation


def open_node(*, lot, node: str, contract=None, at: dt.datetime | None = None) -> list[Any]:
    """Open the node's evaluations (see the module's rules); returns those created now."""
    from .evaluations import score_platform_evaluation

    at = at or timezone.now()
    version = version_in_force(at)
    if version is None:
        return []
    indicators = list(version.indicators.filter(node=node))
    parties = participants(lot=lot, node=node, contract=contract)
    params = CreditParameters.current()
    due = period_end(at, params.task_working_days, working=True)
    created: list[CreditEvaluation] = []
    with transaction.atomic():
        # 6. The platform's own evaluation, for every party with an automatic indicator here.
        for rated_kind in sorted({i.rated for i in indicators if i.is_auto}):
            for rated in parties[rated_kind]:
                evaluation = _create(
                    version=version,
                    lot=lot,
                    contract=contract,
                    node=node,
                    rated=rated,
                    rater=None,
                    due=None,
                )
                if evaluation is not None:
                    score_platform_evaluation(evaluation=evaluation, now=at)
                    created.append(evaluation)
        # 4. The raters' tasks.
        pairs = sorted(
            {(rater_kind, i.rated) for i in indicators if not i.is_auto for rater_kind in i.raters}
        )
        for rater_kind, rated_kind in pairs:
            for rater in parties.get(rater_kind, []):
                for rated in parties[rated_kind]:
                    if rater.key == rated.key:
                        continue
                    evaluation = _create(
                        version=version,
                        lot=lot,
                        contract=contract,
                        node=node,
                        rated=rated,
                        rater=rater,
                        due=due,
                    )
                    if evaluation is not None:
                        _assign(evaluation, rater=rater, at=at)
                        created.append(evaluation)
    return created


def _assign(evaluation: CreditEvaluation, *, rater: Party, at: dt.datetime) -> None:
    """5. The task's clock, its notice to the rater, and its audit event."""
    assert evaluation.due is not None
    start_clock(
        subject=evaluation,
        kind=TASK_CLOCK,
        due=evaluation.due,
        responsible=rater.organisation,  # an expert has none: its notice goes to it directly
        started=at,
    )
    context = {
        "evaluation": evaluation,
        "project": evaluation.lot.project,
        "lot": evaluation.lot,
        "rated": evaluation.rated_name,
        "due": evaluation.due,
        "url": reverse("credit:give", args=[evaluation.pk]),
    }
    if rater.expert is not None:
        notify(recipients=[rater.expert], kind=TASK_NOTICE, context=context, subject=evaluation)
    else:
        notify_organisation(
            organisation=rater.organisation, kind=TASK_NOTICE, context=context, subject=evaluation
        )
    record_event(
        action="credit.evaluation.assigned",
        actor=None,
        organisation=rater.organisation,
        subject=evaluation,
        data={
            "node": evaluation.node,
            "rated": evaluation.rated_key,
            "rater": evaluation.rater_key,
            "due": evaluation.due,
            "version": evaluation.version_id,
        },
    )
