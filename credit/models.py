"""Four-party credit evaluation (四方评价, RULES.md §13): the indicator catalogue in versions, the
evaluations at the two nodes (K-7), appeals, and each party's rolling grade with its history.

A party is an organisation (purchaser, agency, supplier) or an expert (a user): `party_key`
("org:12", "expert:7") names either in one column, so a grade, a task owed and a task missed are
found by one indexed lookup whatever the kind of party.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel

if TYPE_CHECKING:
    from accounts.models import User


class PartyKind(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    AGENCY = "agency", _("Procurement agency")
    EXPERT = "expert", _("Evaluation expert")
    SUPPLIER = "supplier", _("Supplier")


class RaterKind(models.TextChoices):
    """Who gives an evaluation: a party, or the platform for the indicators it scores itself."""

    PURCHASER = "purchaser", _("Purchaser")
    AGENCY = "agency", _("Procurement agency")
    EXPERT = "expert", _("Evaluation expert")
    SUPPLIER = "supplier", _("Supplier")
    PLATFORM = "platform", _("Platform (from the record)")


class Node(models.TextChoices):
    """K-7: "分节点" — after the evaluation ends, and after the contract's acceptance."""

    AFTER_EVALUATION = "after_evaluation", _("After the evaluation (评审结束后)")
    AFTER_ACCEPTANCE = "after_acceptance", _("After acceptance (合同履约验收完成后)")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


def org_key(pk: int) -> str:
    return f"org:{pk}"


def expert_key(user_id: int) -> str:
    return f"expert:{user_id}"


def party_key(kind: str, pk: int) -> str:
    return expert_key(pk) if kind == PartyKind.EXPERT else org_key(pk)


# --------------------------------------------------------------------------------------------
# Parameters


class CreditParameters(models.Model):
    """The bureau's credit settings (one row). None is law: RULES.md §13.4 and §20 item 6 say
    no national grading exists, so every number is local [L] and editable here."""

    band_a = models.DecimalField(
        _("grade A from (points)"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    band_b = models.DecimalField(
        _("grade B from (points)"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    band_c = models.DecimalField(
        _("grade C from (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        help_text=_("Below it: grade D."),
    )
    key_item_cap = models.CharField(
        _("grade cap after a key item is lost"),
        max_length=1,
        choices=Grade.choices,
        default=Grade.C,
        help_text=_("A deduction on a key (★) item keeps the grade at this letter or below."),
    )
    window_months = models.PositiveSmallIntegerField(
        _("rolling window (months)"), default=12, validators=[MinValueValidator(1)]
    )
    task_working_days = models.PositiveSmallIntegerField(
        _("working days to give an evaluation"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text="《政府采购评审专家管理办法》（财库〔2016〕198号）第二十一条、第二十二条",
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("working days to appeal an evaluation"), default=10, validators=[MinValueValidator(1)]
    )
    missed_task_deduction = models.DecimalField(
        _("points deducted from the rater for each evaluation not given in time"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("未按要求参与评价的将按照规定进行处理 (RULES.md K-7)."),
    )
    publish_expert_names = models.BooleanField(
        _("publish experts' names on the credit pages"),
        default=False,
        help_text=_("Off: experts are listed by their code only."),
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("credit parameters")
        verbose_name_plural = _("credit parameters")

    def __str__(self) -> str:
        return str(_("credit parameters"))

    @classmethod
    def current(cls) -> CreditParameters:
        return cls.objects.order_by("pk").first() or cls()

    def grade_for(self, score: Decimal) -> str:
        if score >= self.band_a:
            return Grade.A
        if score >= self.band_b:
            return Grade.B
        if score >= self.band_c:
            return Grade.C
        return Grade.D


GRADE_ORDER = {Grade.A: 0, Grade.B: 1, Grade.C: 2, Grade.D: 3}


def worse_grade(one: str, other: str) -> str:
    return one if GRADE_ORDER[Grade(one)] >= GRADE_ORDER[Grade(other)] else other


# --------------------------------------------------------------------------------------------
# Catalogue


class CatalogueVersion(TimeStampedModel):
    """A version of the indicator catalogue; the one in force when an evaluation is created
    (latest effective_from not after it) is the one it uses, for good."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateTimeField(_("in force from"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("indicator catalogue version")
        verbose_name_plural = _("indicator catalogue versions")
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        from timers.models import SHANGHAI

        return f"{self.name} ({timezone.localtime(self.effective_from, SHANGHAI):%Y-%m-%d})"

    @property
    def in_use(self) -> bool:
        return self.evaluations.exists()


class Indicator(models.Model):
    """One item of the catalogue: who is rated, by whom, at which node, for how many points."""

    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("catalogue version"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=8)
    rated = models.CharField(_("rated party"), max_length=16, choices=PartyKind.choices)
    # Who rates it (K-7); empty when the platform scores it from the record (`auto_rule`).
    raters = models.JSONField(_("rated by"), default=list, blank=True)
    node = models.CharField(_("node"), max_length=20, choices=Node.choices)
    title = models.CharField(_("indicator"), max_length=200)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    is_key = models.BooleanField(
        _("key item (★)"), default=False, help_text=_("A deduction caps the grade.")
    )
    auto_rule = models.CharField(
        _("scored by the platform from"),
        max_length=40,
        blank=True,
        help_text=_("Empty: scored by the raters on the form."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="credit_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_auto(self) -> bool:
        return bool(self.auto_rule)


# --------------------------------------------------------------------------------------------
# Evaluations


class EvaluationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("credit evaluation", "To give")
    SUBMITTED = "submitted", pgettext_lazy("credit evaluation", "Given")
    LAPSED = "lapsed", pgettext_lazy("credit evaluation", "Not given in time")


class CreditEvaluationQuerySet(models.QuerySet["CreditEvaluation"]):
    def counted(self) -> CreditEvaluationQuerySet:
        """Evaluations that count toward the rated party's score."""
        return self.filter(state=EvaluationState.SUBMITTED)

    def of_party(self, key: str) -> CreditEvaluationQuerySet:
        return self.filter(rated_key=key)

    def by_party(self, key: str) -> CreditEvaluationQuerySet:
        return self.filter(rater_key=key)


class CreditEvaluation(FSMModelMixin, TimeStampedModel):
    """One rater's evaluation of one party at one node of a lot (or, after acceptance, of a
    contract); the platform's own evaluation holds the indicators scored from the record."""

    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("catalogue version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    lot = models.ForeignKey(
        "procurement.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        related_name="credit_evaluations",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_evaluations",
    )
    node = models.CharField(_("node"), max_length=20, choices=Node.choices)
    # "lot:<id>" after the evaluation, "contract:<id>" after acceptance: one node per scope.
    scope = models.CharField(_("scope"), max_length=32)
    rated_kind = models.CharField(_("rated party"), max_length=16, choices=PartyKind.choices)
    rated_key = models.CharField(_("rated key"), max_length=32, db_index=True)
    rated_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("rated organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_received",
    )
    rated_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_received",
    )
    rater_kind = models.CharField(_("rater"), max_length=16, choices=RaterKind.choices)
    rater_key = models.CharField(_("rater key"), max_length=32, db_index=True)
    rater_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("rating organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_given",
    )
    rater_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rating expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_given",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=EvaluationState.choices,
        default=EvaluationState.OPEN,
        protected=True,
    )
    # Read by the to-do providers (open tasks by rater); the lapse is the clock's due action.
    due = models.DateTimeField(_("due"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("given at"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lapsed_at = models.DateTimeField(_("lapsed at"), null=True, blank=True, db_index=True)
    score = models.DecimalField(
        _("score (of 100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    objects = CreditEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit evaluation")
        verbose_name_plural = _("credit evaluations")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "node", "rated_key", "rater_key"], name="credit_one_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(rated_organisation__isnull=False) | Q(rated_expert__isnull=False),
                name="credit_rated_named",
            ),
        ]
        indexes = [
            # The rolling score: a party's given evaluations by the time they were given.
            models.Index(fields=["rated_key", "state", "submitted_at"], name="credit_eval_rated"),
            # Missed tasks counted against a rater (K-7).
            models.Index(fields=["rater_key", "state", "lapsed_at"], name="credit_eval_rater"),
        ]

    def __str__(self) -> str:
        return f"{self.rated_name} ← {self.rater_name} · {self.get_node_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:evaluation", args=[self.pk])

    @property
    def rated_name(self) -> str:
        return str(self.rated_organisation or self.rated_expert)

    @property
    def rater_name(self) -> str:
        if self.rater_kind == RaterKind.PLATFORM:
            return str(RaterKind.PLATFORM.label)
        return str(self.rater_organisation or self.rater_expert)

    @property
    def is_task(self) -> bool:
        return self.rater_kind != RaterKind.PLATFORM

    @transition(field=state, source=EvaluationState.OPEN, target=EvaluationState.SUBMITTED)
    def submit(self, *, at, by) -> None:
        self.submitted_at = at
        self.submitted_by = by

    @transition(field=state, source=EvaluationState.OPEN, target=EvaluationState.LAPSED)
    def lapse(self, *, at) -> None:
        self.lapsed_at = at


class ItemScore(models.Model):
    """The points one indicator received in one evaluation, with the rater's comment or the
    platform's evidence."""

    evaluation = models.ForeignKey(
        CreditEvaluation,
        verbose_name=_("credit evaluation"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("points given"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    # The platform's items: what the points come from, and where to see it.
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)
    # The fact is not settled yet (the clock still runs): not counted until it is.
    pending = models.BooleanField(_("not settled yet"), default=False)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["indicator__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="credit_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.points}"

    @property
    def deducted(self) -> bool:
        return self.points is not None and self.points < self.indicator.points


# --------------------------------------------------------------------------------------------
# Appeals


class AppealState(models.TextChoices):
    FILED = "filed", _("Filed, awaiting the bureau")
    UPHELD = "upheld", _("Evaluation upheld")
    AMENDED = "amended", _("Evaluation amended")


class Appeal(FSMModelMixin, TimeStampedModel):
    """The rated party's appeal of one evaluation; the bureau upholds or amends it."""

    evaluation = models.OneToOneField(
        CreditEvaluation,
        verbose_name=_("credit evaluation"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    reasons = models.TextField(_("reasons"))
    state = FSMField(
        _("state"),
        max_length=16,
        choices=AppealState.choices,
        default=AppealState.FILED,
        protected=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.TextField(_("decision"), blank=True)
    # What an amendment changed: [{"code", "before", "after"}].
    changes = models.JSONField(_("changes"), default=list, blank=True)
    score_before = models.DecimalField(
        _("score before"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("credit appeal")
        verbose_name_plural = _("credit appeals")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:evaluation", args=[self.evaluation_id])

    @transition(field=state, source=AppealState.FILED, target=AppealState.UPHELD)
    def uphold(self, *, at, by, decision: str) -> None:
        self.decided_at, self.decided_by, self.decision = at, by, decision

    @transition(field=state, source=AppealState.FILED, target=AppealState.AMENDED)
    def amend(self, *, at, by, decision: str, changes: list) -> None:
        self.decided_at, self.decided_by, self.decision = at, by, decision
        self.changes = changes


# --------------------------------------------------------------------------------------------
# Grades


class PartyGrade(models.Model):
    """A party's current rolling score and grade (recomputed by credit.services.grades)."""

    party_key = models.CharField(_("party key"), max_length=32, unique=True)
    kind = models.CharField(_("party"), max_length=16, choices=PartyKind.choices, db_index=True)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_grade",
    )
    expert = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_grade",
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, db_index=True)
    capped = models.BooleanField(_("capped by a key item"), default=False)
    evaluations = models.PositiveIntegerField(_("evaluations counted"), default=0)
    missed = models.PositiveIntegerField(_("evaluations not given in time"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        ordering = ["kind", "-score", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.grade} ({self.score})"

    @property
    def name(self) -> str:
        return str(self.organisation or self.expert)

    @property
    def expert_code(self) -> str:
        return expert_code(self.expert_id) if self.expert_id else ""


def expert_code(user_id: int) -> str:
    """An expert's public code (its name is shown only where the bureau publishes it)."""
    return f"ZJ{user_id:06d}"


class GradeChange(models.Model):
    """One move of a party's score or grade, and why."""

    party = models.ForeignKey(
        PartyGrade, verbose_name=_("party"), on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField(_("at"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    previous_score = models.DecimalField(
        _("previous score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    previous_grade = models.CharField(
        _("previous grade"), max_length=1, choices=Grade.choices, blank=True
    )
    capped = models.BooleanField(_("capped by a key item"), default=False)
    reason = models.CharField(_("reason"), max_length=300)
    evaluation = models.ForeignKey(
        CreditEvaluation,
        verbose_name=_("credit evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["party", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.party}: {self.previous_grade or '—'} → {self.grade}"
