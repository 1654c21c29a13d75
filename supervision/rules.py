"""The bureau's dashboard is the bureau's alone (DESIGN.md "Who uses it"): every other role,
the purchaser included, is refused."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor

rules.add_perm("supervision.view_dashboard", is_bureau_supervisor)
