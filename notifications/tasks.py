"""Celery tasks of the notifications app: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from .models import DeliveryStatus
from .services import attempt_delivery

MAX_RETRIES = 5


class DeliveryAttemptFailed(Exception):
    """The attempt failed and the delivery is still pending: let Celery retry it later."""


@shared_task(
    bind=True,
    autoretry_for=(DeliveryAttemptFailed,),
    max_retries=MAX_RETRIES,
    # 30 s, 1 min, 2 min, 4 min, 8 min (with jitter): rides out a mail server restart.
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
)
def deliver(self, delivery_id: int) -> str | None:
    """Send one e-mail/SMS delivery; retried with backoff, marked failed after the last try."""
    final_attempt = self.request.retries >= MAX_RETRIES
    status = attempt_delivery(delivery_id=delivery_id, final_attempt=final_attempt)
    if status == DeliveryStatus.PENDING:
        raise DeliveryAttemptFailed(f"delivery {delivery_id} will be retried")
    return status
