"""What the report and the result ask of each role (accounts.todo; merged into todo.py).

The leader submits the report once every sheet is in; each seated member signs it or dissents;
the purchaser confirms the result, due when the one-day result clock is. Read from the state of
the evaluation, so an item goes the moment the step is done; one query per kind of item. The
award notice a winner receives is something to read, not a to-do.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from experts.models import Member, MemberState
from timers.models import Clock

from .models import Evaluation, EvaluationState, ReportSignature, ScoreSheet
from .services.report import RESULT_CLOCK


def _subject(lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def _seats(user):
    return Member.objects.filter(
        committee__lot_id=OuterRef("lot_id"), user=user, state=MemberState.ACCEPTED
    )


def member_items(owed: Owed) -> Iterator[TodoItem]:
    user = owed.user
    # The leader: every seated member's sheet is submitted and the report is not.
    unsubmitted = Member.objects.filter(
        committee__lot_id=OuterRef("lot_id"), state=MemberState.ACCEPTED
    ).exclude(
        pk__in=ScoreSheet.objects.filter(
            evaluation_id=OuterRef(OuterRef("pk")), submitted_at__isnull=False
        ).values("member_id")
    )
    for evaluation in (
        Evaluation.objects.filter(state=EvaluationState.SCORING)
        .filter(Exists(_seats(user).filter(is_leader=True)))
        .exclude(Exists(unsubmitted))
        .select_related("lot", "lot__project")
        .order_by("started_at", "pk")
    ):
        yield TodoItem(
            kind="evaluation.report_to_submit",
            title=_("Submit the evaluation report"),
            subject=_subject(evaluation.lot),
            url=reverse("evaluation:report", args=[evaluation.pk]),
            note=_("Every member has submitted its score sheet."),
        )
    signed = ReportSignature.objects.filter(evaluation_id=OuterRef("pk"), member__user=user)
    for evaluation in (
        Evaluation.objects.filter(state__in=[EvaluationState.REPORTED, EvaluationState.DECIDED])
        .filter(Exists(_seats(user)))
        .exclude(Exists(signed))
        .select_related("lot", "lot__project")
        .order_by("reported_at", "pk")
    ):
        yield TodoItem(
            kind="evaluation.report_to_sign",
            title=_("Sign the evaluation report or record your dissent"),
            subject=_subject(evaluation.lot),
            url=reverse("evaluation:report_sign", args=[evaluation.pk]),
            note=_("A member who neither signs nor dissents is deemed to agree (O87 Art 61)."),
        )


def purchaser_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.PURCHASER:
        return
    evaluations = list(
        Evaluation.objects.filter(
            state=EvaluationState.REPORTED, lot__project__purchaser=owed.organisation
        )
        .select_related("lot", "lot__project")
        .order_by("reported_at", "pk")
    )
    if not evaluations:
        return
    dues = dict(
        Clock.objects.open()
        .filter(
            kind=RESULT_CLOCK,
            subject_type=ContentType.objects.get_for_model(Evaluation),
            subject_id__in=[e.pk for e in evaluations],
        )
        .values_list("subject_id", "due")
    )
    for evaluation in evaluations:
        yield TodoItem(
            kind="evaluation.result_to_confirm",
            title=_("Confirm the result"),
            subject=_subject(evaluation.lot),
            url=reverse("evaluation:confirm", args=[evaluation.pk]),
            due=dues.get(evaluation.pk),
            note=_("Rank 1 is deemed chosen after five working days (O87 Art 68)."),
        )


PROVIDERS = [member_items, purchaser_items]
