"""Object permissions for the calendar: the finance bureau keeps it (issue 3 §6)."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor

# The app's admin section, and full control of overrides and years for the bureau only.
rules.add_perm("workdays", is_bureau_supervisor)
for _model in ("calendaroverride", "calendaryear"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"workdays.{_action}_{_model}", is_bureau_supervisor)
