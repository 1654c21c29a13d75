from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from timers.registry import register_clock_kind, register_due_action

        from . import (  # noqa: F401  (rules registers the permissions)
            audit_labels,
            rules,
        )
        from .services import INVITATION_CLOCK, expire_at_due

        # An invitation nobody answered expires by itself and a replacement is drawn; the
        # expert was told by SMS and inbox, nobody is reminded.
        register_clock_kind(
            INVITATION_CLOCK,
            label=_("Answer to an invitation to evaluate"),
            remind=False,
            escalate=False,
        )
        register_due_action(INVITATION_CLOCK, expire_at_due)
