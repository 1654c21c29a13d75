"""The bureau reads the 832 reserves and orders in the admin, read only."""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

grant_bureau_permissions("policy", ["reserve", "order"], view_only=True)
