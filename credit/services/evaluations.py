"""Giving an evaluation, its lapse, and the platform's evaluation from the record.

1. The rater gives every manual indicator of its task: points from 0 to the indicator's, and a
   comment for any deduction; every problem is refused at once.
2. A task not given by its due moment lapses (the clock's due action) and is recorded against
   the rater: the seed city sanctions it ("未按要求参与评价的将按照规定进行处理", K-7), here by
   CreditParameters.missed_task_deduction from the rater's own score.
3. An evaluation's score is its points as a share of 100, over the items that count (an item
   not applicable or not settled yet counts neither way).
4. The platform's items not settled when the node opened are read again each day until they
   are (credit.tasks.refresh_credit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.services import record_event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied, RulesBroken
from timers.services import meet_clock

from .. import automatic
from ..models import CreditEvaluation, EvaluationState, Indicator, ItemScore, RaterKind
from .nodes import TASK_CLOCK

NOT_THE_RATER = gettext_lazy("Only the party asked for this evaluation may give it.")
NOT_OPEN = gettext_lazy("This evaluation has already been given or has lapsed.")
TOO_LATE = gettext_lazy("The time to give this evaluation has passed.")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class ItemValue:
    points: Decimal
    comment: str = ""


def manual_indicators(evaluation: CreditEvaluation) -> list[Indicator]:
    """The task's indicators: the node's manual items of the rated kind its rater gives."""
    return [
        indicator
        for indicator in evaluation.version.indicators.filter(
            node=evaluation.node, rated=evaluation.rated_kind, auto_rule=""
        )
        if evaluation.rater_kind in indicator.raters
    ]


def evaluation_score(items: list[ItemScore]) -> Decimal | None:
    """3. Points given over points possible, of 100, on the items that count."""
    counted = [item for item in items if item.points is not None]
    possible = sum((item.indicator.points for item in counted), Decimal(0))
    if not possible:
        return None
    given = sum((item.points for item in counted if item.points is not None), Decimal(0))
    return (HUNDRED * given / possible).quantize(Decimal("0.01"))


def _check_values(indicators: list[Indicator], values: dict[int, ItemValue]) -> list[str]:
    problems = []
    for indicator in indicators:
        value = values.get(indicator.pk)
        if value is None:
            problems.append(_("%(code)s: give its points.") % {"code": indicator.code})
            continue
        if value.points < 0 or value.points > indicator.points:
            problems.append(
                _("%(code)s: points must be from 0 to %(max)s.")
                % {"code": indicator.code, "max": indicator.points}
            )
        elif value.points < indicator.points and not value.comment.strip():
            problems.append(_("%(code)s: say why points are deducted.") % {"code": indicator.code})
    return problems


def submit_evaluation(
    *, evaluation: CreditEvaluation, values: dict[int, ItemValue], acting_user
) -> CreditEvaluation:
    """1. The rater gives its evaluation; the rated party's grade is computed again."""
    from ..selectors import is_rater
    from .grades import recompute_grade

    now = timezone.now()
    with transaction.atomic():
        evaluation = CreditEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not is_rater(acting_user, evaluation) or not evaluation.is_task:
            raise PermissionDenied(NOT_THE_RATER, code="not_rater")
        if evaluation.state != EvaluationState.OPEN:
            raise InvalidTransition(NOT_OPEN, code="state")
        if evaluation.due is not None and now >= evaluation.due:
            raise DeadlinePassed(TOO_LATE, code="late")
        indicators = manual_indicators(evaluation)
        problems = _check_values(indicators, values)
        if problems:
            raise RulesBroken(problems)
        items = [
            ItemScore(
                evaluation=evaluation,
                indicator=indicator,
                points=values[indicator.pk].points,
                comment=values[indicator.pk].comment.strip(),
            )
            for indicator in indicators
        ]
        ItemScore.objects.bulk_create(items)  # new rows, not audited models
        evaluation.score = evaluation_score(items)
        evaluation.submit(at=now, by=acting_user)
        evaluation._history_user = acting_user
        evaluation._change_reason = gettext_noop("evaluation given")
        evaluation.save()
        meet_clock(subject=evaluation, kind=TASK_CLOCK, at=now)
        record_event(
            action="credit.evaluation.submitted",
            actor=acting_user,
            organisation=evaluation.rater_organisation,
            subject=evaluation,
            data={
                "rated": evaluation.rated_key,
                "score": evaluation.score,
                "deducted": [i.indicator.code for i in items if i.deducted],
            },
        )
        recompute_grade(
            key=evaluation.rated_key,
            reason=gettext_noop("evaluation given"),
            evaluation=evaluation,
            at=now,
        )
    return evaluation


def lapse_task(clock) -> None:
    """2. The task clock's due action: an evaluation not given is recorded against the rater."""
    from .grades import recompute_grade

    evaluation = CreditEvaluation.objects.select_for_update().filter(pk=clock.subject_id).first()
    if evaluation is None or evaluation.state != EvaluationState.OPEN:
        return
    evaluation.lapse(at=clock.due)
    evaluation._change_reason = gettext_noop("not given in time")
    evaluation.save()
    record_event(
        action="credit.evaluation.lapsed",
        actor=None,
        organisation=evaluation.rater_organisation,
        subject=evaluation,
        data={"rater": evaluation.rater_key, "rated": evaluation.rated_key, "due": clock.due},
    )
    recompute_grade(
        key=evaluation.rater_key,
        reason=gettext_noop("an evaluation it owed was not given in time"),
        evaluation=evaluation,
        at=clock.due,
    )


def _context(evaluation: CreditEvaluation, now: dt.datetime) -> automatic.Context:
    return automatic.Context(
        lot=evaluation.lot,
        contract=evaluation.contract,
        organisation=evaluation.rated_organisation,
        expert=evaluation.rated_expert,
        now=now,
    )


def _score_items(evaluation: CreditEvaluation, now: dt.datetime) -> list[ItemScore]:
    """The platform's items, read from the record now (new rows, or the pending ones again)."""
    existing = {item.indicator_id: item for item in evaluation.items.select_related("indicator")}
    indicators = evaluation.version.indicators.filter(
        node=evaluation.node, rated=evaluation.rated_kind
    ).exclude(auto_rule="")
    ctx = _context(evaluation, now)
    items = []
    for indicator in indicators:
        item = existing.get(indicator.pk) or ItemScore(evaluation=evaluation, indicator=indicator)
        if item.pk is not None and not item.pending:
            items.append(item)
            continue
        finding = automatic.evaluate(indicator.auto_rule, ctx)
        item.pending = finding.pending
        item.points = (
            None if finding.passed is None else (indicator.points if finding.passed else Decimal(0))
        )
        item.evidence = (
            _("Not applicable.")
            if finding.evidence == automatic.NOT_APPLICABLE
            else finding.evidence
        )[:300]
        item.evidence_url = finding.url[:300]
        item.save()
        items.append(item)
    return items


def score_platform_evaluation(*, evaluation: CreditEvaluation, now: dt.datetime) -> None:
    """6 (nodes): the platform's evaluation, given at once from the record."""
    from .grades import recompute_grade

    items = _score_items(evaluation, now)
    evaluation.score = evaluation_score(items)
    evaluation.submit(at=now, by=None)
    evaluation._change_reason = gettext_noop("scored from the record")
    evaluation.save()
    record_event(
        action="credit.evaluation.scored",
        actor=None,
        organisation=evaluation.rated_organisation,
        subject=evaluation,
        data={
            "rated": evaluation.rated_key,
            "score": evaluation.score,
            "items": {
                i.indicator.code: (None if i.points is None else str(i.points)) for i in items
            },
        },
    )
    recompute_grade(
        key=evaluation.rated_key,
        reason=gettext_noop("scored from the record"),
        evaluation=evaluation,
        at=now,
    )


def refresh_platform_evaluations(
    *, now: dt.datetime | None = None, lot_id: int | None = None
) -> int:
    """4. Read the pending items of the platform's evaluations (of one lot, or all) again;
    returns how many changed."""
    from .grades import recompute_grade

    now = now or timezone.now()
    pending = CreditEvaluation.objects.filter(rater_kind=RaterKind.PLATFORM, items__pending=True)
    if lot_id is not None:
        pending = pending.filter(lot_id=lot_id)
    ids = list(pending.values_list("pk", flat=True).distinct())
    changed = 0
    for pk in ids:
        with transaction.atomic():
            evaluation = CreditEvaluation.objects.select_for_update().get(pk=pk)
            before = evaluation.score
            items = _score_items(evaluation, now)
            evaluation.score = evaluation_score(items)
            if evaluation.score == before:
                continue
            evaluation._change_reason = gettext_noop("scored from the record again")
            evaluation.save()
            record_event(
                action="credit.evaluation.rescored",
                actor=None,
                organisation=evaluation.rated_organisation,
                subject=evaluation,
                data={"rated": evaluation.rated_key, "before": before, "score": evaluation.score},
            )
            recompute_grade(
                key=evaluation.rated_key,
                reason=gettext_noop("a fact from the record was settled"),
                evaluation=evaluation,
                at=now,
            )
            changed += 1
    return changed
