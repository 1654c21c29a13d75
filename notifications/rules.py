"""Object permissions for notifications: recipients read their own; the bureau supervises."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor


@rules.predicate
def is_recipient(user, notification) -> bool:
    return notification is not None and notification.recipient_id == user.pk


# The bureau's admin: notifications and reminder letters are read-only evidence; deliveries
# may be re-queued ("change") but never edited by hand.
rules.add_perm("notifications", is_bureau_supervisor)
rules.add_perm("notifications.view_notification", is_bureau_supervisor | is_recipient)
rules.add_perm("notifications.view_delivery", is_bureau_supervisor)
rules.add_perm("notifications.change_delivery", is_bureau_supervisor)
rules.add_perm("notifications.view_reminderletter", is_bureau_supervisor)
