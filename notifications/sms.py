"""SMS through a pluggable backend, chosen by settings.SMS_BACKEND (a dotted class path).

The default writes each message to the "notifications.sms" logger; a real gateway (the city's
SMS platform, a cloud provider) is a subclass of BaseSmsBackend configured by that setting.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class SmsError(Exception):
    """The gateway refused or could not take the message; the delivery will be retried."""


class BaseSmsBackend:
    """One method: send `text` to the mobile number `phone`, or raise (any exception)."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes the message to the log instead of sending it: the default outside production."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def get_sms_backend() -> BaseSmsBackend:
    """A fresh instance of the configured backend (settings may change under tests)."""
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()
