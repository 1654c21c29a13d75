"""Reads of complaints and their access helper: every complaint reached by id goes through it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import organisation_of, role_of
from accounts.todo import TodoItem
from workdays.calendar import SHANGHAI

from .models import Complaint, ComplaintState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RELATED = (
    "question",
    "question__lot",
    "question__lot__project",
    "complainant",
    "respondent",
    "receipt_pdf",
    "decision_pdf",
    "announcement",
)


def get_complaint_for_user(*, user, pk: int) -> Complaint:
    """The case, for its complainant, its respondent and the bureau; 404 for anyone else."""
    complaint = Complaint.objects.select_related(*RELATED).filter(pk=pk).first()
    if complaint is None or not user.has_perm("complaints.view_complaint", complaint):
        raise Http404
    return complaint


def get_complaint_by_pk(pk: int) -> Complaint:
    """For the status page, once the caller has checked the access code (no user)."""
    complaint = Complaint.objects.select_related(*RELATED).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


def complaints_for(user) -> QuerySet[Complaint]:
    role = role_of(user)
    organisation = organisation_of(user)
    if role == "bureau":
        where = Q()
    elif organisation is None:
        return Complaint.objects.none()
    elif role == "supplier":
        where = Q(complainant=organisation)
    elif role in ("purchaser", "agency"):
        where = Q(respondent=organisation, notice_sent_at__isnull=False)
    else:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(where)
        .select_related("question", "question__lot", "question__lot__project", "complainant")
        .order_by("-received_at", "-id")
    )


@dataclass(frozen=True)
class Step:
    """One line of a case's timeline: a step done, or the next one due."""

    label: StrOrPromise
    at: dt.datetime | None = None  # when it happened
    due: dt.datetime | None = None  # when it is due, for a step still to come
    note: str = ""

    def working_days_left(self, now: dt.datetime) -> int | None:
        """As the to-do list counts them (accounts.todo): 0 when due today."""
        item = TodoItem(kind="", title="", subject="", url="", due=self.due)
        return item.working_days_left(now)

    def overdue(self, now: dt.datetime) -> bool:
        return self.due is not None and now >= self.due


def timeline(complaint: Complaint) -> list[Step]:
    """What happened, in order, then what is due next and by when."""
    c = complaint
    steps = [Step(_("Complaint received"), at=c.received_at)]
    if c.correction_requested_at:
        steps.append(
            Step(_("Correction requested"), at=c.correction_requested_at, note=c.correction_items)
        )
    if c.corrected_at:
        steps.append(Step(_("Correction received"), at=c.corrected_at))
    if c.refused_at:
        steps.append(
            Step(
                _("Not accepted"),
                at=c.refused_at,
                note=" ".join(filter(None, [c.refusal_reasons, c.competent_authority])),
            )
        )
    if c.accepted_at:
        steps.append(
            Step(
                _("Accepted, from the day of receipt"),
                at=c.accepted_at,
            )
        )
    if c.notice_sent_at:
        steps.append(Step(_("Complaint sent to the respondent"), at=c.notice_sent_at))
    if c.answered_at:
        steps.append(Step(_("Respondent's answer received"), at=c.answered_at))
    for referral in c.referrals.all():
        steps.append(
            Step(
                _("Sent for %(what)s to %(body)s")
                % {"what": referral.get_kind_display(), "body": referral.body},
                at=referral.sent_at,
                note=str(
                    _(
                        "expected to take %(days)s working days; the decision period does not "
                        "run meanwhile (O94 Art 27)"
                    )
                    % {"days": referral.expected_days}
                ),
            )
        )
        if referral.returned_at:
            steps.append(
                Step(
                    _("Answer of the %(what)s received") % {"what": referral.get_kind_display()},
                    at=referral.returned_at,
                )
            )
    if c.suspended_at:
        steps.append(
            Step(
                _("Procurement suspended"),
                at=c.suspended_at,
                note=str(_("until %(until)s") % {"until": _moment(c.suspension_ends)}),
            )
        )
    if c.resumed_at:
        steps.append(Step(_("Procurement resumed"), at=c.resumed_at))
    if c.decided_at:
        steps.append(Step(_("Decision made"), at=c.decided_at, note=str(c.get_outcome_display())))
    if c.announcement_id and c.announcement and c.announcement.published_at:
        steps.append(Step(_("Decision published"), at=c.announcement.published_at))
    if c.withdrawn_at:
        steps.append(Step(_("Withdrawn by the complainant"), at=c.withdrawn_at))
    steps.extend(next_steps(c))
    return steps


def _moment(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _decision_step(c: Complaint) -> Step:
    if any(referral.returned_at is None for referral in c.referrals.all()):
        return Step(
            pgettext_lazy("complaint", "Decision"),
            note=str(
                _(
                    "the decision period stops until the testing or expert review answers; "
                    "its new date follows then (O94 Art 27)"
                )
            ),
        )
    return Step(pgettext_lazy("complaint", "Decision"), due=c.decision_due)


def next_steps(c: Complaint) -> list[Step]:
    if c.state == ComplaintState.SUBMITTED:
        return [Step(_("The bureau's review (accept, correct or refuse)"), due=c.review_due)]
    if c.state == ComplaintState.CORRECTION_REQUESTED:
        return [Step(_("The complainant's correction"), due=c.correction_due)]
    if c.state == ComplaintState.ACCEPTED:
        due = []
        if c.notice_sent_at is None:
            due.append(Step(_("Complaint sent to the respondent"), due=c.notice_due))
        elif c.answered_at is None:
            due.append(Step(_("Respondent's answer"), due=c.answer_due))
        due.append(_decision_step(c))
        return due
    if c.state == ComplaintState.SUSPENDED:
        return [
            Step(_("Procurement resumes at the latest"), due=c.suspension_ends),
            _decision_step(c),
        ]
    if c.state == ComplaintState.DECIDED:
        return [Step(_("Publication of the decision"))]
    return []


@dataclass(frozen=True)
class RepeatComplainant:
    complainant_id: int
    name: str
    cases: list[Complaint]


def groundless_counts(*, now: dt.datetime, minimum: int = 3) -> list[RepeatComplainant]:
    """O94 Art 37: complainants with `minimum` or more complaints found groundless (dismissed
    for want of a factual basis) decided within the twelve months before `now`; two queries."""
    from .models import ComplaintOutcome, DismissalGround

    cases = (
        Complaint.objects.filter(
            outcome=ComplaintOutcome.DISMISSED,
            dismissal_ground=DismissalGround.NO_BASIS,
            decided_at__gt=now - dt.timedelta(days=365),
            decided_at__lte=now,
        )
        .select_related("complainant", "question", "question__lot", "question__lot__project")
        .order_by("complainant__name", "decided_at", "id")
    )
    grouped: dict[int, list[Complaint]] = {}
    for case in cases:
        grouped.setdefault(case.complainant_id, []).append(case)
    return [
        RepeatComplainant(complainant_id=key, name=items[0].complainant.name, cases=items)
        for key, items in grouped.items()
        if len(items) >= minimum
    ]
