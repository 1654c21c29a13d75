"""Object permissions for clocks: the bureau watches them in the admin; nobody edits them."""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

# View only: a clock changes through timers.services (the stages and the sweep), never by hand.
grant_bureau_permissions("timers", ["clock", "pausedspan"], view_only=True)
