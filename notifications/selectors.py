"""Reads of notifications, and the access helper every view goes through."""

from __future__ import annotations

from django.http import Http404

from .models import Notification, NotificationQuerySet


def inbox_of(user) -> NotificationQuerySet:
    """The user's notifications, newest first, with what the list shows."""
    return (
        Notification.objects.for_user(user).select_related("attachment").order_by("-created", "-id")
    )


def unread_count(user) -> int:
    """One COUNT over the (recipient, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()


def latest_unread(user, *, limit: int = 5) -> list[Notification]:
    return list(inbox_of(user).unread()[:limit])


def get_notification_for_user(*, user, pk: int) -> Notification:
    """The user's own notification `pk`; anyone else's (or none) is a 404, never a 403."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    notification = inbox_of(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
