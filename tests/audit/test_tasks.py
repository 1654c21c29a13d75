from __future__ import annotations

import logging

import pytest
from django.conf import settings

from audit.tasks import verify_audit_chain

from .conftest import raw_delete

pytestmark = pytest.mark.django_db


def test_it_is_scheduled_daily_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-verify-daily"]
    assert entry["task"] == "audit.tasks.verify_audit_chain"
    assert entry["schedule"].hour == {2}
    assert verify_audit_chain.name == "audit.tasks.verify_audit_chain"


def test_it_logs_the_head_of_an_intact_chain(chain, caplog):
    with caplog.at_level(logging.INFO, logger="audit.tasks"):
        result = verify_audit_chain.delay().get()
    assert result == {"ok": True, "count": 5, "problems": 0}
    assert f"head 5:{chain[4].hash}" in caplog.text


def test_it_alerts_the_bureau_when_the_chain_is_broken(chain, cast, caplog):
    from notifications.models import Notification

    raw_delete(2)
    with caplog.at_level(logging.ERROR, logger="audit.tasks"):
        result = verify_audit_chain.delay().get()
    assert result == {"ok": False, "count": 4, "problems": 1}
    assert "audit chain BROKEN" in caplog.text
    alerts = Notification.objects.filter(kind="audit.chain_broken")
    assert [n.recipient for n in alerts] == [cast.bureau]
    alert = alerts.get()
    assert alert.title == "审计日志遭篡改：审计链在事件 #2 处断开"
    assert "#2" in alert.body
