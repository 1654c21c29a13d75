"""What credit asks of each party (accounts.todo): the evaluations it owes, each due when its
clock is due (five working days from the node); an item goes when it is given or lapses. The
bureau owes a decision on each appeal filed."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.todo import Owed, TodoItem

from .models import Appeal, AppealState
from .selectors import tasks_owed


def _subject(lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def rater_items(owed: Owed) -> Iterator[TodoItem]:
    for evaluation in tasks_owed(owed.user):
        yield TodoItem(
            kind="credit.evaluation_to_give",
            title=_("Evaluate %(rated)s (%(kind)s)")
            % {"rated": evaluation.rated_name, "kind": evaluation.get_rated_kind_display()},
            subject=_subject(evaluation.lot),
            url=reverse("credit:give", args=[evaluation.pk]),
            due=evaluation.due,
            note=str(evaluation.get_node_display()),
        )


def bureau_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != Role.BUREAU:
        return
    appeals = Appeal.objects.filter(state=AppealState.FILED).select_related(
        "evaluation__lot__project"
    )
    for appeal in appeals.order_by("filed_at", "pk"):
        yield TodoItem(
            kind="credit.appeal_to_decide",
            title=_("Decide a credit appeal"),
            subject=_subject(appeal.evaluation.lot),
            url=reverse("credit:appeal_decide", args=[appeal.pk]),
        )


PROVIDERS = [rater_items, bureau_items]
