"""Clarification questions: a supplier asks about a lot, the answer is published to all.

Who asked is known to the purchaser and its agency only (issue 4 §5): the published notice
carries the question and the answer, never the supplier (fair competition, O87 Art 28), and the
records the bureau reads do not name it either: the audit event of a question has no actor and
no organisation, its first history record no user, and the bureau's admin leaves the supplier
out. The asker is kept on the Clarification row (supplier, asked_by), which only the project's
staff reach (selectors.get_clarification_for_staff and the project page).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied
from notifications.services import close_notifications, notify_organisation

from ..legal import check_bid_deadline, deadline_must_move
from ..models import (
    Announcement,
    AnnouncementKind,
    Clarification,
    ClarificationStatus,
    Lot,
    LotState,
    Project,
)
from ._base import refuse_if
from .announcements import (
    ONLY_EXTEND,
    _notify_downloaders,
    _project_snapshot,
    late_change_message,
    lot_page_url,
    move_deadline_for_answer,
    publish_announcement,
)
from .projects import _project_staff_org

QUESTION_ASKED = "procurement.question_asked"  # the purchaser or agency: answer it

ONLY_SUPPLIERS_ASK = gettext_lazy("Only a supplier's staff may ask a clarification question.")
LOT_NOT_OPEN = gettext_lazy("Questions can be asked only while the lot is open for bidding.")
AFTER_DEADLINE = gettext_lazy("The bid deadline has passed; questions are closed.")
QUESTION_REQUIRED = gettext_lazy("Write the question.")
ANSWER_REQUIRED = gettext_lazy("Write the answer.")
ALREADY_ANSWERED = gettext_lazy("This question has already been answered.")


def ask_question(*, lot: Lot, question: str, acting_user) -> Clarification:
    """A supplier asks about an announced lot before its deadline; the purchaser/agency is told."""
    supplier = organisation_of(acting_user)
    if role_of(acting_user) != OrganisationKind.SUPPLIER or supplier is None:
        raise PermissionDenied(ONLY_SUPPLIERS_ASK)
    if not question.strip():
        raise InvalidTransition(QUESTION_REQUIRED)
    with transaction.atomic():
        lot = Lot.objects.select_related("project", "project__agency").get(pk=lot.pk)
        if lot.state != LotState.ANNOUNCED:
            raise InvalidTransition(LOT_NOT_OPEN)
        if lot.bid_deadline is not None and timezone.now() >= lot.bid_deadline:
            raise DeadlinePassed(AFTER_DEADLINE)
        clarification = Clarification(
            lot=lot, supplier=supplier, asked_by=acting_user, question=question.strip()
        )
        # No user on the history record and no actor or organisation on the event: both are
        # read by the bureau, which must not learn who asked (the module's docstring).
        clarification._history_user = None
        clarification.save()
        record_event(
            action="procurement.clarification.asked",
            actor=None,
            organisation=None,
            subject=clarification,
            data={"lot": lot.pk, "project": lot.project.code},
        )
        # The purchaser (or its agency) answers; the message does not name the supplier.
        notify_organisation(
            organisation=lot.project.agency or lot.project.purchaser,
            kind=QUESTION_ASKED,
            context={
                "project": lot.project.name,
                "code": lot.project.code,
                "lot": lot.name,
                "url": reverse("procurement:clarification_answer", args=[clarification.pk]),
            },
            subject=clarification,
        )
    return clarification


def answer_problems(
    project: Project, lot: Lot, answer: str, new_deadline: dt.datetime | None, *, at: dt.datetime
) -> list[str]:
    problems = []
    if not answer.strip():
        problems.append(str(ANSWER_REQUIRED))
    current = lot.announced_deadline()
    deadline = new_deadline or current
    if new_deadline is not None:
        if new_deadline < current:
            problems.append(str(ONLY_EXTEND))
        check = check_bid_deadline(
            method=project.method, issued_at=lot.announced_issue_time(), deadline=new_deadline
        )
        if check is not None:
            problems.append(check.message)
    # IR Art 31: a clarification is subject to the same cut-off as a change of the documents.
    earliest = deadline_must_move(method=project.method, deadline=deadline, at=at)
    if earliest is not None:
        problems.append(
            late_change_message(
                method=project.method,
                deadline=current,
                earliest=earliest,
                at=at,
                new_deadline=new_deadline,
            )
        )
    return problems


def answer_question(
    *,
    clarification: Clarification,
    answer: str,
    acting_user,
    new_deadline: dt.datetime | None = None,
) -> Announcement:
    """Answer a question and publish it as a clarification notice (澄清公告) for everyone."""
    project = clarification.lot.project
    organisation = _project_staff_org(acting_user, project)
    with transaction.atomic():
        clarification = (
            Clarification.objects.select_for_update(of=("self",))
            .select_related("lot", "lot__project")
            .get(pk=clarification.pk)
        )
        if clarification.status != ClarificationStatus.OPEN:
            raise InvalidTransition(ALREADY_ANSWERED)
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=clarification.lot_id)
        if lot.state != LotState.ANNOUNCED:
            raise InvalidTransition(LOT_NOT_OPEN)
        project = Project.objects.select_related(
            "purchaser", "agency", "plan", "plan__intention"
        ).get(pk=lot.project_id)
        now = timezone.now()
        refuse_if(answer_problems(project, lot, answer, new_deadline, at=now))
        changes = []
        if new_deadline is not None:
            # The deadline is one for the project's open lots: move them all alike.
            lots = list(
                Lot.objects.select_for_update(of=("self",))
                .filter(project=project, state=LotState.ANNOUNCED)
                .order_by("number")
            )
            changes = move_deadline_for_answer(
                lots, new_deadline, acting_user, organisation, at=now
            )
        clarification.status = ClarificationStatus.ANSWERED
        clarification.answer = answer.strip()
        clarification.answered_at = now
        clarification.answered_by = acting_user
        data = {
            "project": _project_snapshot(project),
            "lot": {"number": lot.number, "name": lot.name},
            "question": clarification.question,
            "answer": clarification.answer,
            "deadline_changes": changes,
        }
        announcement = publish_announcement(
            kind=AnnouncementKind.CLARIFICATION,
            project=project,
            data=data,
            acting_user=acting_user,
            organisation=organisation,
            lots=[lot],
            lot=lot,
            at=now,
            extra_search=f"{clarification.question} {clarification.answer}",
        )
        clarification.announcement = announcement
        clarification._history_user = acting_user
        clarification._change_reason = gettext_noop("answered")
        clarification.save()
        close_notifications(kinds=[QUESTION_ASKED], subject=clarification, at=now)
        record_event(
            action="procurement.clarification.answered",
            actor=acting_user,
            organisation=organisation,
            subject=clarification,
            data={"announcement": announcement.pk, "lot": lot.pk},
        )
        _notify_downloaders(
            project,
            kind="procurement.clarification_published",
            context={
                "project": project.name,
                "code": project.code,
                "title": announcement.title,
                "url": lot_page_url(announcement),
            },
            subject=announcement,
            also=clarification.supplier,
        )
    return announcement
