from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from accounts.home import register_home_section
        from accounts.todo import register_todo_provider
        from documents.access import register_file_access
        from documents.uses import MB, register_file_use
        from procurement.lot_links import register_lot_links
        from timers.registry import register_clock_kind, register_due_action

        from . import (  # noqa: F401  (rules registers the permissions)
            audit_labels,  # noqa: F401 - labels its audit actions
            home,
            rules,
            todo,
        )
        from .access import evaluation_links, price_explanation_file_access
        from .services import (
            PRICE_EXPLANATION_CLOCK,
            PRICE_EXPLANATION_USE,
            price_explanation_due,
        )

        # The bidder explains an abnormally low price by the time the committee set (O87 Art
        # 60): it is reminded; silence by then is no justification (the due action decides).
        register_clock_kind(
            PRICE_EXPLANATION_CLOCK,
            label=_("Explanation of an abnormally low price"),
            escalate=False,
        )
        register_due_action(PRICE_EXPLANATION_CLOCK, price_explanation_due)
        register_file_use(
            PRICE_EXPLANATION_USE,
            allowed={"pdf", "docx", "xlsx", "jpeg", "png", "zip"},
            max_bytes=20 * MB,
            label=_("Proof of a price explanation"),
        )
        register_file_access(price_explanation_file_access)
        register_lot_links(evaluation_links)
        for todo_provider in todo.PROVIDERS:
            register_todo_provider(todo_provider)
        for section in home.SECTIONS:
            register_home_section(section)
