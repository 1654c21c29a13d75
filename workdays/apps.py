from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from . import audit_labels  # noqa: F401 - labels its audit actions
        from .calendar import calendar_changed
        from .models import CalendarOverride, CalendarYear

        # Not business logic: each process caches the calendar tables and must drop them.
        for model in (CalendarOverride, CalendarYear):
            post_save.connect(
                calendar_changed, sender=model, dispatch_uid=f"workdays.{model.__name__}.saved"
            )
            post_delete.connect(
                calendar_changed, sender=model, dispatch_uid=f"workdays.{model.__name__}.deleted"
            )
