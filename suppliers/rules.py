"""Who may see and change supplier profiles (built on accounts.rules)."""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_admin_of_organisation
from accounts.selectors import is_member


@rules.predicate
def is_member_of_supplier(user, profile) -> bool:
    return profile is not None and is_member(user, profile.organisation_id)


@rules.predicate
def is_admin_of_supplier(user, profile) -> bool:
    return profile is not None and is_admin_of_organisation(user, profile.organisation)


# A supplier's own staff see its profile; its administrators change it (the size is the
# supplier's own declaration, RULES.md §6.5). The bureau reads every profile, in the admin too.
rules.add_perm("suppliers.view_supplierprofile", is_member_of_supplier)
rules.add_perm("suppliers.change_supplierprofile", is_admin_of_supplier)
grant_bureau_permissions("suppliers", ["supplierprofile"], view_only=True)
