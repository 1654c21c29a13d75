"""Each party's rolling score and grade, and the history of how it moved (RULES.md §13.4).

1. The score is the mean of the party's given evaluations over the rolling window (twelve
   months by default), each of 100 (evaluations.evaluation_score).
2. Each evaluation the party owed and did not give in the window costs it the bureau's
   deduction (K-7: failing to evaluate is itself sanctioned).
3. The grade comes from the bureau's bands (default A ≥ 90, B 80–89, C 60–79, D < 60).
4. A deduction on a key (★) item in the window keeps the grade at the bureau's cap or below
   (the Heilongjiang model).
5. A change of score or grade is kept in the party's history with its reason, and audited.
A party with nothing in the window keeps no grade until it has.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import record_event

from ..models import (
    CreditEvaluation,
    CreditParameters,
    EvaluationState,
    GradeChange,
    ItemScore,
    PartyGrade,
    PartyKind,
    worse_grade,
)

HUNDRED = Decimal("100")


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same moment `months` calendar months earlier (the 31st falls back to the month's end)."""
    years, month = divmod(moment.month - 1 - months, 12)
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _party(key: str) -> tuple[str, Organisation | None, User | None]:
    kind, _sep, pk = key.partition(":")
    if kind == "expert":
        return PartyKind.EXPERT, None, User.objects.get(pk=int(pk))
    organisation = Organisation.objects.get(pk=int(pk))
    return organisation.kind, organisation, None


def recompute_grade(
    *,
    key: str,
    reason: str,
    evaluation: CreditEvaluation | None = None,
    at: dt.datetime | None = None,
) -> PartyGrade | None:
    """Compute the party's score and grade at `at` again (the rules above); `reason` is an
    English msgid, shown translated in the history."""
    if key == "platform":
        return None
    at = at or timezone.now()
    params = CreditParameters.current()
    since = months_before(at, params.window_months)
    given = CreditEvaluation.objects.filter(
        rated_key=key,
        state=EvaluationState.SUBMITTED,
        submitted_at__gt=since,
        submitted_at__lte=at,
        score__isnull=False,
    )
    scores = [score for score in given.values_list("score", flat=True) if score is not None]
    missed = CreditEvaluation.objects.filter(
        rater_key=key, state=EvaluationState.LAPSED, lapsed_at__gt=since, lapsed_at__lte=at
    ).count()
    with transaction.atomic():
        current = PartyGrade.objects.select_for_update().filter(party_key=key).first()
        if not scores and not missed and current is None:
            return None
        base = sum(scores, Decimal(0)) / len(scores) if scores else HUNDRED
        deduction = Decimal(missed) * Decimal(params.missed_task_deduction)
        score = max(Decimal(0), Decimal(base) - deduction).quantize(Decimal("0.01"))
        grade = params.grade_for(score)
        capped = ItemScore.objects.filter(
            evaluation__in=given, indicator__is_key=True, points__lt=F("indicator__points")
        ).exists()
        if capped:
            grade = worse_grade(grade, params.key_item_cap)
        if current is None:
            kind, organisation, expert = _party(key)
            current = PartyGrade(party_key=key, kind=kind, organisation=organisation, expert=expert)
            previous_score, previous_grade = None, ""
        else:
            previous_score, previous_grade = current.score, current.grade
            if (current.score, current.grade, current.capped) == (score, grade, capped) and (
                current.evaluations,
                current.missed,
            ) == (len(scores), missed):
                return current
        current.score, current.grade, current.capped = score, grade, capped
        current.evaluations, current.missed, current.computed_at = len(scores), missed, at
        current.save()
        if (previous_score, previous_grade) == (score, grade):
            return current  # only the counts moved
        GradeChange.objects.create(
            party=current,
            at=at,
            score=score,
            grade=grade,
            previous_score=previous_score,
            previous_grade=previous_grade,
            capped=capped,
            reason=reason,
            evaluation=evaluation,
        )
        record_event(
            action="credit.grade.changed",
            actor=None,
            organisation=current.organisation,
            subject=current,
            data={
                "party": key,
                "score": score,
                "grade": grade,
                "previous_score": previous_score,
                "previous_grade": previous_grade,
                "capped": capped,
                "reason": reason,
            },
        )
    return current


def recompute_all_grades(*, at: dt.datetime | None = None) -> int:
    """The daily pass: evaluations leave the rolling window as time goes on."""
    from django.utils.translation import gettext_noop

    changed = 0
    for key in PartyGrade.objects.order_by("pk").values_list("party_key", flat=True):
        before = PartyGrade.objects.values_list("score", "grade").get(party_key=key)
        grade = recompute_grade(key=key, reason=gettext_noop("the rolling window moved"), at=at)
        if grade is not None and (grade.score, grade.grade) != before:
            changed += 1
    return changed
