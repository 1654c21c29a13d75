from __future__ import annotations

import pytest

from tests.notifications.backends import FlakySmsBackend, RecordingSmsBackend


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files (attachments, reminder letters) go to a fresh folder per test."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS go to RecordingSmsBackend, a real backend configured by the SMS_BACKEND setting."""
    settings.SMS_BACKEND = "tests.notifications.backends.RecordingSmsBackend"
    RecordingSmsBackend.outbox = []
    FlakySmsBackend.calls = 0
    return RecordingSmsBackend.outbox


@pytest.fixture
def eager_retries():
    """Let Celery's eager mode run the task's retries inline, as a worker would run them later.

    With task_eager_propagates (config.settings.test) the Retry exception itself would escape
    from .delay(); without it, Task.apply re-runs the task with retries + 1 (no countdown).
    """
    from config.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved
