"""Writes about organisations and users: each a named action (STYLE.md, "Where things live")."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from audit.services import record_event

from .licence import LicenceClaims
from .models import Membership, MembershipRole, Organisation, OrganisationKind, User
from .registration import save_extensions
from .uscc import USCC_ALREADY_REGISTERED, normalise_uscc

VIA_LICENCE = gettext_noop("electronic business licence")  # also a history reason


def _new_organisation(
    *,
    kind: str,
    name: str,
    uscc: str,
    region_code: str,
    region_name: str,
    legal_representative: str = "",
    address: str = "",
    contact_phone: str = "",
) -> Organisation:
    """An unsaved organisation with its values tidied as they are stored."""
    return Organisation(
        kind=kind,
        name=name.strip(),
        uscc=normalise_uscc(uscc),
        region_code=region_code.strip(),
        region_name=region_name.strip(),
        legal_representative=legal_representative.strip(),
        address=address.strip(),
        contact_phone=contact_phone.strip(),
    )


def _new_user(*, username: str, full_name: str, email: str, phone: str = "") -> User:
    """An unsaved user with its values tidied as they are stored."""
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip())
    user.phone = phone.strip()
    return user


def create_organisation(
    *,
    kind: str,
    name: str,
    uscc: str,
    region_code: str,
    region_name: str,
    legal_representative: str = "",
    address: str = "",
    contact_phone: str = "",
    acting_user: User | None,
    via: str = "",
) -> Organisation:
    """Create an organisation; a malformed or taken code raises ValidationError on `uscc`."""
    organisation = _new_organisation(
        kind=kind,
        name=name,
        uscc=uscc,
        region_code=region_code,
        region_name=region_name,
        legal_representative=legal_representative,
        address=address,
        contact_phone=contact_phone,
    )
    organisation.full_clean()  # validate_uscc and the unique code, with Chinese messages
    organisation._history_user = acting_user
    if via:
        organisation._change_reason = via
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Two registrations of one code at the same moment: the unique index decides.
        if Organisation.objects.filter(uscc=organisation.uscc).exists():
            raise ValidationError({"uscc": USCC_ALREADY_REGISTERED}, code="unique") from None
        raise
    record_event(
        action="accounts.organisation.created",
        actor=acting_user,
        organisation=organisation,
        subject=organisation,
        data={"kind": kind, "uscc": organisation.uscc, "name": organisation.name, "via": via},
    )
    return organisation


def create_member(
    *,
    organisation: Organisation,
    username: str,
    full_name: str,
    email: str,
    phone: str = "",
    password: str | None = None,
    role: str = MembershipRole.STAFF,
    acting_user: User | None,
) -> User:
    """Create a user who acts for `organisation`; without a password they set one by e-mail."""
    user = _new_user(username=username, full_name=full_name, email=email, phone=phone)
    # Without a password: a random one nobody knows. Not set_unusable_password(), which would
    # also stop Django's reset-by-e-mail, the way such a user sets their first password.
    user.set_password(password or secrets.token_urlsafe(32))
    user.full_clean(exclude=["password"])  # the username's characters and uniqueness
    user._history_user = acting_user
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if User.objects.filter(username=user.username).exists():
            raise ValidationError(
                {"username": _("A user with that username already exists.")}, code="unique"
            ) from None
        raise
    membership = Membership(user=user, organisation=organisation, role=role)
    membership._history_user = acting_user or user
    membership.save()
    record_event(
        action="accounts.user.created",
        actor=acting_user,
        organisation=organisation,
        subject=user,
        data={"username": user.username, "role": role},
    )
    return user


@transaction.atomic
def register_supplier(
    *,
    claims: LicenceClaims,
    region_code: str,
    region_name: str,
    address: str = "",
    username: str,
    full_name: str,
    phone: str,
    email: str,
    password: str,
    details: Mapping[str, Any] | None = None,
) -> User:
    """Register a supplier from verified licence claims: organisation, its administrator, profile.

    The code and name come from the licence only, never from the form. Returns the new user, the
    organisation's administrator (Membership role admin). Raises ValidationError keyed by model
    field, with every field's errors at once: the organisation and the account are both checked
    before either is saved.
    """
    errors: dict[str, list[ValidationError]] = {}
    candidates = [
        (
            _new_organisation(
                kind=OrganisationKind.SUPPLIER,
                name=claims.name,
                uscc=claims.uscc,
                region_code=region_code,
                region_name=region_name,
                legal_representative=claims.legal_representative,
                address=address,
                contact_phone=phone,
            ),
            [],
        ),
        (_new_user(username=username, full_name=full_name, email=email, phone=phone), ["password"]),
    ]
    for candidate, exclude in candidates:
        try:
            candidate.full_clean(exclude=exclude)
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    organisation = create_organisation(
        kind=OrganisationKind.SUPPLIER,
        name=claims.name,
        uscc=claims.uscc,
        region_code=region_code,
        region_name=region_name,
        legal_representative=claims.legal_representative,
        address=address,
        contact_phone=phone,
        acting_user=None,  # nobody is signed in yet: the licence holder registers
        via=VIA_LICENCE,
    )
    user = create_member(
        organisation=organisation,
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        password=password,
        role=MembershipRole.ADMIN,
        acting_user=None,
    )
    save_extensions(organisation=organisation, data=details or {}, acting_user=user)
    return user


def record_licence_sign_in(
    *, user: User, organisation: Organisation, claims: LicenceClaims
) -> None:
    """Log that the organisation's licence opened this account (who held it is unknown)."""
    record_event(
        action="accounts.user.signed_in_by_licence",
        actor=user,
        organisation=organisation,
        subject=user,
        data={
            "uscc": claims.uscc,
            "legal_representative": claims.legal_representative,
            "licence_issued_at": claims.issued_at,
        },
    )


def clear_failed_sign_ins(*, user: User) -> None:
    """Lift the lockout after the user proved control of the account's e-mail (password reset)."""
    axes_reset(username=user.get_username())
