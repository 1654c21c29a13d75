"""The writes of inquiries and questions: each one named action, audited, with its clock.

1. An inquiry (询问) from any supplier on an announced lot; the purchaser or agency answers
   within 3 working days (GPL Art 51; 政府采购法实施条例第五十二条).
2. A question (质疑) from a supplier that took part in the lot, or obtained the documents for a
   question about the documents (财政部令第94号第十一条), with the content of Art 12, within 7
   working days of the day it knew (GPL Art 52; IR Art 53 fixes that day). A late question is
   refused with the moment its window closed; one in time may not be refused (O94 Art 13).
3. The reply (O94 Arts 13, 15) within 7 working days of receipt, to the questioner and every
   other supplier of the lot, stating the right to complain and until when (O94 Art 17).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from bidding.models import Bid, BidState
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from notifications.services import notify_organisation
from procurement.legal import format_moment
from procurement.models import DocumentDownload, Lot, LotState
from timers.services import meet_clock, start_clock
from workdays.calendar import SHANGHAI, period_end

from . import periods
from .models import (
    Inquiry,
    Question,
    QuestionCounter,
    QuestionOutcome,
    QuestionState,
    QuestionTarget,
)

INQUIRY_CLOCK = "complaints.inquiry_answer"
REPLY_CLOCK = "complaints.question_reply"

INQUIRY_ASKED = "complaints.inquiry_asked"
INQUIRY_ANSWERED = "complaints.inquiry_answered"
QUESTION_FILED = "complaints.question_filed"
QUESTION_REPLIED = "complaints.question_replied"

ONLY_SUPPLIERS = _("Only a supplier may inquire about or question a lot.")
NOT_ANNOUNCED = _("The lot has not been announced.")
NOT_A_PARTICIPANT = _(
    "Only a supplier that took part in this procurement may question its procedure or result "
    "(O94 Art 11)."
)
NO_DOCUMENTS = _(
    "Only a supplier that obtained the procurement documents may question them (O94 Art 11)."
)
NO_RESULT_YET = _("The result of this lot has not been announced: there is no result to question.")
STEP_NOT_ENDED = _("The procedural step questioned must have ended, on or before today.")
LATE_QUESTION = _(
    "The question is late: the window of 7 working days from %(known)s closed at %(closes)s "
    "(GPL Art 52; O94 Art 10)."
)
ONLY_REPLIER = _("Only the purchaser or the entrusted agency of the project replies.")
ANSWER_REQUIRED = _("Write the answer.")
REPLY_INCOMPLETE = _("The reply states the finding, the reply itself and its facts (O94 Art 15).")
NOT_OPEN = _("This has already been answered.")

# Lots whose procedure or result a participant may question: bidding has begun.
PAST_BIDDING = {
    LotState.CLOSED,
    LotState.OPENING,
    LotState.OPENED,
    LotState.EVALUATING,
    LotState.EVALUATED,
    LotState.AWARDED,
    LotState.FAILED,
    LotState.SUSPENDED,
    LotState.CANCELLED,
}
TOOK_PART = [
    BidState.SUBMITTED,
    BidState.DECRYPTED,
    BidState.UNDECRYPTED,
    BidState.VALID,
    BidState.INVALID,
]


def responder_of(lot: Lot) -> Organisation:
    """Who answers for the lot: the entrusted agency, else the purchaser (O94 Art 5)."""
    return lot.project.agency or lot.project.purchaser


def is_responder(user, lot: Lot) -> bool:
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk in (
        lot.project.purchaser_id,
        lot.project.agency_id,
    )


def _supplier(acting_user) -> Organisation:
    supplier = organisation_of(acting_user)
    if role_of(acting_user) != OrganisationKind.SUPPLIER or supplier is None:
        raise PermissionDenied(ONLY_SUPPLIERS)
    return supplier


def _lot_url(lot: Lot) -> str:
    return reverse("procurement:tender_lot", args=[lot.pk])


# --- inquiries ----------------------------------------------------------------------------------


def ask_inquiry(*, lot: Lot, text: str, acting_user) -> Inquiry:
    supplier = _supplier(acting_user)
    if not text.strip():
        raise DomainError(_("Write the inquiry."))
    if lot.state == LotState.DRAFT:
        raise InvalidTransition(NOT_ANNOUNCED)
    now = timezone.now()
    with transaction.atomic():
        inquiry = Inquiry(
            lot=lot,
            supplier=supplier,
            asked_by=acting_user,
            text=text.strip(),
            received_at=now,
            answer_due=periods.inquiry_reply_due(received_at=now),
            may_affect_result=lot.state in PAST_BIDDING,
        )
        inquiry._history_user = acting_user
        inquiry._change_reason = "asked"
        inquiry.save()
        record_event(
            action="complaints.inquiry.asked",
            actor=acting_user,
            organisation=supplier,
            subject=inquiry,
            data={
                "lot": lot.pk,
                "due": inquiry.answer_due,
                "may_affect_result": inquiry.may_affect_result,
            },
        )
        responder = responder_of(lot)
        start_clock(
            subject=inquiry, kind=INQUIRY_CLOCK, due=inquiry.answer_due, responsible=responder
        )
        notify_organisation(
            organisation=responder,
            kind=INQUIRY_ASKED,
            context={
                "lot": lot,
                "due": format_moment(inquiry.answer_due),
                "url": reverse("complaints:inquiry_answer", args=[inquiry.pk]),
            },
            subject=inquiry,
        )
    return inquiry


def answer_inquiry(*, inquiry: Inquiry, answer: str, acting_user) -> Inquiry:
    if not is_responder(acting_user, inquiry.lot):
        raise PermissionDenied(ONLY_REPLIER)
    if not answer.strip():
        raise DomainError(ANSWER_REQUIRED)
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",)).select_related("lot").get(pk=inquiry.pk)
        )
        if inquiry.state != "open":
            raise InvalidTransition(NOT_OPEN, code="wrong_state")
        now = timezone.now()
        inquiry.record_answer(answer=answer.strip(), by=acting_user, at=now)
        inquiry._history_user = acting_user
        inquiry._change_reason = "answered"
        inquiry.save()
        record_event(
            action="complaints.inquiry.answered",
            actor=acting_user,
            organisation=organisation_of(acting_user),
            subject=inquiry,
            data={"lot": inquiry.lot_id, "in_time": now < inquiry.answer_due},
        )
        meet_clock(subject=inquiry, kind=INQUIRY_CLOCK, at=now)
        notify_organisation(
            organisation=inquiry.supplier,
            kind=INQUIRY_ANSWERED,
            context={"lot": inquiry.lot, "url": reverse("complaints:mine")},
            subject=inquiry,
        )
    return inquiry


# --- questions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The question window of a supplier on a lot, for one target (IR Art 53)."""

    knew_on: dt.date
    closes: dt.datetime

    def is_open(self, now: dt.datetime) -> bool:
        return now < self.closes


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def question_window(
    *, lot: Lot, supplier: Organisation, target: str, step_ended_on: dt.date | None = None
) -> Window:
    """The day the supplier should have known, and when its window closes; or a DomainError
    saying why it may not question this (O94 Art 11; IR Art 53).

    1. Documents: the later of the day it obtained them and the last day of the period they are
       provided (the documents' announcement period), for a supplier that obtained them.
    2. Procedure: the day the step questioned ended, for a supplier that took part.
    3. Result: the last day of the result announcement period (1 working day, O87 Art 69), for
       a supplier that took part.
    """
    if lot.state == LotState.DRAFT:
        raise InvalidTransition(NOT_ANNOUNCED)
    if target == QuestionTarget.DOCUMENTS:
        downloads = DocumentDownload.objects.filter(supplier=supplier, project=lot.project_id)
        first = downloads.filter(lot__in=[lot.pk]).order_by("downloaded_at").first() or (
            downloads.filter(lot__isnull=True).order_by("downloaded_at").first()
        )
        if first is None:
            raise PermissionDenied(NO_DOCUMENTS)
        knew_on = _local_day(first.downloaded_at)
        if lot.documents_until is not None:
            knew_on = max(knew_on, periods.last_day(lot.documents_until))
    else:
        took_part = Bid.objects.filter(lot=lot, supplier=supplier, state__in=TOOK_PART).exists()
        if not took_part or lot.state not in PAST_BIDDING:
            raise PermissionDenied(NOT_A_PARTICIPANT)
        if target == QuestionTarget.RESULT:
            award = getattr(lot, "award", None)
            announcement = getattr(award, "announcement", None) if award else None
            if announcement is None or announcement.published_at is None:
                raise InvalidTransition(NO_RESULT_YET)
            ends = period_end(announcement.published_at, 1, working=True)
            knew_on = periods.knew_on_after_period(ends)
        else:
            today = _local_day(timezone.now())
            if step_ended_on is None or step_ended_on > today:
                raise DomainError(STEP_NOT_ENDED)
            knew_on = step_ended_on
    return Window(knew_on=knew_on, closes=periods.question_closes(knew_on=knew_on))


def next_in_year(counter_model, numbered, prefix: str, year: int) -> str:
    """The next number `prefix`00001 on of a year's series (`numbered`: the rows already numbered).

    Taken from the year's counter row, locked until the filing is saved (call it inside the
    filing transaction): two filings at once wait for each other and get consecutive numbers. A
    new year's row starts after the highest number already given that year.
    """
    counter = counter_model.objects.select_for_update().filter(year=year).first()
    if counter is None:
        highest = (
            numbered.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        counter_model.objects.get_or_create(
            year=year, defaults={"last": int(highest[len(prefix) :]) if highest else 0}
        )
        counter = counter_model.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:05d}"


def _next_number(now: dt.datetime) -> str:
    """The next question number of the Beijing year, ZY2026-00001 on."""
    year = _local_day(now).year
    return next_in_year(QuestionCounter, Question.objects.all(), f"ZY{year}-", year)


@dataclass(frozen=True)
class QuestionContent:
    """The letter's content (O94 Art 12)."""

    target: str
    address: str
    postcode: str
    contact: str
    phone: str
    items: str
    facts: str
    legal_basis: str
    signatory: str
    step_ended_on: dt.date | None = None


def file_question(*, lot: Lot, content: QuestionContent, acting_user, attachment=None) -> Question:
    supplier = _supplier(acting_user)
    now = timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
        window = question_window(
            lot=lot, supplier=supplier, target=content.target, step_ended_on=content.step_ended_on
        )
        if not window.is_open(now):
            raise DeadlinePassed(
                LATE_QUESTION
                % {"known": window.knew_on.isoformat(), "closes": format_moment(window.closes)},
                code="late",
            )
        question = Question(
            number=_next_number(now),
            lot=lot,
            supplier=supplier,
            filed_by=acting_user,
            target=content.target,
            knew_on=window.knew_on,
            window_closes=window.closes,
            address=content.address,
            postcode=content.postcode,
            contact=content.contact,
            phone=content.phone,
            items=content.items,
            facts=content.facts,
            legal_basis=content.legal_basis,
            signatory=content.signatory,
            attachment=attachment,
            received_at=now,
            reply_due=periods.reply_due(received_at=now),
            complaint_closes=periods.complaint_closes(question_received_at=now),
            may_affect_result=content.target != QuestionTarget.DOCUMENTS,
        )
        question._history_user = acting_user
        question._change_reason = "filed"
        question.save()
        record_event(
            action="complaints.question.filed",
            actor=acting_user,
            organisation=supplier,
            subject=question,
            data={
                "lot": lot.pk,
                "target": content.target,
                "knew_on": window.knew_on,
                "reply_due": question.reply_due,
            },
        )
        responder = responder_of(lot)
        start_clock(
            subject=question, kind=REPLY_CLOCK, due=question.reply_due, responsible=responder
        )
        notify_organisation(
            organisation=responder,
            kind=QUESTION_FILED,
            context={
                "question": question,
                "lot": lot,
                "due": format_moment(question.reply_due),
                "url": reverse("complaints:question_reply", args=[question.pk]),
            },
            subject=question,
        )
    return question


def reply_to_question(
    *, question: Question, outcome: str, reply: str, facts: str, legal_basis: str, acting_user
) -> Question:
    if not is_responder(acting_user, question.lot):
        raise PermissionDenied(ONLY_REPLIER)
    if outcome not in QuestionOutcome.values or not reply.strip() or not facts.strip():
        raise DomainError(REPLY_INCOMPLETE)
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("lot", "lot__project", "supplier")
            .get(pk=question.pk)
        )
        if question.state != QuestionState.SUBMITTED:
            raise InvalidTransition(NOT_OPEN, code="wrong_state")
        now = timezone.now()
        organisation = organisation_of(acting_user)
        question.record_reply(
            outcome=outcome,
            reply=reply.strip(),
            facts=facts.strip(),
            legal_basis=legal_basis.strip(),
            by=acting_user,
            organisation=organisation,
            at=now,
        )
        question._history_user = acting_user
        question._change_reason = "replied"
        question.save()
        record_event(
            action="complaints.question.replied",
            actor=acting_user,
            organisation=organisation,
            subject=question,
            data={"outcome": outcome, "in_time": now < question.reply_due},
        )
        meet_clock(subject=question, kind=REPLY_CLOCK, at=now)
        _send_reply(question)
    return question


def affected_suppliers(question: Question) -> QuerySet[Organisation]:
    """The other suppliers concerned by a question, to whom the reply goes (O94 Art 13,
    "其他有关供应商"): every supplier that took part in the lot and, for a question about the
    documents, every supplier that obtained them; never the questioner itself."""
    concerned = Q(
        pk__in=Bid.objects.filter(lot=question.lot_id, state__in=TOOK_PART).values("supplier")
    )
    if question.target == QuestionTarget.DOCUMENTS:
        downloads = DocumentDownload.objects.filter(project=question.lot.project_id).filter(
            Q(lot=question.lot_id) | Q(lot__isnull=True)
        )
        concerned |= Q(pk__in=downloads.values("supplier"))
    return Organisation.objects.filter(concerned).exclude(pk=question.supplier_id).order_by("pk")


def _send_reply(question: Question) -> None:
    """The reply goes to the questioner, with its right to complain, and to every other
    supplier concerned, who may read the reply but not the question's materials (O94 Art 13)."""
    context = {
        "question": question,
        "lot": question.lot,
        "complaint_closes": format_moment(question.complaint_closes),
        "url": reverse("complaints:question_detail", args=[question.pk]),
    }
    notify_organisation(
        organisation=question.supplier, kind=QUESTION_REPLIED, context=context, subject=question
    )
    others = {**context, "url": reverse("complaints:question_reply_notice", args=[question.pk])}
    for supplier in affected_suppliers(question):
        notify_organisation(
            organisation=supplier, kind=QUESTION_REPLIED, context=others, subject=question
        )


def signing_blockers(lot: Lot) -> list[str]:
    """IR Art 54: the open inquiries and questions on the lot that may change the result."""
    reasons = []
    inquiries = Inquiry.objects.blocking().filter(lot=lot).count()
    if inquiries:
        reasons.append(
            str(
                ngettext(
                    "%(count)d inquiry on this lot, asked after bidding closed, may change the "
                    "result and awaits its answer: the contract may not be signed until it is "
                    "answered (政府采购法实施条例第五十四条).",
                    "%(count)d inquiries on this lot, asked after bidding closed, may change "
                    "the result and await their answers: the contract may not be signed until "
                    "they are answered (政府采购法实施条例第五十四条).",
                    inquiries,
                )
                % {"count": inquiries}
            )
        )
    numbers = list(Question.objects.blocking().filter(lot=lot).values_list("number", flat=True))
    if not numbers:
        return reasons
    return reasons + [
        str(
            _(
                "Question %(numbers)s on this lot may change the result and awaits its reply: the "
                "contract may not be signed until it is replied to (政府采购法实施条例第五十四条)."
            )
            % {"numbers": ", ".join(numbers)}
        )
    ]
