"""Organisations, users and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel

from .uscc import USCC_ALREADY_REGISTERED, normalise_uscc, validate_uscc


class OrganisationKind(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    AGENCY = "agency", _("Procurement agency")
    SUPPLIER = "supplier", _("Supplier")
    BANK = "bank", _("Bank")
    BUREAU = "bureau", _("Finance bureau")


class Role(models.TextChoices):
    """What a signed-in person does; follows from the organisation kind, or expert."""

    PURCHASER = "purchaser", _("Purchaser staff")
    AGENCY = "agency", _("Agency staff")
    SUPPLIER = "supplier", _("Supplier staff")
    BANK = "bank", _("Bank officer")
    BUREAU = "bureau", _("Finance bureau supervisor")
    EXPERT = "expert", _("Evaluation expert")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def of_kind(self, kind: str) -> OrganisationQuerySet:
        return self.filter(kind=kind)


class Organisation(TimeStampedModel):
    kind = models.CharField(
        _("kind"), max_length=16, choices=OrganisationKind.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": USCC_ALREADY_REGISTERED},
        help_text=_("The 18-character code on the business licence (统一社会信用代码)."),
    )
    region_code = models.CharField(
        _("administrative region code"),
        max_length=6,
        help_text=_("Six-digit administrative division code, e.g. 410100."),
    )
    region_name = models.CharField(_("administrative region"), max_length=100)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.uscc = normalise_uscc(self.uscc)


class User(AbstractUser):
    """A person. Staff belong to organisations through Membership; experts have an employer."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=32, blank=True)
    is_expert = models.BooleanField(_("evaluation expert"), default=False)
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_experts",
        help_text=_(
            "For experts: the organisation the expert works for (used for conflict checks)."
        ),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        """The name a signature or a report shows: the full name. Django's joins the first and
        last names, which nobody fills in here, so every signer read as its username."""
        return self.full_name.strip()

    def get_short_name(self) -> str:
        """How the admin greets the user (欢迎，…): the full name; Django's is the first name,
        which nobody fills in here, so it fell back to the username in capitals."""
        return self.full_name or self.username


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Organisation administrator")
    STAFF = "staff", _("Staff")


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.STAFF
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"
