"""What complaints ask of each role (accounts.todo): the bureau reviews, sends the complaint to
the respondent, decides and publishes; the complainant corrects; the respondent answers. Each
item is due when its clock is due, and goes with the step."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem

from .models import Complaint, ComplaintState


def _subject(complaint: Complaint) -> str:
    lot = complaint.question.lot
    return _("%(number)s · %(project)s · lot %(lot)s") % {
        "number": complaint.number,
        "project": lot.project.name,
        "lot": lot.number,
    }


def _cases():
    return Complaint.objects.select_related("question", "question__lot", "question__lot__project")


def bureau_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.BUREAU:
        return
    open_states = [
        ComplaintState.SUBMITTED,
        ComplaintState.ACCEPTED,
        ComplaintState.SUSPENDED,
        ComplaintState.DECIDED,
    ]
    for c in _cases().filter(state__in=open_states).order_by("received_at", "id"):
        url = reverse("complaints:complaint_detail", args=[c.pk])
        if c.state == ComplaintState.SUBMITTED:
            yield TodoItem(
                kind="complaints.complaint_to_review",
                title=_("Review complaint %(number)s") % {"number": c.number},
                subject=_subject(c),
                url=url,
                due=c.review_due,
            )
        elif c.state in (ComplaintState.ACCEPTED, ComplaintState.SUSPENDED):
            if c.notice_sent_at is None:
                yield TodoItem(
                    kind="complaints.complaint_to_send",
                    title=_("Send complaint %(number)s to the respondent") % {"number": c.number},
                    subject=_subject(c),
                    url=url,
                    due=c.notice_due,
                )
            yield TodoItem(
                kind="complaints.complaint_to_decide",
                title=_("Decide complaint %(number)s") % {"number": c.number},
                subject=_subject(c),
                url=url,
                due=c.decision_due,
            )
        else:
            yield TodoItem(
                kind="complaints.decision_to_publish",
                title=_("Publish the decision on complaint %(number)s") % {"number": c.number},
                subject=_subject(c),
                url=url,
            )


def complainant_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    for c in _cases().filter(
        complainant=owed.organisation, state=ComplaintState.CORRECTION_REQUESTED
    ):
        yield TodoItem(
            kind="complaints.complaint_to_correct",
            title=_("Correct complaint %(number)s") % {"number": c.number},
            subject=_subject(c),
            url=reverse("complaints:complaint_correct", args=[c.pk]),
            due=c.correction_due,
            note=c.correction_items,
        )


def respondent_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    for c in _cases().filter(
        respondent=owed.organisation,
        state__in=[ComplaintState.ACCEPTED, ComplaintState.SUSPENDED],
        notice_sent_at__isnull=False,
        answered_at__isnull=True,
        answer_due__gt=timezone.now(),  # a late answer is refused (O94 Art 25): nothing owed
    ):
        yield TodoItem(
            kind="complaints.complaint_to_answer",
            title=_("Answer complaint %(number)s") % {"number": c.number},
            subject=_subject(c),
            url=reverse("complaints:complaint_detail", args=[c.pk]),
            due=c.answer_due,
        )


PROVIDERS = [bureau_items, complainant_items, respondent_items]
