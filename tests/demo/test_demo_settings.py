"""The demo as a visitor meets it: the product's own error pages, one-line e-mails, a favicon."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

from notifications.mail import OneLineEmailBackend

pytestmark = pytest.mark.django_db


def test_the_demo_settings_turn_debug_off_and_print_one_line_e_mails():
    from config.settings import demo

    assert demo.DEBUG is False
    assert demo.EMAIL_BACKEND == "notifications.mail.OneLineEmailBackend"
    assert demo.WHITENOISE_USE_FINDERS  # static files served with DEBUG off


def test_it_renders_the_chinese_404_page_with_debug_off(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回首页" in body
    assert "Page not found" not in body and "URLconf" not in body  # not Django's debug page


def test_the_one_line_backend_prints_each_message_as_one_line_with_recipient_and_subject():
    stream = io.StringIO()
    backend = OneLineEmailBackend(stream=stream)
    messages = [
        EmailMessage(
            subject="开标：请立即解密您的投标\n（第 1 包）",
            body="正文第一行\n\n在 阳光采购 查看：http://127.0.0.1:8731/notifications/7/\n",
            to=["supplier@demo.yangguang.cn"],
        ),
        EmailMessage(subject="实施计划已备案", body="没有链接。", to=["a@x.cn", "b@x.cn"]),
    ]
    assert backend.send_messages(messages) == 2
    lines = stream.getvalue().splitlines()
    assert lines == [
        "E-mail to supplier@demo.yangguang.cn: 开标：请立即解密您的投标 （第 1 包） — "
        "http://127.0.0.1:8731/notifications/7/",
        "E-mail to a@x.cn, b@x.cn: 实施计划已备案",
    ]


def test_notification_links_use_the_address_the_demo_serves_on(settings, cast):
    from notifications.models import Channel, Delivery
    from notifications.services import attempt_delivery, notify

    settings.SITE_URL = "http://127.0.0.1:8731"
    cast.purchaser.email = "purchaser@demo.yangguang.cn"
    cast.purchaser.save()
    notify(recipients=[cast.purchaser], kind="notifications.welcome", context={"role_label": ""})
    for delivery in Delivery.objects.filter(channel=Channel.EMAIL):
        attempt_delivery(delivery_id=delivery.pk, final_attempt=True)
    assert mail.outbox, "the welcome notice goes out by e-mail"
    assert "http://127.0.0.1:8731/notifications/" in mail.outbox[-1].body


def test_the_favicon_is_linked_and_served_at_the_root(client):
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
