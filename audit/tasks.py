"""Celery tasks of the audit app: chain checks, the published head, the bureau's alert."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from .models import AnchorReason, ChainCheck, CheckMode
from .verify import ChainReport

logger = logging.getLogger(__name__)

CHAIN_BROKEN_KIND = "audit.chain_broken"


def _alert(report: ChainReport) -> None:
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


def _check_and_publish(*, mode: str, reason: str | None) -> dict[str, int | bool]:
    from .services import publish_anchor, run_check

    check = ChainCheck.objects.create(mode=mode, requested=timezone.now())
    report = run_check(check)
    if not report.ok:
        _alert(report)
        return {"ok": False, "count": report.count, "problems": len(report.problems)}
    logger.info(
        "audit chain intact: %s events; head %s:%s",
        report.count,
        report.head_seq,
        report.head_hash,
    )
    if reason is not None and report.head_seq is not None:
        # Only a head that was just verified is published: a tampered chain is never vouched for.
        publish_anchor(seq=report.head_seq, hash_=report.head_hash, reason=reason)
    return {"ok": True, "count": report.count, "problems": 0}


@shared_task(ignore_result=True)
def verify_audit_chain(full: bool = False) -> dict[str, int | bool]:
    """The daily beat job ("audit-verify-daily"): check the chain from the last checkpoint (or
    all of it), publish its head (issue 16 §4), alert the bureau if it is broken.

    The head is logged too ("seq:hash"): logs kept outside the database are anchors as well.
    """
    mode = CheckMode.FULL if full else CheckMode.INCREMENTAL
    return _check_and_publish(mode=mode, reason=AnchorReason.DAILY)


@shared_task(ignore_result=True)
def publish_chain_head(reason: str = AnchorReason.MANUAL) -> dict[str, int | bool]:
    """Check the events since the last checkpoint and publish the head (e.g. after an opening)."""
    return _check_and_publish(mode=CheckMode.INCREMENTAL, reason=reason)


@shared_task(ignore_result=True)
def run_chain_check(check_id: int) -> None:
    """A check the bureau started from the admin's chain-check page."""
    from .services import run_check

    check = ChainCheck.objects.filter(pk=check_id).first()
    if check is None or check.is_done:
        return
    report = run_check(check)
    if not report.ok:
        _alert(report)
