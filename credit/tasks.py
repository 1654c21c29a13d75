"""Celery tasks of credit: take ids (or nothing), call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def refresh_credit() -> dict[str, int]:
    """Daily: the platform's items not settled yet, then every grade (the window moves)."""
    from .services import refresh_platform_evaluations
    from .services.grades import recompute_all_grades

    return {
        "rescored": refresh_platform_evaluations(),
        "grades_changed": recompute_all_grades(),
    }
