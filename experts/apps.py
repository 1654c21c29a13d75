from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from accounts.home import register_home_section
        from accounts.todo import register_todo_provider
        from procurement.lot_links import register_lot_links
        from timers.registry import register_clock_kind, register_due_action

        from . import (  # noqa: F401  (rules registers the permissions)
            audit_labels,
            home,
            rules,
            todo,
        )
        from .selectors import committee_links
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
        # The project page and the bureau's list of lots reach each lot's committee.
        register_lot_links(committee_links)
        for provider in todo.PROVIDERS:
            register_todo_provider(provider)
        register_home_section(home.expert_section)
