"""Object permissions for experts and committees.

The purchaser and the agency of a lot draw its committee and read it; the bureau reads it and
keeps the expert database in the admin (experts, their periods of unavailability and declared
relations: view, add, change; committees, draws and seats: view only, they change through the
services). Nobody else reads a committee before the result (selectors.committee_names_visible).
"""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor, is_expert
from procurement.rules import is_project_staff

rules.add_perm("experts.draw_committee", ~is_expert & is_project_staff)
rules.add_perm("experts.view_committee", ~is_expert & (is_project_staff | is_bureau_supervisor))
rules.add_perm("experts.import_experts", is_bureau_supervisor)

grant_bureau_permissions(
    "experts", ["expert", "unavailability", "declaredrelation"], view_only=False
)
grant_bureau_permissions("experts", ["committee", "draw", "member"])
# The bureau keeps the procurement catalogue the specialties and lots name.
grant_bureau_permissions("procurement", ["cataloguecategory"], view_only=False)
