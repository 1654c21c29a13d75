"""Credit tests start from real projects made through the services: an evaluation reported and
its result confirmed (node 1), and a contract signed, delivered and accepted (node 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from credit.models import CreditEvaluation, Node
from credit.services import ItemValue, submit_evaluation
from credit.services.evaluations import manual_indicators
from evaluation.services import confirm_result, submit_report
from tests.evaluation.award_builders import scoring_evaluation

REPORTED_AT = dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC)  # Friday before Qingming
CONFIRMED_AT = dt.datetime(2026, 4, 7, 3, 0, tzinfo=dt.UTC)  # Tuesday, 11:00 Beijing
# Five working days after Tuesday 7 April: Tuesday 14 April, 24:00 Beijing.
TASK_DUE = dt.datetime(2026, 4, 14, 16, 0, tzinfo=dt.UTC)


def awarded_scene(cast, *, agency: bool = True, **plan_fields):
    """Node 1 reached through the services: the report submitted, the result confirmed.

    `agency`: the project names cast.agency as its entrusted agency. The evaluation builder
    runs the procurement as the purchaser (its services refuse anyone else), so the agency is
    written onto the project after the evaluation, before the result: the node reads it then.
    """
    scene = scoring_evaluation(cast, **plan_fields)
    if agency:
        from procurement.models import Project

        Project.objects.filter(pk=scene.lot.project_id).update(
            agency=cast.agency.memberships.get().organisation
        )
        scene.lot.refresh_from_db()
    with time_machine.travel(REPORTED_AT, tick=False):
        scene.evaluation = submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    with time_machine.travel(CONFIRMED_AT, tick=False):
        scene.extra["award"] = confirm_result(
            evaluation=scene.evaluation, acting_user=cast.purchaser
        )
    return scene


def tasks(**filters):
    return CreditEvaluation.objects.filter(
        rater_kind__in=["purchaser", "agency", "expert", "supplier"], **filters
    )


def full_marks(evaluation, **deductions) -> dict[int, ItemValue]:
    """Every item at its full points, except `code=(points, comment)` deductions."""
    values = {}
    for indicator in manual_indicators(evaluation):
        points, comment = deductions.get(indicator.code, (indicator.points, ""))
        values[indicator.pk] = ItemValue(points=Decimal(points), comment=comment)
    return values


def give(evaluation, user, *, at=CONFIRMED_AT + dt.timedelta(days=1), **deductions):
    with time_machine.travel(at, tick=False):
        return submit_evaluation(
            evaluation=evaluation, values=full_marks(evaluation, **deductions), acting_user=user
        )


N1 = Node.AFTER_EVALUATION
N2 = Node.AFTER_ACCEPTANCE
