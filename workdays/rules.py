"""Object permissions for the calendar: the finance bureau keeps it (issue 3 §6)."""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor

# The bureau enters and corrects overrides and confirms years; an override entered in error may
# also be removed (its history and audit event keep it). A year is un-confirmed by unticking.
grant_bureau_permissions("workdays", ["calendaroverride", "calendaryear"], view_only=False)
rules.add_perm("workdays.delete_calendaroverride", is_bureau_supervisor)
