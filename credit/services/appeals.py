"""Appeals (issue 14 §4): the rated party appeals one evaluation with reasons within ten working
days of its being given (CreditParameters.appeal_working_days, a local rule [L]); the bureau
upholds it or amends its points, and the decision is recorded, shown and audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from audit.services import record_event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied, RulesBroken
from notifications.services import notify, notify_bureau, notify_organisation
from workdays.calendar import period_end

from ..models import Appeal, AppealState, CreditEvaluation, CreditParameters, EvaluationState
from .evaluations import ItemValue, evaluation_score

APPEAL_FILED = "credit.appeal_filed"
APPEAL_DECIDED = "credit.appeal_decided"

NOT_RATED = gettext_lazy("Only the party this evaluation rates may appeal it.")
NOT_GIVEN = gettext_lazy("Only an evaluation that was given can be appealed.")
ALREADY_APPEALED = gettext_lazy("This evaluation has already been appealed.")
APPEAL_LATE = gettext_lazy("The time to appeal this evaluation has passed.")
NO_REASONS = gettext_lazy("Give the reasons of the appeal.")
NOT_BUREAU = gettext_lazy("Only the finance bureau decides appeals.")
DECIDED = gettext_lazy("This appeal has already been decided.")
NO_DECISION = gettext_lazy("Give the reasons of the decision.")


def appeal_due(evaluation: CreditEvaluation):
    assert evaluation.submitted_at is not None
    days = CreditParameters.current().appeal_working_days
    return period_end(evaluation.submitted_at, days, working=True)


def may_appeal(evaluation: CreditEvaluation, now=None) -> bool:
    now = now or timezone.now()
    return (
        evaluation.state == EvaluationState.SUBMITTED
        and not Appeal.objects.filter(evaluation=evaluation).exists()
        and now < appeal_due(evaluation)
    )


def file_appeal(*, evaluation: CreditEvaluation, reasons: str, acting_user) -> Appeal:
    from ..selectors import is_rated

    reasons = reasons.strip()
    now = timezone.now()
    with transaction.atomic():
        evaluation = CreditEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not is_rated(acting_user, evaluation):
            raise PermissionDenied(NOT_RATED, code="not_rated")
        if evaluation.state != EvaluationState.SUBMITTED:
            raise InvalidTransition(NOT_GIVEN, code="state")
        if Appeal.objects.filter(evaluation=evaluation).exists():
            raise InvalidTransition(ALREADY_APPEALED, code="appealed")
        if now >= appeal_due(evaluation):
            raise DeadlinePassed(APPEAL_LATE, code="late")
        if not reasons:
            raise RulesBroken([NO_REASONS])
        appeal = Appeal(evaluation=evaluation, filed_by=acting_user, filed_at=now, reasons=reasons)
        appeal._history_user = acting_user
        appeal._change_reason = gettext_noop("appeal filed")
        appeal.save()
        record_event(
            action="credit.appeal.filed",
            actor=acting_user,
            organisation=evaluation.rated_organisation,
            subject=appeal,
            data={"evaluation": evaluation.pk, "score": evaluation.score},
        )
        notify_bureau(
            kind=APPEAL_FILED,
            context={"appeal": appeal, "evaluation": evaluation, "url": _decide_url(appeal)},
            subject=appeal,
        )
    return appeal


def _decide_url(appeal: Appeal) -> str:
    from django.urls import reverse

    return reverse("credit:appeal_decide", args=[appeal.pk])


def decide_appeal(
    *,
    appeal: Appeal,
    decision: str,
    amendments: dict[int, ItemValue] | None = None,
    acting_user,
) -> Appeal:
    """Uphold the evaluation (no amendments) or amend its items' points; the grade follows."""
    from ..selectors import is_bureau
    from .grades import recompute_grade

    decision = decision.strip()
    amendments = amendments or {}
    now = timezone.now()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        evaluation = CreditEvaluation.objects.select_for_update().get(pk=appeal.evaluation_id)
        if not is_bureau(acting_user):
            raise PermissionDenied(NOT_BUREAU, code="not_bureau")
        if appeal.state != AppealState.FILED:
            raise InvalidTransition(DECIDED, code="state")
        if not decision:
            raise RulesBroken([NO_DECISION])
        items = list(evaluation.items.select_related("indicator"))
        changes = []
        problems = []
        for item in items:
            value = amendments.get(item.indicator_id)
            if value is None or value.points == item.points:
                continue
            if value.points < 0 or value.points > item.indicator.points:
                problems.append(
                    gettext_lazy("%(code)s: points must be from 0 to %(max)s.")
                    % {"code": item.indicator.code, "max": item.indicator.points}
                )
                continue
            changes.append(
                {"code": item.indicator.code, "before": item.points, "after": value.points}
            )
            item.points = Decimal(value.points)
            item.pending = False
            item.comment = (
                f"{item.comment}\n" if item.comment else ""
            ) + f"[{now:%Y-%m-%d}] {decision}"
        if problems:
            raise RulesBroken(problems)
        appeal.score_before = evaluation.score
        if changes:
            for item in items:
                item.save()
            evaluation.score = evaluation_score(items)
            evaluation._history_user = acting_user
            evaluation._change_reason = gettext_noop("amended on appeal")
            evaluation.save()
            appeal.amend(
                at=now,
                by=acting_user,
                decision=decision,
                changes=[
                    {**c, "before": str(c["before"]), "after": str(c["after"])} for c in changes
                ],
            )
        else:
            appeal.uphold(at=now, by=acting_user, decision=decision)
        appeal._history_user = acting_user
        appeal._change_reason = gettext_noop("appeal decided")
        appeal.save()
        record_event(
            action="credit.appeal.amended" if changes else "credit.appeal.upheld",
            actor=acting_user,
            subject=appeal,
            data={
                "evaluation": evaluation.pk,
                "score_before": appeal.score_before,
                "score": evaluation.score,
                "changes": appeal.changes,
            },
        )
        if changes:
            recompute_grade(
                key=evaluation.rated_key,
                reason=gettext_noop("an evaluation was amended on appeal"),
                evaluation=evaluation,
                at=now,
            )
        context = {"appeal": appeal, "evaluation": evaluation}
        if evaluation.rated_expert is not None:
            notify(
                recipients=[evaluation.rated_expert],
                kind=APPEAL_DECIDED,
                context=context,
                subject=appeal,
            )
        elif evaluation.rated_organisation is not None:
            notify_organisation(
                organisation=evaluation.rated_organisation,
                kind=APPEAL_DECIDED,
                context=context,
                subject=appeal,
            )
    return appeal
