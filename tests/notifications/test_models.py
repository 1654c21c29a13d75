"""Notification models: labels as users read them."""

from __future__ import annotations

from django.utils import translation

from notifications.models import Channel


def test_the_email_channel_has_its_own_translation():
    """ "E-mail" is also accounts' form label (电子邮箱); the channel keeps its own word."""
    with translation.override("zh-hans"):
        assert str(Channel.EMAIL.label) == "电子邮件"
