"""The expert database and the committees drawn from it (DESIGN.md layer 2; RULES.md §6.1).

An expert is a user (``accounts.User.is_expert``, employer on the user) with a profile here:
specialties (procurement catalogue categories), region, title, status and the periods it is
unavailable. A lot's evaluation committee (评标委员会/评审小组) is formed by random draws: each
draw records its inputs and seed so that anyone holding the record replays it and gets the same
experts (``experts.services.draw.replay``). A member drawn is invited and accepts or declines
online before a deadline; a decline or silence draws a replacement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.models import TimeStampedModel
from procurement.models import CatalogueCategory, Lot


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("expert status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("expert status", "Suspended")
    RETIRED = "retired", pgettext_lazy("expert status", "Retired")


class ExpertTitle(models.TextChoices):
    SENIOR = "senior", _("Senior professional title")
    INTERMEDIATE = "intermediate", _("Intermediate professional title")


class Expert(TimeStampedModel):
    """An evaluation expert's entry in the database (D198 Art 6 for who may be one)."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="expert_profile"
    )
    id_number = models.CharField(
        _("identity card number"), max_length=18, unique=True, null=True, blank=True
    )
    title = models.CharField(
        _("professional title"), max_length=16, choices=ExpertTitle.choices, blank=True
    )
    employer_name = models.CharField(
        _("employer (as declared)"),
        max_length=200,
        blank=True,
        help_text=_("The employer's name when it is not an organisation on the platform."),
    )
    region_code = models.CharField(_("region code"), max_length=6, db_index=True)
    region_name = models.CharField(_("administrative region"), max_length=100, blank=True)
    specialties = models.ManyToManyField(
        CatalogueCategory, verbose_name=_("specialties"), related_name="experts", blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExpertStatus.choices,
        default=ExpertStatus.ACTIVE,
        db_index=True,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["user__full_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def employer(self) -> Organisation | None:
        return self.user.employer


class Unavailability(models.Model):
    """A span of days the expert cannot evaluate (both days included); the expert edits it."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="unavailable"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("period of unavailability")
        verbose_name_plural = _("periods of unavailability")
        ordering = ["expert", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="unavailability_end_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.start} – {self.end}"


class RelationKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Worked for it within the last three years")
    OFFICER = "officer", _("Director, supervisor, controlling shareholder or actual controller")
    FAMILY = "family", _("Close relative of its legal representative or head")
    OTHER = "other", _("Another relation that may affect fairness")


class DeclaredRelation(models.Model):
    """A relation the expert declared with a supplier or purchaser (D198 Art 16, RULES D-5)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="relations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    name = models.CharField(_("organisation name"), max_length=200, blank=True)
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices)
    until = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")

    def __str__(self) -> str:
        return f"{self.expert}: {self.organisation or self.name} ({self.get_kind_display()})"


class Committee(TimeStampedModel):
    """A lot's evaluation committee: its size and when it evaluates (RULES.md D-1–D-4)."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="committee"
    )
    size = models.PositiveSmallIntegerField(_("committee size"))
    expert_seats = models.PositiveSmallIntegerField(_("expert seats"))
    complex_or_high_impact = models.BooleanField(
        _("technically complex or of high social impact"), default=False
    )
    evaluation_at = models.DateTimeField(_("evaluation starts at"))
    # Remote (异地) evaluation may draw earlier than two working days before (D198 Art 14).
    remote_evaluation = models.BooleanField(_("remote evaluation"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("evaluation committee")
        verbose_name_plural = _("evaluation committees")
        ordering = ["-created"]

    def __str__(self) -> str:
        return str(self.lot)


class Draw(models.Model):
    """One random draw (the first, or one for replacements), replayable from its record."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="draws"
    )
    number = models.PositiveSmallIntegerField(_("draw number"))
    at = models.DateTimeField(_("drawn at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seats = models.PositiveSmallIntegerField(_("seats drawn"))
    seed = models.CharField(_("random seed"), max_length=64)
    # The record: candidates in their canonical order, the excluded with reasons, the drawn.
    record = models.JSONField(_("draw record"), default=dict)

    class Meta:
        verbose_name = _("expert draw")
        verbose_name_plural = _("expert draws")
        ordering = ["committee", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="draw_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.committee} #{self.number}"


class MemberKind(models.TextChoices):
    EXPERT = "expert", _("Evaluation expert")
    PURCHASER_REP = "purchaser_rep", _("Purchaser's representative")


class MemberState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", pgettext_lazy("committee member", "Accepted")
    DECLINED = "declined", pgettext_lazy("committee member", "Declined")
    EXPIRED = "expired", _("No answer in time")
    REMOVED = "removed", _("Recused")


class Member(FSMModelMixin, TimeStampedModel):
    """A seat on a committee: a drawn expert or the purchaser's representative."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        User, verbose_name=_("member"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    kind = models.CharField(_("seat"), max_length=16, choices=MemberKind.choices)
    draw = models.ForeignKey(
        Draw,
        verbose_name=_("draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=MemberState.choices,
        default=MemberState.INVITED,
        protected=True,
    )
    is_leader = models.BooleanField(_("committee leader"), default=False)
    respond_by = models.DateTimeField(_("answer due"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=models.Q(state__in=["invited", "accepted"]),
                name="member_one_live_seat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"

    @property
    def seated(self) -> bool:
        return self.state == MemberState.ACCEPTED

    @transition(field=state, source=MemberState.INVITED, target=MemberState.ACCEPTED)
    def accept(self, *, at) -> None:
        self.responded_at = at

    @transition(field=state, source=MemberState.INVITED, target=MemberState.DECLINED)
    def decline(self, *, at, reason: str) -> None:
        self.responded_at = at
        self.reason = reason

    @transition(field=state, source=MemberState.INVITED, target=MemberState.EXPIRED)
    def expire(self) -> None:
        pass

    @transition(
        field=state, source=[MemberState.INVITED, MemberState.ACCEPTED], target=MemberState.REMOVED
    )
    def remove(self, *, reason: str) -> None:
        self.reason = reason
