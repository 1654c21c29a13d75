"""Celery tasks of the documents app."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import purge_orphan_files

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def purge_orphan_files_task() -> int:
    """The daily beat job ("documents-purge-orphans"): remove files whose upload rolled back."""
    names = purge_orphan_files()
    if names:
        logger.info("purged %d orphan stored files", len(names))
    return len(names)
