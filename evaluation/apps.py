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
        from . import award_home, award_rules, award_todo  # noqa: F401 (rules: the perms)
        from .award_access import award_file_access, result_lot_links
        from .services.award import AWARD_NOTICE_USE, deem_rank_one_chosen
        from .services.report import DECISION_CLOCK, REPORT_PDF_USE, RESULT_CLOCK

        # RULES.md §17: the result decided within one working day of the report; reminded and
        # escalated to the bureau when missed.
        register_clock_kind(RESULT_CLOCK, label=_("Result decided in one working day"))
        # O87 Art 68: five working days, then rank 1 is deemed chosen by itself.
        register_clock_kind(
            DECISION_CLOCK, label=_("Result: five working days (O87 Art 68)"), remind=False
        )
        register_due_action(DECISION_CLOCK, deem_rank_one_chosen)
        register_file_use(
            REPORT_PDF_USE, allowed={"pdf"}, max_bytes=20 * MB, label=_("Evaluation report")
        )
        register_file_use(
            AWARD_NOTICE_USE, allowed={"pdf"}, max_bytes=5 * MB, label=_("Award notice")
        )
        register_file_access(award_file_access)
        register_lot_links(result_lot_links)
        for provider in award_todo.PROVIDERS:
            register_todo_provider(provider)
        register_home_section(award_home.bureau_clocks_section)
        from timers.subjects import register_clock_subjects

        from .clock_subjects import evaluation_subjects

        # The dashboards name an evaluation clock's lot and link its report (issue 12 §7).
        register_clock_subjects(evaluation_subjects, models=["evaluation.evaluation"])
        # --- end issue 11 (award) -------------------------------------------------------------
