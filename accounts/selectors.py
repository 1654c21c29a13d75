"""Reads about users and organisations, and the one place that derives a user's role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Membership, MembershipRole, Organisation, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_CACHE_ATTR = "_yg_membership"


def primary_membership(user: User | AnonymousUser | None) -> Membership | None:
    """The user's membership (every staff user has one); cached on the user object."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _CACHE_ATTR):
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, organisation__is_active=True)
            .order_by("pk")
            .first()
        )
        setattr(user, _CACHE_ATTR, membership)
    return getattr(user, _CACHE_ATTR)


def organisation_of(user: User | AnonymousUser | None) -> Organisation | None:
    """The organisation the user acts for, or None (experts, the public)."""
    membership = primary_membership(user)
    return membership.organisation if membership else None


def role_of(user: User | AnonymousUser | None) -> str | None:
    """The user's role (a Role value), or None for an anonymous or unattached user."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_expert:
        return Role.EXPERT
    organisation = organisation_of(user)
    return organisation.kind if organisation else None


def is_member(user: User, organisation: Organisation | int | None) -> bool:
    """Whether the user acts for `organisation` (an instance or a primary key)."""
    if organisation is None:
        return False
    own = organisation_of(user)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return own is not None and own.pk == org_id


def organisation_by_uscc(uscc: str) -> Organisation | None:
    """The organisation registered under this (normalised) code, or None."""
    return Organisation.objects.filter(uscc=uscc).first()


def licence_accounts(organisation: Organisation) -> list[User]:
    """Who may be signed in by the organisation's licence: its active administrators.

    The licence proves the enterprise, not the person, so it opens the accounts that act for the
    whole organisation (as the SAMR's own 电子营业执照 sign-in does for an enterprise's main account).
    """
    if not organisation.is_active:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=MembershipRole.ADMIN,
        ).order_by("full_name", "username")
    )


def known_region_name(region_code: str) -> str:
    """The region name other organisations of this division code use, to prefill forms."""
    return (
        Organisation.objects.filter(region_code=region_code)
        .exclude(region_name="")
        .values_list("region_name", flat=True)
        .first()
        or ""
    )
