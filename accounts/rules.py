"""Role predicates: the one place that decides who a user is. Apps build object rules on them."""

from __future__ import annotations

import rules

from .models import OrganisationKind, Role
from .selectors import is_member, organisation_of, role_of


def _has_role(role: str):
    @rules.predicate(name=f"is_{role}")
    def predicate(user) -> bool:
        return role_of(user) == role

    return predicate


is_purchaser = _has_role(Role.PURCHASER)
is_agency = _has_role(Role.AGENCY)
is_supplier = _has_role(Role.SUPPLIER)
is_bank = _has_role(Role.BANK)
is_bureau_supervisor = _has_role(Role.BUREAU)
is_expert = _has_role(Role.EXPERT)


@rules.predicate
def is_member_of_organisation(user, organisation) -> bool:
    """The user acts for this organisation."""
    return is_member(user, organisation)


@rules.predicate
def is_admin_of_organisation(user, organisation) -> bool:
    own = organisation_of(user)
    if own is None or organisation is None or own.pk != organisation.pk:
        return False
    return user.memberships.filter(organisation=organisation, role="admin").exists()


# Organisation records: the bureau sees all; members see their own.
rules.add_perm("accounts.view_organisation", is_bureau_supervisor | is_member_of_organisation)
rules.add_perm("accounts.change_organisation", is_bureau_supervisor | is_admin_of_organisation)
rules.add_perm("accounts.view_bureau_admin", is_bureau_supervisor)

__all__ = [
    "OrganisationKind",
    "is_agency",
    "is_bank",
    "is_bureau_supervisor",
    "is_expert",
    "is_member_of_organisation",
    "is_purchaser",
    "is_supplier",
]
