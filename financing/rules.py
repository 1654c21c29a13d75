"""Object permissions for financing: the bureau reads every row in the admin, changes none
(the bank's decisions and the parties' signatures are theirs); the views use selectors' access
helpers for who sees which application."""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

grant_bureau_permissions("financing", ["product", "application", "accountchange"], view_only=True)
