"""What credit registers with the lower apps (DESIGN.md "Apps and layers"): none of them
imports it; it listens to the award and the acceptance, the two nodes of K-7."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _award_saved(sender, instance, created, **kwargs) -> None:
    """Node 1, after the evaluation: the award (a confirmed or deemed result) is made.

    The award is saved before the result's clocks are met and its announcement published (in
    the same transaction): the platform's items those settle are read again once it commits,
    and by the daily refresh after that."""
    if not created or kwargs.get("raw"):
        return
    from django.db import transaction

    from .models import Node
    from .services import open_node, refresh_platform_evaluations

    open_node(lot=instance.lot, node=Node.AFTER_EVALUATION, at=instance.decided_at)
    lot_id = instance.lot_id
    transaction.on_commit(lambda: refresh_platform_evaluations(lot_id=lot_id))


def _acceptance_passed(sender, *, contract, acceptance, final, **kwargs) -> None:
    """Node 2, after the contract's final acceptance passed."""
    if not final:
        return
    from .models import Node
    from .services import open_node

    open_node(
        lot=contract.lot, node=Node.AFTER_ACCEPTANCE, contract=contract, at=acceptance.recorded_at
    )


def connect() -> None:
    from django.db.models.signals import post_save

    from accounts.todo import register_todo_provider
    from contracts.services.acceptance import acceptance_passed
    from evaluation.models import Award
    from timers.registry import register_clock_kind, register_due_action

    from . import audit_labels, rules, todo  # noqa: F401  (they register themselves)
    from .services import TASK_CLOCK, lapse_task

    # D198 Arts 21–22 (RULES.md K-1): each rater records within five working days; a task not
    # given by then lapses and is recorded against the rater (K-7).
    register_clock_kind(
        TASK_CLOCK, label=_("Credit evaluation given (5 working days, D198 Arts 21–22)")
    )
    register_due_action(TASK_CLOCK, lapse_task)
    for provider in todo.PROVIDERS:
        register_todo_provider(provider)
    post_save.connect(_award_saved, sender=Award, dispatch_uid="credit.award_saved")
    acceptance_passed.connect(_acceptance_passed, dispatch_uid="credit.acceptance_passed")
