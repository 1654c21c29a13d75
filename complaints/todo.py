"""What complaints asks of each role (accounts.todo): the purchaser or agency answers inquiries
and replies to questions, each due when its clock is due; the item goes with the answer."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem

from .models import Inquiry, InquiryState, Question, QuestionState


def _subject(case) -> str:
    lot = case.lot
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def responder_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    # The agency answers for the lots entrusted to it; the purchaser for the others (O94 Art 5).
    if owed.role == OrganisationKind.AGENCY:
        mine = Q(lot__project__agency=owed.organisation)
    else:
        mine = Q(lot__project__purchaser=owed.organisation, lot__project__agency__isnull=True)
    for question in Question.objects.filter(mine, state=QuestionState.SUBMITTED).select_related(
        "lot", "lot__project"
    ):
        yield TodoItem(
            kind="complaints.question_to_reply",
            title=_("Reply to question %(number)s") % {"number": question.number},
            subject=_subject(question),
            url=reverse("complaints:question_reply", args=[question.pk]),
            due=question.reply_due,
        )
    for inquiry in Inquiry.objects.filter(mine, state=InquiryState.OPEN).select_related(
        "lot", "lot__project"
    ):
        yield TodoItem(
            kind="complaints.inquiry_to_answer",
            title=_("Answer an inquiry"),
            subject=_subject(inquiry),
            url=reverse("complaints:inquiry_answer", args=[inquiry.pk]),
            due=inquiry.answer_due,
        )


PROVIDERS = [responder_items]
