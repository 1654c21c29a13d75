"""Role predicates: the one place that decides who a user is. Apps build object rules on them.

Permissions are `rules` predicates, never rows in auth_permission: what a user may do follows
from their organisation's kind and their relation to the object, so nothing has to be kept in
sync when someone joins or leaves an organisation (DESIGN.md, "Who uses it").

The Django admin is the bureau's, and it asks the same rules:
- entering /admin/ at all is the perm "accounts.view_bureau_admin" (bureau supervisors; active
  superusers have every perm), checked by accounts.admin_site.BureauAdminSite.has_permission;
- an app shows in the admin index through its module perm (the app label), and each model
  through "<app>.view_<model>" / add / change / delete, which ModelAdmin asks via has_perm.
An app lets the bureau use its models in the admin by calling, in its own rules.py,
`grant_bureau_permissions("procurement", ["lot", "announcement"])` (view only), or with
`view_only=False` (view, add, change). Delete is never granted: rows with history are ended by
deactivation or a transition, not removed. If the app has its own rule for one of those perms,
declare it first: the grant widens it with "or bureau supervisor".
"""

from __future__ import annotations

from collections.abc import Iterable

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

_granted: set[str] = set()


def _grant(name: str) -> None:
    if name in _granted:
        return
    if rules.perm_exists(name):
        rules.set_perm(name, rules.permissions.permissions[name] | is_bureau_supervisor)
    else:
        rules.add_perm(name, is_bureau_supervisor)
    _granted.add(name)


def grant_bureau_permissions(
    app_label: str, models: Iterable[str], *, view_only: bool = True
) -> None:
    """Let bureau supervisors use these models of `app_label` in the admin (idempotent)."""
    _grant(app_label)  # the module perm: the app shows on the admin index
    actions = ("view",) if view_only else ("view", "add", "change")
    for model in models:
        for action in actions:
            _grant(f"{app_label}.{action}_{model.lower()}")


# The bureau administers organisations, users and memberships (issue 2 §8).
grant_bureau_permissions("accounts", ["organisation", "user", "membership"], view_only=False)

__all__ = [
    "OrganisationKind",
    "grant_bureau_permissions",
    "is_agency",
    "is_bank",
    "is_bureau_supervisor",
    "is_expert",
    "is_member_of_organisation",
    "is_purchaser",
    "is_supplier",
]
