"""An e-mail backend for the demo: each message as one line on the console.

Django's console backend prints every message whole (headers, MIME parts, attachments in
base64), which buries the demo's sign-in list under pages of text. This one prints who the
message is for, its subject and the first link in its body, so a visitor sees that a message
went out and where it leads (config/settings/demo.py selects it).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

LINK = re.compile(r"https?://\S+")


def one_line(message: EmailMessage) -> str:
    """「E-mail to a@x.cn, b@x.cn: subject — link」, on one line whatever the subject holds."""
    subject = " ".join(str(message.subject).split())
    line = f"E-mail to {', '.join(message.recipients())}: {subject}"
    link = LINK.search(str(message.body))
    return f"{line} — {link.group(0)}" if link else line


class OneLineEmailBackend(BaseEmailBackend):
    def __init__(self, *, stream: TextIO | None = None, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        # The process's own stdout: a Celery worker sends most mail, and puts its log prefix on
        # whatever goes through the sys.stdout it replaced.
        self.stream = stream or sys.__stdout__ or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        with self._lock:
            for message in email_messages:
                if not message.recipients():
                    continue
                self.stream.write(one_line(message) + "\n")
                sent += 1
            self.stream.flush()
        return sent
