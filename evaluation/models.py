"""Remote evaluation and award (DESIGN.md layer 4; RULES.md §6–§7; O87 Arts 44–70).

An opened lot with its committee seated is evaluated in steps, each a page: every member signs a
no-conflict declaration; the purchaser or agency records the qualification review (O87 Art 44);
the committee records the compliance review and the invalid bids (O87 Art 63); each member scores
each criterion on its own sheet; an abnormally low price is explained by its bidder (O87 Art 60).
The leader submits the report — the ranking is computed by ``evaluation.scoring``, never typed —
the members sign it or dissent, and the purchaser confirms the result (Award), which publishes
the result announcement and issues the award notice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import User
from bidding.models import Bid
from common.models import TimeStampedModel
from experts.models import Member
from procurement.models import EvaluationCriterion, Lot


class EvaluationState(models.TextChoices):
    QUALIFICATION = "qualification", _("Qualification review")
    COMPLIANCE = "compliance", _("Compliance review")
    SCORING = "scoring", _("Scoring")
    REPORTED = "reported", _("Report submitted")
    DECIDED = "decided", _("Result decided")
    FAILED = "failed", pgettext_lazy("evaluation state", "Failed")


class Evaluation(FSMModelMixin, TimeStampedModel):
    """The evaluation of one lot, from the qualification review to the decided result."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="evaluation"
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=EvaluationState.choices,
        default=EvaluationState.QUALIFICATION,
        protected=True,
    )
    started_at = models.DateTimeField(_("started at"))
    qualification_done_at = models.DateTimeField(
        _("qualification review done at"), null=True, blank=True
    )
    compliance_done_at = models.DateTimeField(_("compliance review done at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)
    # The report as submitted: scores per member and criterion, reasons, ranking, draw record.
    report = models.JSONField(_("evaluation report"), default=dict, blank=True)
    report_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("report PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A tie left after O87 Arts 56–57 is broken by a recorded random draw (O87 Art 68).
    tie_draw = models.JSONField(_("tie-break draw"), default=dict, blank=True)
    failed_reason = models.TextField(_("reason the evaluation failed"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return str(self.lot)

    @transition(
        field=state, source=EvaluationState.QUALIFICATION, target=EvaluationState.COMPLIANCE
    )
    def finish_qualification(self, *, at) -> None:
        self.qualification_done_at = at

    @transition(field=state, source=EvaluationState.COMPLIANCE, target=EvaluationState.SCORING)
    def finish_compliance(self, *, at) -> None:
        self.compliance_done_at = at

    @transition(field=state, source=EvaluationState.SCORING, target=EvaluationState.REPORTED)
    def submit_report(self, *, at) -> None:
        self.reported_at = at

    @transition(field=state, source=EvaluationState.REPORTED, target=EvaluationState.DECIDED)
    def decide(self) -> None:
        pass

    @transition(
        field=state,
        source=[
            EvaluationState.QUALIFICATION,
            EvaluationState.COMPLIANCE,
            EvaluationState.SCORING,
            EvaluationState.REPORTED,
        ],
        target=EvaluationState.FAILED,
    )
    def fail(self, *, reason: str) -> None:
        self.failed_reason = reason


class Declaration(models.Model):
    """A member's no-conflict declaration (回避声明), signed before any bid is shown to it."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="declarations"
    )
    signed_at = models.DateTimeField(_("signed at"))
    # False: the member declares a conflict with a bidder and must recuse (D198 Art 16).
    no_conflict = models.BooleanField(_("no conflict of interest"))
    conflict_detail = models.TextField(_("the conflict declared"), blank=True)
    statement = models.TextField(_("declaration text"))

    class Meta:
        verbose_name = _("no-conflict declaration")
        verbose_name_plural = _("no-conflict declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "member"], name="declaration_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.evaluation}"


class InvalidGround(models.TextChoices):
    """O87 Art 63: the grounds on which the committee finds a bid invalid."""

    NO_SECURITY = "no_security", _("No bid security as required")
    NO_SIGNATURE = "no_signature", _("Not signed or sealed as required")
    QUALIFICATION = "qualification", _("Does not meet the qualification requirements")
    ABOVE_PRICE = "above_price", _("Price above the budget or the maximum price")
    CONDITIONS = "conditions", _("Attaches conditions the purchaser cannot accept")
    NONCOMPLIANT = "noncompliant", _("Does not meet other substantive requirements")
    LOW_PRICE = "low_price", _("Abnormally low price not justified (O87 Art 60)")
    OTHER = "other", _("Other grounds in law or in the documents")


class BidReview(models.Model):
    """The reviews of one bid: qualification (purchaser or agency) and compliance (committee)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="reviews"
    )
    bid = models.OneToOneField(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="review"
    )
    qualified = models.BooleanField(_("qualified"), null=True)
    qualification_reason = models.TextField(_("reason for failing qualification"), blank=True)
    # RULES.md E-5: 信用中国 and 中国政府采购网, with the query time.
    credit_checked_at = models.DateTimeField(_("credit record checked at"), null=True, blank=True)
    credit_listed = models.BooleanField(_("on a dishonesty list"), default=False)
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    compliant = models.BooleanField(_("compliant"), null=True)
    invalid_ground = models.CharField(
        _("ground of invalidity"), max_length=16, choices=InvalidGround.choices, blank=True
    )
    compliance_reason = models.TextField(_("reasons"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("bid review")
        verbose_name_plural = _("bid reviews")
        ordering = ["evaluation", "bid"]

    def __str__(self) -> str:
        return str(self.bid)


class ScoreSheet(models.Model):
    """One member's scores for a lot; hidden from the other members until it is submitted."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="sheets"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="sheet_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.evaluation}"


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(
        EvaluationCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "bid", "criterion"], name="score_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.points}"


class InquiryDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Explanation accepted")
    REJECTED = "rejected", _("Not justified: the bid is invalid")


class PriceInquiry(TimeStampedModel):
    """An abnormally low price (O87 Art 60): the committee asks, the bidder explains in time."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="price_inquiries"
    )
    question = models.TextField(_("what the committee asks"))
    asked_at = models.DateTimeField(_("asked at"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Swept by the timers Clock "evaluation.price_explanation".
    due = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("the bidder's explanation"), blank=True)
    answer_files = models.ManyToManyField(
        "documents.StoredFile", verbose_name=_("proof"), blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=16, choices=InquiryDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("why"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("price explanation request")
        verbose_name_plural = _("price explanation requests")
        ordering = ["evaluation", "asked_at"]

    def __str__(self) -> str:
        return f"{self.bid} — {self.asked_at:%Y-%m-%d}"


class ReportSignature(models.Model):
    """A member signs the report, or records its dissent with reasons (O87 Art 61)."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    dissent = models.TextField(_("dissent and its reasons"), blank=True)
    report_sha256 = models.CharField(_("SHA-256 of the report signed"), max_length=64)

    class Meta:
        verbose_name = _("report signature")
        verbose_name_plural = _("report signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "member"], name="signature_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.evaluation}"


class Award(TimeStampedModel):
    """The result (定标): the candidate the purchaser confirmed, or rank 1 deemed chosen."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="award"
    )
    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="award"
    )
    bid = models.OneToOneField(
        Bid, verbose_name=_("winning bid"), on_delete=models.PROTECT, related_name="award"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    # The contract price stays the quoted price (the deductions are for evaluation only).
    price = models.DecimalField(_("winning price (yuan)"), max_digits=16, decimal_places=2)
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # O87 Art 68: rank 1 is deemed chosen when the purchaser lets five working days pass.
    deemed = models.BooleanField(_("deemed chosen"), default=False)
    # Candidates ranked above the winner and the lawful reason each was not chosen.
    passed_over = models.JSONField(_("candidates passed over"), default=list, blank=True)
    notice_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("award notice (中标通知书)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_issued_at = models.DateTimeField(_("award notice issued at"), null=True, blank=True)
    announcement = models.OneToOneField(
        "procurement.Announcement",
        verbose_name=_("result announcement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.lot} → {self.bid.supplier}"
