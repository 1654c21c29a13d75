"""Reads of notifications, and the access helper every view goes through."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from common.sealing import seals

from .models import Notification, NotificationQuerySet

Q = TypeVar("Q", bound=models.QuerySet[Any])


def visible_notifications(queryset: Q, *, prefix: str = "") -> Q:
    """The notifications people other than their recipient may read (the bureau's admin): all
    but those about a row still sealed (common.sealing). A bidder told of something about its
    sealed bid (its lot cancelled before the opening) is told with the bid as the subject, so
    nobody learns from the admin that the bid exists. `prefix` reaches the notification from
    another model ("notification__" for deliveries). One subquery per seal.
    """
    for model, rows in seals():
        content_type = ContentType.objects.get_for_model(model)
        queryset = queryset.exclude(
            **{
                f"{prefix}subject_type": content_type,
                f"{prefix}subject_id__in": rows().values("pk"),
            }
        )
    return queryset


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
