"""Object permissions for audit events: the bureau reads them; no rule lets anyone change them."""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

# The app's admin section and "audit.view_event". Event has only the "view" permission
# (Meta.default_permissions) and the admin refuses add, change and delete outright, so not even
# a superuser is offered them.
grant_bureau_permissions("audit", ["event"], view_only=True)
