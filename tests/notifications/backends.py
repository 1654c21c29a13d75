"""SMS and e-mail backends for tests, plugged in through SMS_BACKEND / EMAIL_BACKEND."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from notifications.sms import BaseSmsBackend, SmsError


class RecordingSmsBackend(BaseSmsBackend):
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingSmsBackend.outbox.append((phone, text))


class BrokenSmsBackend(BaseSmsBackend):
    """A gateway that is down: every send raises."""

    def send(self, phone: str, text: str) -> None:
        raise SmsError("gateway unreachable (HTTP 503)")


class FlakySmsBackend(BaseSmsBackend):
    """Fails twice, then works: a gateway that recovers between retries."""

    calls = 0
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        FlakySmsBackend.calls += 1
        if FlakySmsBackend.calls <= 2:
            raise SmsError(f"timeout on try {FlakySmsBackend.calls}")
        FlakySmsBackend.outbox.append((phone, text))


class BrokenEmailBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
