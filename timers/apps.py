from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimersConfig(AppConfig):
    name = "timers"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        # The built-in kinds ("timers.one_working_day") register on import.
        from . import (
            audit_labels,  # noqa: F401 - labels its audit actions
            registry,  # noqa: F401
        )
