"""Reads of credit data, and the access helpers.

`current_grade(organisation)` is what other apps read (financing: a supplier's grade). A party
sees the evaluations it gave or received and nobody else's; the bureau sees all; the public
sees grades only (never an evaluation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.selectors import organisation_of, role_of

from .models import Appeal, CreditEvaluation, EvaluationState, PartyGrade, expert_key, org_key

if TYPE_CHECKING:
    from accounts.models import Organisation, User


def current_grade(organisation: Organisation) -> str | None:
    """The organisation's credit grade letter ("A"–"D"), or None while it has none.

    A grade informs supervision and security waivers; it must never be a qualification
    condition or a scoring factor of an evaluation (RULES.md §13.4, legal caution).
    """
    if organisation is None or organisation.pk is None:
        return None
    return (
        PartyGrade.objects.filter(party_key=org_key(organisation.pk))
        .values_list("grade", flat=True)
        .first()
    )


def user_party_key(user: User) -> str | None:
    """The party the user acts for: its organisation, or itself as an expert."""
    role = role_of(user)
    if role == Role.EXPERT:
        return expert_key(user.pk)
    if role in (Role.PURCHASER, Role.AGENCY, Role.SUPPLIER):
        organisation = organisation_of(user)
        return org_key(organisation.pk) if organisation else None
    return None


def is_bureau(user: User) -> bool:
    return role_of(user) == Role.BUREAU


def _with_parties(queryset: QuerySet[CreditEvaluation]) -> QuerySet[CreditEvaluation]:
    return queryset.select_related(
        "lot",
        "lot__project",
        "rated_organisation",
        "rated_expert",
        "rater_organisation",
        "rater_expert",
        "appeal",
    )


def tasks_owed(user: User) -> QuerySet[CreditEvaluation]:
    """The evaluations the user's party still has to give, the soonest due first."""
    key = user_party_key(user)
    if key is None:
        return CreditEvaluation.objects.none()
    return _with_parties(
        CreditEvaluation.objects.filter(rater_key=key, state=EvaluationState.OPEN)
    ).order_by("due", "pk")


def evaluations_given(user: User) -> QuerySet[CreditEvaluation]:
    key = user_party_key(user)
    if key is None:
        return CreditEvaluation.objects.none()
    return _with_parties(CreditEvaluation.objects.filter(rater_key=key)).order_by("-created")


def evaluations_received(user: User) -> QuerySet[CreditEvaluation]:
    """Given evaluations of the user's party (open tasks are the raters' business)."""
    key = user_party_key(user)
    if key is None:
        return CreditEvaluation.objects.none()
    return _with_parties(
        CreditEvaluation.objects.filter(rated_key=key, state=EvaluationState.SUBMITTED)
    ).order_by("-submitted_at")


def is_rater(user: User, evaluation: CreditEvaluation) -> bool:
    key = user_party_key(user)
    return key is not None and key == evaluation.rater_key


def is_rated(user: User, evaluation: CreditEvaluation) -> bool:
    key = user_party_key(user)
    return key is not None and key == evaluation.rated_key


def get_task_for_user(*, user: User, pk: int) -> CreditEvaluation:
    """The rater's own evaluation to give or read; 404 for anyone else."""
    evaluation = _with_parties(CreditEvaluation.objects.filter(pk=pk)).first()
    if evaluation is None or not is_rater(user, evaluation):
        raise Http404
    return evaluation


def get_evaluation_for_user(*, user: User, pk: int) -> CreditEvaluation:
    """An evaluation for its rater, its rated party (once given) or the bureau; 404 otherwise."""
    evaluation = _with_parties(CreditEvaluation.objects.filter(pk=pk)).first()
    if evaluation is None:
        raise Http404
    if is_bureau(user) or is_rater(user, evaluation):
        return evaluation
    if is_rated(user, evaluation) and evaluation.state == EvaluationState.SUBMITTED:
        return evaluation
    raise Http404


def get_appeal_for_bureau(*, user: User, pk: int) -> Appeal:
    if not is_bureau(user):
        raise Http404
    appeal = (
        Appeal.objects.select_related("evaluation", "evaluation__lot__project", "filed_by")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal
