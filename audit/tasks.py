"""Celery tasks of the audit app."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .verify import verify_chain

logger = logging.getLogger(__name__)

CHAIN_BROKEN_KIND = "audit.chain_broken"


@shared_task(ignore_result=True)
def verify_audit_chain() -> dict[str, int | bool]:
    """The daily beat job ("audit-verify-daily"): check the chain, alert the bureau if broken.

    The head logged on success ("seq:hash") is an anchor: logs kept outside the database let
    `manage.py verify_audit --anchor` detect a later removal of the newest events.
    """
    report = verify_chain()
    if report.ok:
        logger.info(
            "audit chain intact: %s events; head %s:%s",
            report.count,
            report.head_seq,
            report.head_hash,
        )
        return {"ok": True, "count": report.count, "problems": 0}

    from notifications.services import notify_bureau  # same layer; imported late (no cycle)

    with translation.override(settings.LANGUAGE_CODE):
        messages = [problem.message for problem in report.problems[:10]]
    first = report.first_problem
    assert first is not None
    logger.error(
        "audit chain BROKEN: %s problem(s) in %s events; first at #%s: %s",
        len(report.problems),
        report.count,
        first.seq,
        messages[0],
    )
    notify_bureau(
        kind=CHAIN_BROKEN_KIND,
        context={
            "count": report.count,
            "problem_count": len(report.problems),
            "first_seq": first.seq,
            "problems": messages,
            "url": settings.SITE_URL.rstrip("/") + reverse("admin:audit_event_verify"),
        },
    )
    return {"ok": False, "count": report.count, "problems": len(report.problems)}
