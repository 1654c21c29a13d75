"""Writes about suppliers."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, OrganisationKind, User
from common.errors import DomainError, RulesBroken

from .models import SizeClass, SupplierProfile


@transaction.atomic
def set_size_class(
    *, organisation: Organisation, size_class: str, acting_user: User | None
) -> SupplierProfile:
    """Record the supplier's declared enterprise size, creating its profile on first use."""
    if organisation.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only a supplier has an enterprise size."), code="not_supplier")
    if size_class not in SizeClass.values:
        raise DomainError(_("Unknown enterprise size."), code="size_class")
    from audit.services import record_event

    profile = SupplierProfile.objects.select_for_update().filter(
        organisation=organisation
    ).first() or SupplierProfile(organisation=organisation)
    if profile.pk and profile.size_class == size_class:
        return profile
    old = profile.size_class if profile.pk else ""
    profile.size_class = size_class
    profile._history_user = acting_user
    profile._change_reason = gettext_noop("size class declared")
    profile.save()
    record_event(
        action="suppliers.size.changed",
        actor=acting_user,
        organisation=organisation,
        subject=profile,
        data={"old": old, "new": size_class},
    )
    return profile


def _profile_for_update(organisation: Organisation) -> SupplierProfile:
    if organisation.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only a supplier has a supplier profile."), code="not_supplier")
    profile = SupplierProfile.objects.select_for_update().filter(organisation=organisation).first()
    if profile is None:
        raise DomainError(_("Declare your enterprise size first."), code="no_profile")
    return profile


@transaction.atomic
def update_bank_account(
    *,
    organisation: Organisation,
    bank_name: str,
    account_name: str,
    account_number: str,
    acting_user: User,
) -> SupplierProfile:
    """Record the bank account the supplier is paid into."""
    from audit.services import record_event

    profile = _profile_for_update(organisation)
    names = ("bank_name", "bank_account_name", "bank_account_number")
    old = {name: getattr(profile, name) for name in names}
    new = dict(
        zip(
            names,
            (bank_name.strip(), account_name.strip(), account_number.replace(" ", "")),
            strict=True,
        )
    )
    if new == old:  # the profile form saves every part at once: only a change is recorded
        return profile
    for name, value in new.items():
        setattr(profile, name, value)
    profile._history_user = acting_user
    profile._change_reason = gettext_noop("bank account changed")
    profile.save()
    record_event(
        action="suppliers.bank_account.changed",
        actor=acting_user,
        organisation=organisation,
        subject=profile,
        data={"bank_name": profile.bank_name, "old_bank_name": old["bank_name"]},
    )
    return profile


@transaction.atomic
def update_size_figures(
    *,
    organisation: Organisation,
    industry: str,
    employees: int | None,
    revenue,
    total_assets,
    figures_year: int | None,
    acting_user: User | None,
) -> SupplierProfile:
    """Record the supplier's main industry and last-year figures (the SME letter's own line)."""
    from audit.services import record_event

    from .models import Industry

    if industry and industry not in Industry.values:
        raise DomainError(_("Unknown industry."), code="industry")
    figures = [employees, revenue, total_assets]
    if any(v is not None for v in figures) and not all(v is not None for v in figures):
        raise DomainError(
            _("Give all three figures of last year, or none."), code="figures_incomplete"
        )
    profile = _profile_for_update(organisation)
    values = (industry, employees, revenue, total_assets, figures_year)
    names = ("industry", "employees", "revenue", "total_assets", "figures_year")
    old = tuple(getattr(profile, name) for name in names)
    if old == values:
        return profile
    for name, value in zip(names, values, strict=True):
        setattr(profile, name, value)
    profile._history_user = acting_user
    profile._change_reason = gettext_noop("size figures changed")
    profile.save()
    keys = ("industry", "employees", "revenue", "total_assets", "year")
    record_event(
        action="suppliers.size_figures.changed",
        actor=acting_user,
        organisation=organisation,
        subject=profile,
        data={
            "old": dict(zip(keys, (_plain(v) for v in old), strict=True)),
            "new": dict(zip(keys, (_plain(v) for v in values), strict=True)),
        },
    )
    return profile


def profile_problems(
    *, size_class: str, industry: str, employees: int | None, revenue, total_assets
) -> list[str]:
    """Every value of the profile form that cannot be saved (the form refuses the same)."""
    from .models import Industry

    problems = []
    if size_class not in SizeClass.values:
        problems.append(_("Unknown enterprise size."))
    if industry and industry not in Industry.values:
        problems.append(_("Unknown industry."))
    figures = [employees, revenue, total_assets]
    if any(v is not None for v in figures) and not all(v is not None for v in figures):
        problems.append(_("Give all three figures of last year, or none."))
    return problems


def update_profile(
    *,
    organisation: Organisation,
    size_class: str,
    industry: str,
    employees: int | None,
    revenue,
    total_assets,
    figures_year: int | None,
    bank_name: str,
    bank_account_name: str,
    bank_account_number: str,
    acting_user: User,
) -> SupplierProfile:
    """Save the profile form: size, last-year figures and bank account, all or nothing.

    Refused with every problem at once (RulesBroken), nothing saved. Whether the declared size
    fits the figures is the caller's to tell (sizes.check_profile): a warning, not a refusal.
    """
    problems = profile_problems(
        size_class=size_class,
        industry=industry,
        employees=employees,
        revenue=revenue,
        total_assets=total_assets,
    )
    if problems:
        raise RulesBroken(problems, code="profile")
    with transaction.atomic():
        set_size_class(organisation=organisation, size_class=size_class, acting_user=acting_user)
        update_size_figures(
            organisation=organisation,
            industry=industry,
            employees=employees,
            revenue=revenue,
            total_assets=total_assets,
            figures_year=figures_year,
            acting_user=acting_user,
        )
        return update_bank_account(
            organisation=organisation,
            bank_name=bank_name,
            account_name=bank_account_name,
            account_number=bank_account_number,
            acting_user=acting_user,
        )


def _plain(value):
    """A figure as the audit event's JSON keeps it (a Decimal as its text)."""
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def add_qualification(
    *,
    organisation: Organisation,
    name: str,
    number: str,
    issued_by: str,
    expires_on,
    upload,
    acting_user: User,
):
    """Add a qualification document with its validity; the scan is stored through documents."""
    from audit.services import record_event
    from documents.services import store_file

    from .apps import QUALIFICATION_USE
    from .models import Qualification

    if organisation.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only a supplier has qualifications."), code="not_supplier")
    stored = (
        store_file(upload=upload, use=QUALIFICATION_USE, acting_user=acting_user)
        if upload is not None
        else None
    )
    qualification = Qualification(
        organisation=organisation,
        name=name.strip(),
        number=number.strip(),
        issued_by=issued_by.strip(),
        expires_on=expires_on,
        file=stored,
    )
    qualification._history_user = acting_user
    qualification.save()
    record_event(
        action="suppliers.qualification.added",
        actor=acting_user,
        organisation=organisation,
        subject=qualification,
        data={"name": qualification.name, "expires_on": str(expires_on or "")},
    )
    return qualification


@transaction.atomic
def remove_qualification(*, qualification, acting_user: User) -> None:
    from audit.services import record_event

    record_event(
        action="suppliers.qualification.removed",
        actor=acting_user,
        organisation=qualification.organisation,
        subject=qualification,
        data={"name": qualification.name},
    )
    qualification._history_user = acting_user
    qualification.delete()
