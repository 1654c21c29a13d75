"""Admin pieces shared by the apps."""

from __future__ import annotations


class ReadOnly:
    """A record kept as it was done (a bid, a review, a signature, a payment): the bureau reads
    it in the admin and adds, changes or deletes nothing (DESIGN.md: read-only where the rules
    forbid edits). Mixed in before the ModelAdmin or inline class."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
