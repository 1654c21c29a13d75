"""Inquiries (询问), questions (质疑) and complaints (投诉): the cases of issue 13.

The periods are computed in complaints/periods.py; the deadlines stored here are copies of them
taken when the case was received, indexed for the bureau's lists, and each one is also a
timers.Clock (the sweep reminds and escalates).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.models import TimeStampedModel
from procurement.models import Lot
from workdays.calendar import SHANGHAI

# --- inquiries (询问, GPL Art 51; IR Art 52) ----------------------------------------------------


class InquiryState(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def blocking(self) -> InquiryQuerySet:
        """Open inquiries that may change the result: the lot's contract waits (IR Art 54)."""
        return self.filter(state=InquiryState.OPEN, may_affect_result=True)


class Inquiry(FSMModelMixin, TimeStampedModel):
    """A supplier asks about a lot; the purchaser or agency answers within 3 working days."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="inquiries"
    )
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("inquiry"))
    received_at = models.DateTimeField(_("received at"))
    # Swept by the timers Clock "complaints.inquiry_answer"; indexed for the bureau's list.
    answer_due = models.DateTimeField(_("answer due"), db_index=True)
    state = FSMField(
        _("state"),
        max_length=16,
        choices=InquiryState.choices,
        default=InquiryState.OPEN,
        protected=True,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # IR Art 54 ("询问或者质疑事项可能影响中标、成交结果的"): an inquiry asked once bidding has
    # closed is about the procedure or the result, and may change it; one asked while the
    # documents are on offer is about the documents, like a documents question.
    may_affect_result = models.BooleanField(_("may change the result"), default=False)

    objects = InquiryQuerySet.as_manager()
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lot} · {self.supplier}"

    @transition(field=state, source=InquiryState.OPEN, target=InquiryState.ANSWERED)
    def record_answer(self, *, answer: str, by: User, at) -> None:
        self.answer = answer
        self.answered_by = by
        self.answered_at = at


# --- questions (质疑, GPL Arts 52-54; O94 Arts 10-16; IR Arts 53-54) ----------------------------


class QuestionTarget(models.TextChoices):
    """What is questioned; it fixes the day the supplier should have known (IR Art 53)."""

    DOCUMENTS = "documents", _("The procurement documents")
    PROCEDURE = "procedure", _("The procurement procedure")
    RESULT = "result", _("The award result")


class QuestionState(models.TextChoices):
    SUBMITTED = "submitted", _("Received, awaiting the reply")
    REPLIED = "replied", _("Replied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class QuestionOutcome(models.TextChoices):
    """The reply's finding (O94 Art 16)."""

    NOT_UPHELD = "not_upheld", _("Not upheld")
    NO_EFFECT = "no_effect", _("Upheld, without effect on the result")
    UPHELD = "upheld", _("Upheld, affecting or possibly affecting the result")


class QuestionQuerySet(models.QuerySet["Question"]):
    def blocking(self) -> QuestionQuerySet:
        """Open questions that may change the result: the lot's contract waits (IR Art 54)."""
        return self.filter(state=QuestionState.SUBMITTED, may_affect_result=True)


class Question(FSMModelMixin, TimeStampedModel):
    """A question (质疑函) on a lot, with the content O94 Art 12 requires."""

    number = models.CharField(_("question number"), max_length=24, unique=True)
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="challenges"
    )
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("questioning supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.CharField(_("what is questioned"), max_length=16, choices=QuestionTarget)
    knew_on = models.DateField(_("day the harm was known"))
    window_closes = models.DateTimeField(_("question window closes"))
    # O94 Art 12 (1): the supplier's particulars as it states them on the letter.
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=6)
    contact = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("telephone"), max_length=30)
    # O94 Art 12 (3)-(5).
    items = models.TextField(_("questioned items and requests"))
    facts = models.TextField(_("facts"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    signatory = models.CharField(_("signed by (authorised person)"), max_length=50)
    attachment = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("supporting materials"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"))
    # Swept by the timers Clock "complaints.question_reply"; indexed for the bureau's list.
    reply_due = models.DateTimeField(_("reply due"), db_index=True)
    # IR Art 54: a question about the procedure or the result may change it.
    may_affect_result = models.BooleanField(_("may change the result"), default=True)
    state = FSMField(
        _("state"),
        max_length=16,
        choices=QuestionState.choices,
        default=QuestionState.SUBMITTED,
        protected=True,
    )
    # The reply (O94 Art 15).
    outcome = models.CharField(_("finding"), max_length=16, choices=QuestionOutcome, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    reply_facts = models.TextField(_("facts of the reply"), blank=True)
    reply_legal_basis = models.TextField(_("legal basis of the reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replier = models.ForeignKey(
        Organisation,
        verbose_name=_("replying organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    complaint_closes = models.DateTimeField(_("complaint window closes"))

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @transition(field=state, source=QuestionState.SUBMITTED, target=QuestionState.REPLIED)
    def record_reply(
        self,
        *,
        outcome: str,
        reply: str,
        facts: str,
        legal_basis: str,
        by: User,
        organisation: Organisation,
        at,
    ) -> None:
        self.outcome = outcome
        self.reply = reply
        self.reply_facts = facts
        self.reply_legal_basis = legal_basis
        self.replied_by = by
        self.replier = organisation
        self.replied_at = at

    @transition(field=state, source=QuestionState.SUBMITTED, target=QuestionState.WITHDRAWN)
    def withdraw(self) -> None:
        pass


class YearCounter(models.Model):
    """The last number given in a year of one series: the row is locked while a number is taken,
    so two filings at once never get the same number."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class QuestionCounter(YearCounter):
    class Meta:
        verbose_name = _("question number counter")
        verbose_name_plural = _("question number counters")


class ComplaintCounter(YearCounter):
    class Meta:
        verbose_name = _("complaint number counter")
        verbose_name_plural = _("complaint number counters")


# --- complaints (投诉, GPL Arts 55-58; O94 Arts 17-34) --------------------------------------------


class ComplaintState(models.TextChoices):
    SUBMITTED = "submitted", _("Received, under review")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    SUSPENDED = "suspended", _("Procurement suspended")
    DECIDED = "decided", _("Decided")
    PUBLISHED = "published", _("Decision published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RefusalKind(models.TextChoices):
    """Why the bureau does not accept a complaint (O94 Art 21 (1)-(3))."""

    NOT_CORRECTED = "not_corrected", _("Not corrected, or still defective after correction")
    CONDITIONS = "conditions", _("The conditions of filing are not met")
    JURISDICTION = "jurisdiction", _("Another authority has jurisdiction")


class ComplaintOutcome(models.TextChoices):
    """How the case ends (O94 Arts 29-32)."""

    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Ended by withdrawal")


class DismissalGround(models.TextChoices):
    """O94 Art 29: the grounds of a dismissal (驳回)."""

    CONDITIONS = "conditions", _("The conditions of acceptance are not met (Art 29 (1))")
    NO_BASIS = "no_basis", _("No factual basis: the complaint is groundless (Art 29 (2))")
    FABRICATED = "fabricated", _("Fabricated facts or false materials (Art 29 (3))")
    ILLEGAL_EVIDENCE = "illegal_evidence", _("Evidence obtained illegally (Art 29 (4))")


class Consequence(models.TextChoices):
    """O94 Arts 31-32: what an upheld complaint means for the procurement."""

    NONE = "none", _("No effect on the result: the procurement continues")
    REPROCURE = "reprocure", _("Procure again")
    RESULT_VOID = (
        "result_void",
        _("The result is void: another qualified candidate or procure again"),
    )
    CONTRACT_REVOKED = (
        "contract_revoked",
        _("The contract is revoked: another qualified candidate or procure again"),
    )
    DAMAGES = "damages", _("The contract has been performed: damages through the courts")
    FAILURE_VOID = "failure_void", _("The failure of the tender is void")


class Complaint(FSMModelMixin, TimeStampedModel):
    """A complaint (投诉书) to the finance bureau on the reply to a question (O94 Art 18)."""

    number = models.CharField(_("case number"), max_length=24, unique=True)
    # The status page is reached by the number and this code (issue 13 §5); only its hash is kept.
    access_code_hash = models.CharField(_("access code (hash)"), max_length=128)
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="complaints"
    )
    complainant = models.ForeignKey(
        Organisation, verbose_name=_("complainant"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # O94 Art 18 (1): both parties' particulars as the complainant states them.
    address = models.CharField(_("address"), max_length=200, default="")
    postcode = models.CharField(_("postcode"), max_length=6, default="")
    contact = models.CharField(_("contact person"), max_length=50, default="")
    phone = models.CharField(_("telephone"), max_length=30, default="")
    respondent = models.ForeignKey(
        Organisation,
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    respondent_address = models.CharField(_("respondent's address"), max_length=200, default="")
    respondent_contact = models.CharField(_("respondent's contact"), max_length=50, default="")
    respondent_phone = models.CharField(_("respondent's telephone"), max_length=30, default="")
    # O94 Art 18 (2): the question and its reply, with the supporting proof.
    question_account = models.TextField(_("account of the question and the reply"), default="")
    evidence = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("supporting proof"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    items = models.TextField(_("complaint items and requests"))
    facts = models.TextField(_("facts"))
    legal_basis = models.TextField(_("legal basis"))
    signatory = models.CharField(_("signed by (authorised person)"), max_length=50)
    received_at = models.DateTimeField(_("received at"))
    # The bureau reviews within 5 working days (O94 Art 21).
    review_due = models.DateTimeField(_("review due"), null=True, db_index=True)
    # Swept by the timers Clock "complaints.decision"; indexed for the bureau's list. Until
    # acceptance it is the due moment counted from receipt; acceptance moves it by the days a
    # correction took (O94 Art 27).
    decision_due = models.DateTimeField(_("decision due"), db_index=True)
    state = FSMField(
        _("state"),
        max_length=24,
        choices=ComplaintState.choices,
        default=ComplaintState.SUBMITTED,
        protected=True,
    )
    # The finance bureau handling the case, from its first step (O94 Art 6).
    bureau = models.ForeignKey(
        Organisation,
        verbose_name=_("finance bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The one request for a correction (补正, O94 Art 21 (1)).
    correction_items = models.TextField(_("items to correct"), blank=True)
    correction_requested_at = models.DateTimeField(
        _("correction requested at"), null=True, blank=True
    )
    correction_due = models.DateTimeField(_("correction due"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    # Not accepted (O94 Art 21 (1)-(3)).
    refusal_kind = models.CharField(
        _("why not accepted"), max_length=16, choices=RefusalKind, blank=True
    )
    refusal_reasons = models.TextField(_("reasons"), blank=True)
    competent_authority = models.CharField(
        _("authority to complain to"), max_length=200, blank=True
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    # Accepted: the receipt (受理回执), and the notice to the respondent (O94 Arts 21 (4), 22).
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    receipt_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("acceptance receipt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_due = models.DateTimeField(_("notice to the respondent due"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    answer_due = models.DateTimeField(_("respondent's answer due"), null=True, blank=True)
    respondent_answer = models.TextField(_("respondent's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The decision (O94 Arts 29-33).
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplaintOutcome, blank=True)
    dismissal_ground = models.CharField(
        _("ground of dismissal"), max_length=16, choices=DismissalGround, blank=True
    )
    consequence = models.CharField(
        _("consequence for the procurement"), max_length=16, choices=Consequence, blank=True
    )
    decision_facts = models.TextField(_("facts found"), blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    decision_basis = models.TextField(_("legal basis of the decision"), blank=True)
    # O94 Art 33 (3): where and until when the parties may challenge the decision.
    reconsideration_body = models.CharField(_("reconsideration body"), max_length=200, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("decision letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.ForeignKey(
        "procurement.Announcement",
        verbose_name=_("published decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The procurement suspended while the complaint is handled (O94 Art 28; GPL Art 57).
    suspended_at = models.DateTimeField(_("procurement suspended at"), null=True, blank=True)
    suspension_ends = models.DateTimeField(_("suspension ends"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("procurement resumed at"), null=True, blank=True)
    suspension_notice = models.ForeignKey(
        "procurement.Announcement",
        verbose_name=_("suspension notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def groundless(self) -> bool:
        """Found groundless (查无实据, O94 Art 37): dismissed for want of a factual basis."""
        return (
            self.outcome == ComplaintOutcome.DISMISSED
            and self.dismissal_ground == DismissalGround.NO_BASIS
        )

    def paused_ranges(self) -> list[tuple[dt.date, dt.date]]:
        """Every range of Beijing dates left out of the decision period (O94 Art 27): the
        correction, and each testing or expert review from the day it was sent to the day its
        answer came back. A referral still out has no end yet: see `open_referral`."""
        ranges = self.correction_pause()
        ranges.extend(
            (
                referral.sent_at.astimezone(SHANGHAI).date(),
                referral.returned_at.astimezone(SHANGHAI).date(),
            )
            for referral in self.referrals.all()
            if referral.returned_at is not None
        )
        return ranges

    def correction_pause(self) -> list[tuple[dt.date, dt.date]]:
        """The Beijing dates the correction took, both included (O94 Art 27), or none."""
        if self.correction_requested_at is None or self.corrected_at is None:
            return []
        return [
            (
                self.correction_requested_at.astimezone(SHANGHAI).date(),
                self.corrected_at.astimezone(SHANGHAI).date(),
            )
        ]

    @transition(
        field=state, source=ComplaintState.SUBMITTED, target=ComplaintState.CORRECTION_REQUESTED
    )
    def request_correction(self, *, items: str, due, at) -> None:
        self.correction_items = items
        self.correction_due = due
        self.correction_requested_at = at

    @transition(
        field=state, source=ComplaintState.CORRECTION_REQUESTED, target=ComplaintState.SUBMITTED
    )
    def record_correction(self, *, at) -> None:
        self.corrected_at = at

    @transition(
        field=state,
        source=[ComplaintState.SUBMITTED, ComplaintState.CORRECTION_REQUESTED],
        target=ComplaintState.REJECTED,
    )
    def refuse(self, *, kind: str, reasons: str, authority: str, at) -> None:
        self.refusal_kind = kind
        self.refusal_reasons = reasons
        self.competent_authority = authority
        self.refused_at = at

    @transition(field=state, source=ComplaintState.SUBMITTED, target=ComplaintState.ACCEPTED)
    def accept(self, *, at, decision_due) -> None:
        self.accepted_at = at
        self.decision_due = decision_due

    @transition(field=state, source=ComplaintState.ACCEPTED, target=ComplaintState.SUSPENDED)
    def suspend(self, *, at, ends) -> None:
        self.suspended_at = at
        self.suspension_ends = ends
        self.resumed_at = None

    @transition(field=state, source=ComplaintState.SUSPENDED, target=ComplaintState.ACCEPTED)
    def resume(self, *, at) -> None:
        self.resumed_at = at

    @transition(field=state, source=ComplaintState.ACCEPTED, target=ComplaintState.DECIDED)
    def decide(self, *, outcome, ground, consequence, facts, text, basis, body, court, at) -> None:
        self.reconsideration_body = body
        self.court = court
        self.outcome = outcome
        self.dismissal_ground = ground
        self.consequence = consequence
        self.decision_facts = facts
        self.decision_text = text
        self.decision_basis = basis
        self.decided_at = at

    @transition(field=state, source=ComplaintState.DECIDED, target=ComplaintState.PUBLISHED)
    def publish(self, *, announcement) -> None:
        self.announcement = announcement

    @transition(
        field=state,
        source=[
            ComplaintState.SUBMITTED,
            ComplaintState.CORRECTION_REQUESTED,
            ComplaintState.ACCEPTED,
            ComplaintState.SUSPENDED,
        ],
        target=ComplaintState.WITHDRAWN,
    )
    def withdraw(self, *, at) -> None:
        self.outcome = ComplaintOutcome.WITHDRAWN
        self.withdrawn_at = at


class ReferralKind(models.TextChoices):
    """What the bureau sends out while it handles a complaint (O94 Arts 23 ¶2, 27)."""

    INSPECTION = "inspection", _("Inspection (检验)")
    TESTING = "testing", _("Testing (检测)")
    APPRAISAL = "appraisal", _("Appraisal (鉴定)")
    EXPERT_REVIEW = "expert_review", _("Expert review (专家评审)")


class Referral(TimeStampedModel):
    """A testing, appraisal or expert review the bureau asked for: from the day it was sent to
    the day its answer came back, the decision period does not run (O94 Art 27), and the
    complainant is told how long it is expected to take (Art 27 ¶3)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReferralKind.choices)
    body = models.CharField(_("sent to"), max_length=200)
    subject_matter = models.TextField(_("what is to be examined"))
    expected_days = models.PositiveSmallIntegerField(
        _("expected time (working days)"),
        help_text=_("Told to the complainant (O94 Art 27 ¶3)."),
    )
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    returned_at = models.DateTimeField(_("answer received"), null=True, blank=True)
    finding = models.TextField(_("finding received"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("testing or expert review")
        verbose_name_plural = _("testing and expert reviews")

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_kind_display()}"
