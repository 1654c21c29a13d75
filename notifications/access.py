"""Who may download a notification's attachment: its recipients (documents.access asks us)."""

from __future__ import annotations

from .models import Notification


def notification_attachment_access(user, stored_file) -> bool | None:
    """True for a recipient of a notification carrying the file; no opinion otherwise."""
    if Notification.objects.filter(recipient=user, attachment=stored_file).exists():
        return True
    return None
