"""Celery tasks of the timers app: they take ids and call a service."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep() -> dict[str, int]:
    """The beat job, every minute (CELERY_BEAT_SCHEDULE "timers-sweep")."""
    return asdict(services.sweep())


@shared_task(ignore_result=True)
def run_due_action(clock_id: int) -> bool:
    """Run one clock's due action at its exact time; a duplicate or early delivery does nothing."""
    return services.run_due_action(clock_id=clock_id)
