"""The writes of complaints (投诉): each one named action, audited, with its clock.

The law, as the texts have it (财政部令第94号, "O94"; 政府采购法, "GPL"):
1. Filing (O94 Arts 17-20; GPL Art 55): the questioner that is not satisfied with the reply, or
   got none in time, complains to the finance bureau within 15 working days after the reply
   period ends (`periods.complaint_closes`), with the content of Art 18; it may not complain of
   items it did not question, except items arising from the reply (Art 20; IR Art 55).
2. Review (O94 Art 21) within 5 working days: one written request for a correction (补正) with
   the items and a reasonable deadline; not accepted, with reasons; another authority named; or
   accepted "from the day the complaint was received" — the acceptance receipt (受理回执) states
   that moment and the decision due (30 working days, Art 26; GPL Art 56), leaving out the
   correction's days (Art 27; IR Art 58).
3. The respondent is sent the complaint within 8 working days of receipt (Art 21 (4)) and
   answers in writing within 5 working days of the notice (Art 22).
4. The decision (Arts 29-33): upheld with its consequence (Arts 31-32) or dismissed (Art 29),
   as a letter with the rights of reconsideration and litigation (Art 33; GPL Art 58), served
   on the parties and published (Art 34). A written withdrawal after acceptance ends the case
   (Art 30).
5. A complainant with three or more complaints found groundless within twelve months is
   flagged to the bureau (Art 37).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import is_member, organisation_of, role_of
from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from documents.pdf import render_pdf
from documents.services import store_bytes
from notifications.services import members_of, notify, notify_bureau, notify_organisation
from procurement.legal import format_moment
from procurement.models import SUSPENDABLE, AnnouncementKind, LotState
from procurement.services.announcements import publish_announcement
from timers.services import cancel_clock, meet_clock, pause_clocks, resume_clocks, start_clock
from workdays.calendar import SHANGHAI

from . import periods
from .models import (
    Complaint,
    ComplaintCounter,
    ComplaintOutcome,
    ComplaintState,
    Consequence,
    DismissalGround,
    Question,
    QuestionState,
    Referral,
    ReferralKind,
    RefusalKind,
)
from .services import next_in_year, responder_of

REVIEW_CLOCK = "complaints.complaint_review"
CORRECTION_CLOCK = "complaints.complaint_correction"
DECISION_CLOCK = "complaints.decision"
NOTICE_CLOCK = "complaints.respondent_notice"
ANSWER_CLOCK = "complaints.respondent_answer"
ALL_CLOCKS = [
    REVIEW_CLOCK,
    CORRECTION_CLOCK,
    DECISION_CLOCK,
    NOTICE_CLOCK,
    ANSWER_CLOCK,
    "complaints.suspension_end",
]

RECEIPT_USE = "complaints.receipt"
DECISION_USE = "complaints.decision_letter"
EVIDENCE_USE = "complaints.complaint_proof"

# Notification kinds (templates in complaints/templates/notifications/<kind>/).
FILED = "complaints.complaint_filed"
CORRECTION_ASKED = "complaints.complaint_correction_asked"
CORRECTED = "complaints.complaint_corrected"
REFUSED = "complaints.complaint_refused"
ACCEPTED = "complaints.complaint_accepted"
NOTICE = "complaints.complaint_notice"
ANSWERED = "complaints.complaint_answered"
DECIDED = "complaints.complaint_decided"
WITHDRAWN = "complaints.complaint_withdrawn"
REFERRED = "complaints.complaint_referred"
REFERRAL_RETURNED = "complaints.referral_returned"
FLAGGED = "complaints.complainant_flagged"

GROUNDLESS_LIMIT = 3  # O94 Art 37: 三次以上
GROUNDLESS_WINDOW = dt.timedelta(days=365)  # O94 Art 37: 12个月内

ONLY_QUESTIONER = _("Only the supplier that filed the question may complain of its reply.")
NOT_YET = _(
    "A complaint may be filed once the question has been replied to, or once its reply period "
    "ended without a reply (%(due)s) (O94 Art 17)."
)
QUESTION_WITHDRAWN = _("The question was withdrawn: there is nothing to complain of.")
LATE_COMPLAINT = _(
    "The complaint is late: the window of 15 working days after the reply period ended closed "
    "at %(closes)s (GPL Art 55; O94 Art 17)."
)
ALREADY_COMPLAINED = _(
    "This question is already the subject of complaint %(number)s: the same matter is not "
    "handled twice (O94 Art 19 (4))."
)
INCOMPLETE = _(
    "The complaint states both parties' particulars, the question and its reply, the items and "
    "requests, the facts and the legal basis, and is signed (O94 Art 18)."
)
SCOPE_NOT_CONFIRMED = _(
    "Confirm that every item was questioned, or arises from the reply (O94 Art 20; IR Art 55)."
)
ONLY_BUREAU = _("Only the finance bureau handles complaints.")
ONLY_COMPLAINANT = _("Only the complainant may do this.")
ONLY_RESPONDENT = _("Only the respondent answers the complaint.")
WRONG_STATE = _("The complaint is not at the step where this can be done.")
CORRECTION_ONCE = _("A correction may be asked for once only (O94 Art 21 (1)).")
REVIEW_OVER = _(
    "The review period of 5 working days ended at %(due)s: a correction can no longer be asked "
    "for (O94 Art 21 (1))."
)
CORRECTION_DUE_PAST = _("Give a deadline for the correction after today.")
CORRECTION_ITEMS = _("State the items to correct (O94 Art 21 (1)).")
LATE_CORRECTION = _("The correction is late: it was due by %(due)s (O94 Art 21 (1)).")
REASONS_REQUIRED = _("State the reasons (O94 Art 21 (2)).")
AUTHORITY_REQUIRED = _("Name the authority to complain to (O94 Art 21 (3)).")
NOT_CORRECTED_YET = _(
    "Refusing for want of a correction needs a correction asked for and either made or past "
    "its deadline (O94 Art 21 (1))."
)
NOTICE_SENT = _("The respondent has already been sent the complaint.")
NOTICE_NOT_SENT = _("The respondent has not been sent the complaint yet.")
ALREADY_ANSWERED = _("The respondent has already answered.")
LATE_ANSWER = _(
    "The answer is late: it was due by %(due)s; a respondent that does not answer in time is "
    "taken to waive it (O94 Art 25)."
)
ANSWER_REQUIRED = _("Write the answer and the evidence it rests on (O94 Art 22).")
DECISION_INCOMPLETE = _(
    "The decision states the facts found, the decision, its legal basis, and the bodies for "
    "reconsideration and litigation (O94 Art 33)."
)
UPHELD_NEEDS_CONSEQUENCE = _("An upheld complaint states its consequence (O94 Arts 31-32).")
REFERRAL_INCOMPLETE = _(
    "Name the kind, the body it is sent to, what is to be examined and the expected working days "
    "(O94 Art 27)."
)
REFERRAL_OUT = _(
    "A testing or expert review is still out: record its answer before deciding (O94 Art 27)."
)
REFERRAL_BACK = _("This answer has already been recorded.")
DISMISSED_NEEDS_GROUND = _("A dismissal states its ground (O94 Art 29).")


def _now() -> dt.datetime:
    return timezone.now()


def _bureau(acting_user) -> Organisation:
    organisation = organisation_of(acting_user)
    if role_of(acting_user) != OrganisationKind.BUREAU or organisation is None:
        raise PermissionDenied(ONLY_BUREAU)
    return organisation


def is_questioner(user, question: Question) -> bool:
    return role_of(user) == OrganisationKind.SUPPLIER and is_member(user, question.supplier_id)


def is_complainant(user, complaint: Complaint) -> bool:
    return role_of(user) == OrganisationKind.SUPPLIER and is_member(user, complaint.complainant_id)


def is_respondent(user, complaint: Complaint) -> bool:
    return complaint.respondent_id is not None and is_member(user, complaint.respondent_id)


def _complainant(complaint: Complaint, acting_user) -> Organisation:
    if not is_complainant(acting_user, complaint):
        raise PermissionDenied(ONLY_COMPLAINANT)
    return complaint.complainant


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related(
            "question",
            "question__lot",
            "question__lot__project",
            "question__lot__project__purchaser",
            "question__lot__project__agency",
            "complainant",
            "respondent",
            "bureau",
        )
        .get(pk=complaint.pk)
    )


def _handled_by(complaint: Complaint, bureau: Organisation) -> None:
    if complaint.bureau_id is None:
        complaint.bureau = bureau


def _save(complaint: Complaint, acting_user, reason: str) -> None:
    complaint._history_user = acting_user
    complaint._change_reason = reason
    complaint.save()


def _in_state(complaint: Complaint, *states: str) -> None:
    if complaint.state not in states:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")


def _detail_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def _context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "number": complaint.number,
        "lot": complaint.question.lot,
        "url": _detail_url(complaint),
        **extra,
    }


# --- the access code of the status page (issue 13 §5) -----------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def new_access_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def check_access_code(complaint: Complaint, code: str) -> bool:
    return bool(code) and check_password(normalise_code(code), complaint.access_code_hash)


# A hash to compare against when the case does not exist, so both take the same time.
_DUMMY_HASH: list[str] = []


def find_case_by_code(*, number: str, code: str) -> Complaint | None:
    """The case with this number if the code is its code; None otherwise, whichever failed."""
    complaint = Complaint.objects.filter(number=number.strip().upper()).first()
    if complaint is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(make_password(new_access_code()))
        check_password(normalise_code(code), _DUMMY_HASH[0])
        return None
    return complaint if check_access_code(complaint, code) else None


# --- filing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintContent:
    """The complaint (投诉书) with the content of O94 Art 18."""

    address: str
    postcode: str
    contact: str
    phone: str
    respondent_address: str
    respondent_contact: str
    respondent_phone: str
    question_account: str
    items: str
    facts: str
    legal_basis: str
    signatory: str
    items_within_question: bool


def _check_content(content: ComplaintContent) -> None:
    required = [
        content.address,
        content.postcode,
        content.contact,
        content.phone,
        content.respondent_address,
        content.respondent_contact,
        content.respondent_phone,
        content.question_account,
        content.items,
        content.facts,
        content.legal_basis,
        content.signatory,
    ]
    if not all(value.strip() for value in required):
        raise DomainError(INCOMPLETE, code="incomplete")
    if not content.items_within_question:
        raise DomainError(SCOPE_NOT_CONFIRMED, code="scope")


def complaint_opens(question: Question) -> dt.datetime:
    """From when the questioner may complain: the reply, or the end of the reply period."""
    return question.replied_at or question.reply_due


def _next_number(now: dt.datetime) -> str:
    """The next complaint number of the Beijing year, TS2026-00001 on, from the locked counter."""
    year = now.astimezone(SHANGHAI).year
    return next_in_year(ComplaintCounter, Complaint.objects.all(), f"TS{year}-", year)


def file_complaint(
    *, question: Question, content: ComplaintContent, acting_user, evidence=None
) -> tuple[Complaint, str]:
    """File the complaint; returns it with its access code, shown once and kept only hashed."""
    supplier = organisation_of(acting_user)
    if (
        role_of(acting_user) != OrganisationKind.SUPPLIER
        or supplier is None
        or supplier.pk != question.supplier_id
    ):
        raise PermissionDenied(ONLY_QUESTIONER)
    _check_content(content)
    now = _now()
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("lot", "lot__project", "lot__project__agency")
            .get(pk=question.pk)
        )
        if question.state == QuestionState.WITHDRAWN:
            raise InvalidTransition(QUESTION_WITHDRAWN, code="wrong_state")
        if question.state == QuestionState.SUBMITTED and now < question.reply_due:
            raise InvalidTransition(
                NOT_YET % {"due": format_moment(question.reply_due)}, code="too_early"
            )
        if now >= question.complaint_closes:
            raise DeadlinePassed(
                LATE_COMPLAINT % {"closes": format_moment(question.complaint_closes)},
                code="late",
            )
        earlier = (
            question.complaints.exclude(state__in=[ComplaintState.REJECTED])
            .exclude(state=ComplaintState.WITHDRAWN)
            .first()
        )
        if earlier is not None:
            raise InvalidTransition(ALREADY_COMPLAINED % {"number": earlier.number}, code="twice")
        code = new_access_code()
        review_due = periods.complaint_review_due(received_at=now)
        complaint = Complaint(
            number=_next_number(now),
            access_code_hash=make_password(code),
            question=question,
            complainant=supplier,
            filed_by=acting_user,
            respondent=responder_of(question.lot),
            address=content.address.strip(),
            postcode=content.postcode.strip(),
            contact=content.contact.strip(),
            phone=content.phone.strip(),
            respondent_address=content.respondent_address.strip(),
            respondent_contact=content.respondent_contact.strip(),
            respondent_phone=content.respondent_phone.strip(),
            question_account=content.question_account.strip(),
            evidence=evidence,
            items=content.items.strip(),
            facts=content.facts.strip(),
            legal_basis=content.legal_basis.strip(),
            signatory=content.signatory.strip(),
            received_at=now,
            review_due=review_due,
            decision_due=periods.decision_due(received_at=now),
        )
        _save(complaint, acting_user, "filed")
        record_event(
            action="complaints.complaint.filed",
            actor=acting_user,
            organisation=supplier,
            subject=complaint,
            data={
                "question": question.number,
                "lot": question.lot_id,
                "review_due": complaint.review_due,
            },
        )
        start_clock(subject=complaint, kind=REVIEW_CLOCK, due=review_due, responsible=None)
        notify_bureau(
            kind=FILED,
            context=_context(complaint, due=format_moment(review_due)),
            subject=complaint,
        )
    return complaint, code


# --- the bureau's review (O94 Art 21) -----------------------------------------------------------


def request_correction(
    *, complaint: Complaint, items: str, due_on: dt.date, acting_user
) -> Complaint:
    bureau = _bureau(acting_user)
    if not items.strip():
        raise DomainError(CORRECTION_ITEMS)
    now = _now()
    if due_on <= now.astimezone(SHANGHAI).date():
        raise DomainError(CORRECTION_DUE_PAST)
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.SUBMITTED)
        if complaint.correction_requested_at is not None:
            raise InvalidTransition(CORRECTION_ONCE, code="once")
        if complaint.review_due is not None and now >= complaint.review_due:
            raise DeadlinePassed(REVIEW_OVER % {"due": format_moment(complaint.review_due)})
        due = periods.end_of_day(due_on)
        _handled_by(complaint, bureau)
        complaint.request_correction(items=items.strip(), due=due, at=now)
        _save(complaint, acting_user, "correction requested")
        record_event(
            action="complaints.complaint.correction_requested",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"due": due},
        )
        meet_clock(subject=complaint, kind=REVIEW_CLOCK, at=now)
        start_clock(
            subject=complaint,
            kind=CORRECTION_CLOCK,
            due=due,
            responsible=complaint.complainant,
        )
        notify_organisation(
            organisation=complaint.complainant,
            kind=CORRECTION_ASKED,
            context=_context(complaint, due=format_moment(due), items=complaint.correction_items),
            subject=complaint,
        )
    return complaint


def submit_correction(*, complaint: Complaint, content: ComplaintContent, acting_user) -> Complaint:
    """The complainant corrects the complaint; the bureau reviews it again (5 working days)."""
    supplier = _complainant(complaint, acting_user)
    _check_content(content)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.CORRECTION_REQUESTED)
        assert complaint.correction_due is not None
        if now >= complaint.correction_due:
            raise DeadlinePassed(
                LATE_CORRECTION % {"due": format_moment(complaint.correction_due)}, code="late"
            )
        for field in (
            "address",
            "postcode",
            "contact",
            "phone",
            "respondent_address",
            "respondent_contact",
            "respondent_phone",
            "question_account",
            "items",
            "facts",
            "legal_basis",
            "signatory",
        ):
            setattr(complaint, field, getattr(content, field).strip())
        complaint.record_correction(at=now)
        complaint.review_due = periods.complaint_review_due(received_at=now)
        _save(complaint, acting_user, "corrected")
        record_event(
            action="complaints.complaint.corrected",
            actor=acting_user,
            organisation=supplier,
            subject=complaint,
            data={"review_due": complaint.review_due},
        )
        meet_clock(subject=complaint, kind=CORRECTION_CLOCK, at=now)
        start_clock(
            subject=complaint, kind=REVIEW_CLOCK, due=complaint.review_due, responsible=None
        )
        notify_bureau(
            kind=CORRECTED,
            context=_context(complaint, due=format_moment(complaint.review_due)),
            subject=complaint,
        )
    return complaint


def refuse_complaint(
    *, complaint: Complaint, kind: str, reasons: str, authority: str = "", acting_user
) -> Complaint:
    """Not accepted (不予受理), with reasons, or pointed to the competent authority."""
    bureau = _bureau(acting_user)
    if kind not in RefusalKind.values or not reasons.strip():
        raise DomainError(REASONS_REQUIRED)
    if kind == RefusalKind.JURISDICTION and not authority.strip():
        raise DomainError(AUTHORITY_REQUIRED)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.SUBMITTED, ComplaintState.CORRECTION_REQUESTED)
        if kind == RefusalKind.NOT_CORRECTED:
            asked = complaint.correction_requested_at is not None
            lapsed = (
                complaint.state == ComplaintState.CORRECTION_REQUESTED
                and complaint.correction_due is not None
                and now >= complaint.correction_due
            )
            if not asked or (complaint.state != ComplaintState.SUBMITTED and not lapsed):
                raise InvalidTransition(NOT_CORRECTED_YET, code="wrong_state")
        elif complaint.state != ComplaintState.SUBMITTED:
            raise InvalidTransition(WRONG_STATE, code="wrong_state")
        _handled_by(complaint, bureau)
        complaint.refuse(
            kind=kind,
            reasons=reasons.strip(),
            authority=authority.strip() if kind == RefusalKind.JURISDICTION else "",
            at=now,
        )
        _save(complaint, acting_user, "not accepted")
        record_event(
            action="complaints.complaint.refused",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"kind": kind},
        )
        meet_clock(subject=complaint, kind=REVIEW_CLOCK, at=now)
        cancel_clock(subject=complaint, kind=CORRECTION_CLOCK)
        notify_organisation(
            organisation=complaint.complainant,
            kind=REFUSED,
            context=_context(complaint),
            subject=complaint,
        )
    return complaint


def receipt_context(complaint: Complaint) -> dict[str, Any]:
    lot = complaint.question.lot
    return {
        "complaint": complaint,
        "lot": lot,
        "project": lot.project,
        "paused": complaint.correction_pause(),
    }


def render_receipt(complaint: Complaint) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="complaints/pdf/receipt.html", context=receipt_context(complaint)
        )


def accept_complaint(*, complaint: Complaint, acting_user) -> Complaint:
    """Accepted from the day of receipt: the receipt, the decision clock, the notice clock."""
    bureau = _bureau(acting_user)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.SUBMITTED)
        due = periods.decision_due(
            received_at=complaint.received_at, paused=complaint.correction_pause()
        )
        _handled_by(complaint, bureau)
        complaint.accept(at=now, decision_due=due)
        complaint.notice_due = periods.respondent_notice_due(received_at=complaint.received_at)
        complaint.receipt_pdf = store_bytes(
            content=render_receipt(complaint),
            name=f"receipt-{complaint.number}.pdf",
            use=RECEIPT_USE,
            acting_user=acting_user,
        )
        _save(complaint, acting_user, "accepted")
        record_event(
            action="complaints.complaint.accepted",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={
                "received_at": complaint.received_at,
                "decision_due": due,
                "notice_due": complaint.notice_due,
            },
        )
        meet_clock(subject=complaint, kind=REVIEW_CLOCK, at=now)
        start_clock(
            subject=complaint,
            kind=DECISION_CLOCK,
            due=due,
            responsible=None,
            started=complaint.received_at,
        )
        start_clock(
            subject=complaint,
            kind=NOTICE_CLOCK,
            due=complaint.notice_due,
            responsible=None,
            started=complaint.received_at,
        )
        notify_organisation(
            organisation=complaint.complainant,
            kind=ACCEPTED,
            context=_context(complaint, due=format_moment(due)),
            subject=complaint,
        )
    return complaint


def send_to_respondent(*, complaint: Complaint, acting_user) -> Complaint:
    """The answer notice (投诉答复通知书) and a copy of the complaint go to the respondent."""
    bureau = _bureau(acting_user)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.ACCEPTED, ComplaintState.SUSPENDED)
        if complaint.notice_sent_at is not None:
            raise InvalidTransition(NOTICE_SENT, code="wrong_state")
        complaint.notice_sent_at = now
        complaint.answer_due = periods.respondent_answer_due(notified_at=now)
        _save(complaint, acting_user, "sent to the respondent")
        record_event(
            action="complaints.complaint.sent_to_respondent",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"answer_due": complaint.answer_due},
        )
        meet_clock(subject=complaint, kind=NOTICE_CLOCK, at=now)
        assert complaint.respondent is not None
        start_clock(
            subject=complaint,
            kind=ANSWER_CLOCK,
            due=complaint.answer_due,
            responsible=complaint.respondent,
        )
        notify_organisation(
            organisation=complaint.respondent,
            kind=NOTICE,
            context=_context(complaint, due=format_moment(complaint.answer_due)),
            subject=complaint,
        )
    return complaint


def answer_complaint(*, complaint: Complaint, answer: str, acting_user) -> Complaint:
    if not is_respondent(acting_user, complaint):
        raise PermissionDenied(ONLY_RESPONDENT)
    if not answer.strip():
        raise DomainError(ANSWER_REQUIRED)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.ACCEPTED, ComplaintState.SUSPENDED)
        if complaint.notice_sent_at is None or complaint.answer_due is None:
            raise InvalidTransition(NOTICE_NOT_SENT, code="wrong_state")
        if complaint.answered_at is not None:
            raise InvalidTransition(ALREADY_ANSWERED, code="wrong_state")
        if now >= complaint.answer_due:
            raise DeadlinePassed(
                LATE_ANSWER % {"due": format_moment(complaint.answer_due)}, code="late"
            )
        complaint.respondent_answer = answer.strip()
        complaint.answered_at = now
        _save(complaint, acting_user, "answered")
        record_event(
            action="complaints.complaint.answered",
            actor=acting_user,
            organisation=complaint.respondent,
            subject=complaint,
            data={},
        )
        meet_clock(subject=complaint, kind=ANSWER_CLOCK, at=now)
        notify_bureau(kind=ANSWERED, context=_context(complaint), subject=complaint)
    return complaint


# --- the decision (O94 Arts 29-34) --------------------------------------------------------------


@dataclass(frozen=True)
class DecisionContent:
    outcome: str
    facts: str
    decision: str
    legal_basis: str
    reconsideration_body: str
    court: str
    consequence: str = ""
    dismissal_ground: str = ""


def _check_decision(content: DecisionContent) -> None:
    if content.outcome not in (ComplaintOutcome.UPHELD, ComplaintOutcome.DISMISSED):
        raise DomainError(DECISION_INCOMPLETE)
    required = [
        content.facts,
        content.decision,
        content.legal_basis,
        content.reconsideration_body,
        content.court,
    ]
    if not all(value.strip() for value in required):
        raise DomainError(DECISION_INCOMPLETE)
    if content.outcome == ComplaintOutcome.UPHELD and content.consequence not in Consequence.values:
        raise DomainError(UPHELD_NEEDS_CONSEQUENCE)
    if (
        content.outcome == ComplaintOutcome.DISMISSED
        and content.dismissal_ground not in DismissalGround.values
    ):
        raise DomainError(DISMISSED_NEEDS_GROUND)


def decision_context(complaint: Complaint) -> dict[str, Any]:
    lot = complaint.question.lot
    return {"complaint": complaint, "lot": lot, "project": lot.project}


def render_decision(complaint: Complaint) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="complaints/pdf/decision.html", context=decision_context(complaint)
        )


def decide_complaint(*, complaint: Complaint, content: DecisionContent, acting_user) -> Complaint:
    """The decision letter (投诉处理决定书), served on the parties in their inboxes."""
    bureau = _bureau(acting_user)
    _check_decision(content)
    now = _now()
    upheld = content.outcome == ComplaintOutcome.UPHELD
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.ACCEPTED, ComplaintState.SUSPENDED)
        if complaint.referrals.filter(returned_at__isnull=True).exists():
            raise InvalidTransition(REFERRAL_OUT, code="referral_out")
        if complaint.state == ComplaintState.SUSPENDED:  # the decision ends the suspension
            _resume(complaint, at=now, acting_user=acting_user)
            meet_clock(subject=complaint, kind=SUSPENSION_CLOCK, at=now)
        _handled_by(complaint, bureau)
        complaint.decide(
            outcome=content.outcome,
            ground="" if upheld else content.dismissal_ground,
            consequence=content.consequence if upheld else "",
            facts=content.facts.strip(),
            text=content.decision.strip(),
            basis=content.legal_basis.strip(),
            body=content.reconsideration_body.strip(),
            court=content.court.strip(),
            at=now,
        )
        pdf = render_decision(complaint)
        complaint.decision_pdf = store_bytes(
            content=pdf,
            name=f"decision-{complaint.number}.pdf",
            use=DECISION_USE,
            acting_user=acting_user,
        )
        _save(complaint, acting_user, "decided")
        record_event(
            action="complaints.complaint.decided",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={
                "outcome": complaint.outcome,
                "consequence": complaint.consequence,
                "ground": complaint.dismissal_ground,
                "in_time": now < complaint.decision_due,
            },
        )
        meet_clock(subject=complaint, kind=DECISION_CLOCK, at=now)
        for kind in (NOTICE_CLOCK, ANSWER_CLOCK):
            cancel_clock(subject=complaint, kind=kind)
        _serve(complaint, pdf)
        if complaint.groundless:
            flag_if_repeated(complaint)
    return complaint


def _serve(complaint: Complaint, pdf: bytes) -> None:
    """O94 Art 34: the letter reaches the complainant and the respondent, attached."""
    parties = [complaint.complainant]
    if complaint.respondent is not None:
        parties.append(complaint.respondent)
    for organisation in parties:
        notify(
            recipients=members_of(organisation),
            kind=DECIDED,
            context={**_context(complaint), "organisation": organisation},
            subject=complaint,
            attachment=(f"decision-{complaint.number}.pdf", pdf),
        )


def publish_decision(*, complaint: Complaint, acting_user) -> Complaint:
    """O94 Art 34: the result is published on the public portal (an announcement)."""
    bureau = _bureau(acting_user)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.DECIDED)
        lot = complaint.question.lot
        announcement = publish_announcement(
            kind=AnnouncementKind.COMPLAINT_DECISION,
            project=lot.project,
            data=announcement_data(complaint),
            acting_user=acting_user,
            organisation=bureau,
            lots=[lot],
            lot=lot,
            at=now,
            extra_search=f"{complaint.number} {complaint.complainant.name}",
        )
        complaint.publish(announcement=announcement)
        _save(complaint, acting_user, "published")
        record_event(
            action="complaints.complaint.published",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"announcement": announcement.pk},
        )
    return complaint


def announcement_data(complaint: Complaint) -> dict[str, Any]:
    """What the published notice shows (no trade secrets: the finding, not the evidence)."""
    return {
        "complaint_number": complaint.number,
        "complainant": complaint.complainant.name,
        "respondent": complaint.respondent.name if complaint.respondent else "",
        "outcome": complaint.outcome,
        "outcome_label": str(complaint.get_outcome_display()),
        "consequence_label": str(complaint.get_consequence_display())
        if complaint.consequence
        else "",
        "ground_label": str(complaint.get_dismissal_ground_display())
        if complaint.dismissal_ground
        else "",
        "items": complaint.items,
        "facts": complaint.decision_facts,
        "decision": complaint.decision_text,
        "legal_basis": complaint.decision_basis,
        "decided_at": complaint.decided_at.astimezone(SHANGHAI).date().isoformat()
        if complaint.decided_at
        else "",
    }


def withdraw_complaint(*, complaint: Complaint, acting_user) -> Complaint:
    """O94 Art 30: a written withdrawal ends the case; the parties are told."""
    supplier = _complainant(complaint, acting_user)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(
            complaint,
            ComplaintState.SUBMITTED,
            ComplaintState.CORRECTION_REQUESTED,
            ComplaintState.ACCEPTED,
            ComplaintState.SUSPENDED,
        )
        if complaint.state == ComplaintState.SUSPENDED:  # the procurement resumes first
            _resume(complaint, at=now, acting_user=acting_user)
        was_accepted = complaint.state == ComplaintState.ACCEPTED
        complaint.withdraw(at=now)
        _save(complaint, acting_user, "withdrawn")
        record_event(
            action="complaints.complaint.withdrawn",
            actor=acting_user,
            organisation=supplier,
            subject=complaint,
            data={},
        )
        for kind in ALL_CLOCKS:
            cancel_clock(subject=complaint, kind=kind)
        notify_bureau(kind=WITHDRAWN, context=_context(complaint), subject=complaint)
        if was_accepted and complaint.notice_sent_at and complaint.respondent is not None:
            notify_organisation(
                organisation=complaint.respondent,
                kind=WITHDRAWN,
                context=_context(complaint),
                subject=complaint,
            )
    return complaint


# --- O94 Art 37: repeated groundless complaints -------------------------------------------------


def groundless_within_year(complainant: Organisation, *, until: dt.datetime) -> list[Complaint]:
    return list(
        Complaint.objects.filter(
            complainant=complainant,
            outcome=ComplaintOutcome.DISMISSED,
            dismissal_ground=DismissalGround.NO_BASIS,
            decided_at__gt=until - GROUNDLESS_WINDOW,
            decided_at__lte=until,
        ).order_by("decided_at", "id")
    )


def flag_if_repeated(complaint: Complaint) -> bool:
    """Tell the bureau when the complainant reaches three groundless complaints in 12 months."""
    assert complaint.decided_at is not None
    cases = groundless_within_year(complaint.complainant, until=complaint.decided_at)
    if len(cases) < GROUNDLESS_LIMIT:
        return False
    record_event(
        action="complaints.complainant.flagged",
        actor=None,
        organisation=complaint.complainant,
        subject=complaint,
        data={"cases": [case.number for case in cases]},
    )
    notify_bureau(
        kind=FLAGGED,
        context={
            "complainant": complaint.complainant,
            "numbers": ", ".join(case.number for case in cases),
            "url": reverse("complaints:repeat_complainants"),
        },
        subject=complaint,
        event=f"complaints.flagged:{complaint.complainant_id}:{complaint.pk}",
    )
    return True


# --- suspension (O94 Art 28; GPL Art 57) ---------------------------------------------------------

SUSPENSION_CLOCK = "complaints.suspension_end"
SUSPENSION_MAX_DAYS = 30  # O94 Art 28: 暂停采购活动时间最长不得超过30日
SUSPENDED = "complaints.procurement_suspended"
RESUMED = "complaints.procurement_resumed"

SUSPENSION_TOO_LONG = _("The procurement may be suspended for at most 30 days (O94 Art 28).")


def _suspended_subjects(lot) -> list:
    """Every object whose clocks stop with the lot: the lot, its award and its contracts."""
    from contracts.models import Contract
    from evaluation.models import Award

    subjects: list = [lot]
    subjects.extend(Award.objects.filter(lot=lot))
    subjects.extend(Contract.objects.filter(lot=lot))
    return subjects


def _parties_of_lot(complaint: Complaint) -> list[Organisation]:
    lot = complaint.question.lot
    parties = [lot.project.purchaser]
    if lot.project.agency is not None:
        parties.append(lot.project.agency)
    parties.append(complaint.complainant)
    return parties


def suspend_procurement(*, complaint: Complaint, days: int, acting_user) -> Complaint:
    """The written order to stop the procurement for at most 30 days: the lot is suspended
    (or its contract may not be signed), every clock on it pauses, a public notice is published."""
    bureau = _bureau(acting_user)
    if not 1 <= days <= SUSPENSION_MAX_DAYS:
        raise DomainError(SUSPENSION_TOO_LONG)
    now = _now()
    ends = now + dt.timedelta(days=days)
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.ACCEPTED)
        lot = (
            type(complaint.question.lot)
            .objects.select_for_update()
            .get(pk=complaint.question.lot_id)
        )
        complaint.suspend(at=now, ends=ends)
        if lot.state in SUSPENDABLE:
            lot.suspend()
            lot._history_user = acting_user
            lot._change_reason = "suspended by the finance bureau (O94 Art 28)"
            lot.save()
        for subject in _suspended_subjects(lot):
            pause_clocks(subject=subject, at=now)
        complaint.suspension_notice = publish_announcement(
            kind=AnnouncementKind.SUSPENSION,
            project=lot.project,
            data={
                "complaint_number": complaint.number,
                "lot": f"{lot.number}. {lot.name}",
                "suspended_at": now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                "suspended_until": ends.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                "basis": "《政府采购质疑和投诉办法》（财政部令第94号）第二十八条；"
                "《中华人民共和国政府采购法》第五十七条",
            },
            acting_user=acting_user,
            organisation=bureau,
            lots=[lot],
            lot=lot,
            at=now,
            extra_search=complaint.number,
        )
        _save(complaint, acting_user, "procurement suspended")
        record_event(
            action="complaints.procurement.suspended",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"lot": lot.pk, "until": ends},
        )
        start_clock(subject=complaint, kind=SUSPENSION_CLOCK, due=ends, responsible=None)
        for organisation in _parties_of_lot(complaint):
            notify_organisation(
                organisation=organisation,
                kind=SUSPENDED,
                context=_context(complaint, until=format_moment(ends)),
                subject=complaint,
            )
    return complaint


def _resume(complaint: Complaint, *, at: dt.datetime, acting_user) -> None:
    """Inside the caller's transaction, on a locked complaint in SUSPENDED."""
    lot = type(complaint.question.lot).objects.select_for_update().get(pk=complaint.question.lot_id)
    complaint.resume(at=at)
    if lot.state == LotState.SUSPENDED:
        lot.resume()
        lot._history_user = acting_user
        lot._change_reason = "resumed (O94 Art 28)"
        lot.save()
    for subject in _suspended_subjects(lot):
        resume_clocks(subject=subject, at=at)
    _save(complaint, acting_user, "procurement resumed")
    record_event(
        action="complaints.procurement.resumed",
        actor=acting_user,
        organisation=complaint.bureau,
        subject=complaint,
        data={"lot": lot.pk, "by_order": acting_user is not None},
    )
    for organisation in _parties_of_lot(complaint):
        notify_organisation(
            organisation=organisation, kind=RESUMED, context=_context(complaint), subject=complaint
        )


def resume_procurement(*, complaint: Complaint, acting_user) -> Complaint:
    """The bureau's notice to resume (恢复采购活动通知) before the term ends."""
    _bureau(acting_user)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.SUSPENDED)
        _resume(complaint, at=now, acting_user=acting_user)
        meet_clock(subject=complaint, kind=SUSPENSION_CLOCK, at=now)
    return complaint


def resume_at_term_end(clock) -> None:
    """The due action of the suspension clock: the term ended, the procurement resumes."""
    complaint = _locked(Complaint(pk=clock.subject_id))
    if complaint.state == ComplaintState.SUSPENDED:
        _resume(complaint, at=clock.due, acting_user=None)


def suspension_blockers(lot) -> list[str]:
    """While the procurement is suspended, the lot's contract is not signed (O94 Art 28)."""
    numbers = list(
        Complaint.objects.filter(question__lot=lot, state=ComplaintState.SUSPENDED).values_list(
            "number", flat=True
        )
    )
    if not numbers:
        return []
    return [
        str(
            _(
                "The finance bureau has suspended this procurement while it handles complaint "
                "%(numbers)s: the contract may not be signed until it resumes (财政部令第94号第二十八条)."
            )
            % {"numbers": ", ".join(numbers)}
        )
    ]


# --- testing, appraisal and expert review (O94 Arts 23 ¶2, 27) ------------------------------------

MAX_EXPECTED_DAYS = 60  # a bound on what is told to the complainant, not a legal term


def refer_for_examination(
    *,
    complaint: Complaint,
    kind: str,
    body: str,
    subject_matter: str,
    expected_days: int,
    acting_user,
) -> Referral:
    """Send something out for testing, appraisal or expert review: the decision clock stops
    from today until the answer comes back, and the complainant is told the expected time."""
    bureau = _bureau(acting_user)
    if (
        kind not in ReferralKind.values
        or not body.strip()
        or not subject_matter.strip()
        or not 1 <= expected_days <= MAX_EXPECTED_DAYS
    ):
        raise DomainError(REFERRAL_INCOMPLETE)
    now = _now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _in_state(complaint, ComplaintState.ACCEPTED, ComplaintState.SUSPENDED)
        _handled_by(complaint, bureau)
        referral = Referral.objects.create(
            complaint=complaint,
            kind=kind,
            body=body.strip(),
            subject_matter=subject_matter.strip(),
            expected_days=expected_days,
            sent_at=now,
            sent_by=acting_user,
        )
        record_event(
            action="complaints.complaint.referred",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"kind": kind, "body": referral.body, "expected_days": expected_days},
        )
        pause_clocks(subject=complaint, at=now, kinds=[DECISION_CLOCK])
        notify_organisation(
            organisation=complaint.complainant,
            kind=REFERRED,
            context=_context(
                complaint,
                what=referral.get_kind_display(),
                body=referral.body,
                days=expected_days,
            ),
            subject=complaint,
        )
    return referral


def record_referral_answer(*, referral: Referral, finding: str, acting_user) -> Complaint:
    """The answer came back: the decision period runs again, its end moved by the working days
    the referral took (both the day sent and the day received are left out, Art 27 ¶2)."""
    bureau = _bureau(acting_user)
    if not finding.strip():
        raise DomainError(REFERRAL_INCOMPLETE)
    now = _now()
    with transaction.atomic():
        complaint = _locked(referral.complaint)
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.returned_at is not None:
            raise InvalidTransition(REFERRAL_BACK, code="returned")
        _handled_by(complaint, bureau)
        referral.returned_at = now
        referral.finding = finding.strip()
        referral.save()
        complaint.decision_due = periods.decision_due(
            received_at=complaint.received_at, paused=complaint.paused_ranges()
        )
        _save(complaint, acting_user, "testing or expert review returned")
        record_event(
            action="complaints.complaint.referral_returned",
            actor=acting_user,
            organisation=bureau,
            subject=complaint,
            data={"referral": referral.pk, "decision_due": complaint.decision_due},
        )
        if not complaint.referrals.filter(returned_at__isnull=True).exists():
            resume_clocks(subject=complaint, at=now, kinds=[DECISION_CLOCK])
            # A period that had run out before the referral stays late.
            with contextlib.suppress(InvalidTransition):
                start_clock(
                    subject=complaint,
                    kind=DECISION_CLOCK,
                    due=complaint.decision_due,
                    responsible=None,
                )
        notify_organisation(
            organisation=complaint.complainant,
            kind=REFERRAL_RETURNED,
            context=_context(complaint, due=format_moment(complaint.decision_due)),
            subject=complaint,
        )
    return complaint
