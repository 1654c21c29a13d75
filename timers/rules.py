"""Object permissions for clocks: the bureau watches them in the admin; nobody edits them."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor

# The admin section ("timers") and its lists. No add/change/delete rule: a clock changes only
# through timers.services (the stages and the sweep), never by hand.
rules.add_perm("timers", is_bureau_supervisor)
rules.add_perm("timers.view_clock", is_bureau_supervisor)
rules.add_perm("timers.view_pausedspan", is_bureau_supervisor)
