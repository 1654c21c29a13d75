from __future__ import annotations

import io

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from pypdf import PdfWriter

from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from notifications.services import (
    NO_EMAIL_ADDRESS,
    NO_PHONE_NUMBER,
    MissingMessageTemplate,
    notify,
    notify_bureau,
    notify_organisation,
    render_message,
)
from tests.factories import UserFactory


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_it_puts_a_row_in_each_inbox_and_queues_an_email_per_recipient(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications = notify(
            recipients=[cast.purchaser, cast.supplier],
            kind="notifications.test",
            context={"note": "A & B <ok>"},
        )
    assert [n.recipient for n in notifications] == [cast.purchaser, cast.supplier]
    assert Notification.objects.count() == 2
    first = Notification.objects.get(recipient=cast.purchaser)
    assert first.kind == "notifications.test"
    assert first.title == "来自阳光采购的测试消息"
    assert "采购人小王" in first.body
    # Plain text: nothing HTML-escaped in what e-mail and SMS will carry.
    assert "A & B <ok>" in first.body
    assert first.read_at is None
    deliveries = Delivery.objects.filter(notification=first)
    assert [(d.channel, d.address) for d in deliveries] == [(Channel.EMAIL, "purchaser@example.cn")]
    assert len(callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["purchaser@example.cn", "supplier@example.cn"]
    assert mail.outbox[0].subject == "来自阳光采购的测试消息"
    assert "/notifications/" in mail.outbox[0].body
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_it_sends_nothing_before_the_transaction_commits(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[cast.purchaser], kind="notifications.test", context={})
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_it_sends_nothing_when_the_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[cast.purchaser], kind="notifications.test", context={})
        raise RuntimeError("the write that caused the message failed")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_it_records_a_visible_failure_for_a_user_without_an_address(
    cast, django_capture_on_commit_callbacks, sms_outbox
):
    nobody = UserFactory(username="noaddress", email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[nobody], kind="notifications.test", context={}, channels=("email", "sms")
        )
    email, sms = Delivery.objects.order_by("channel")
    assert email.status == sms.status == DeliveryStatus.FAILED
    with translation.override("zh-hans"):
        assert email.last_error == str(NO_EMAIL_ADDRESS)
        assert sms.last_error == str(NO_PHONE_NUMBER)
    assert email.last_error.startswith("无地址")
    assert mail.outbox == [] and sms_outbox == []
    # The inbox copy is still there.
    assert Notification.objects.get(recipient=nobody).kind == "notifications.test"


def test_it_sends_an_sms_through_the_configured_backend(
    cast, django_capture_on_commit_callbacks, sms_outbox
):
    cast.supplier.phone = "13800000001"
    cast.supplier.save()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(
            recipients=[cast.supplier], kind="notifications.test", context={}, channels=["sms"]
        )
    assert sms_outbox == [
        (
            "13800000001",
            f"【阳光采购】来自阳光采购的测试消息 http://127.0.0.1:8000/notifications/{notification.pk}/",
        )
    ]
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert mail.outbox == []


def test_it_raises_for_a_kind_without_templates_and_writes_nothing(cast):
    with pytest.raises(MissingMessageTemplate, match="procurement.no_such_kind"):
        notify(recipients=[cast.purchaser], kind="procurement.no_such_kind", context={})
    assert Notification.objects.count() == 0


def test_it_refuses_a_kind_that_would_leave_the_templates_folder(cast):
    with pytest.raises(MissingMessageTemplate):
        render_message(kind="../../base", context={})


def test_it_refuses_an_unknown_channel(cast):
    with pytest.raises(ValueError, match="fax"):
        notify(recipients=[cast.purchaser], kind="notifications.test", context={}, channels=["fax"])


def test_it_writes_in_chinese_even_when_the_sender_browses_in_english(cast):
    with translation.override("en"):
        (notification,) = notify(
            recipients=[cast.purchaser], kind="notifications.test", context={}, channels=["inbox"]
        )
    assert notification.title == "来自阳光采购的测试消息"
    assert Delivery.objects.count() == 0


def test_it_notifies_each_recipient_once_and_skips_inactive_users(cast):
    gone = UserFactory(username="gone", is_active=False)
    notify(
        recipients=[cast.purchaser, cast.purchaser, gone],
        kind="notifications.test",
        context={},
    )
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["purchaser"]


def test_it_notifies_every_member_of_an_organisation(cast):
    colleague = UserFactory(
        username="colleague", organisation=cast.purchaser.memberships.get().organisation
    )
    notifications = notify_organisation(
        organisation=colleague.memberships.get().organisation,
        kind="notifications.test",
        context={},
    )
    assert {n.recipient for n in notifications} == {cast.purchaser, colleague}


def test_it_notifies_the_bureau_only(cast):
    notifications = notify_bureau(kind="notifications.test", context={})
    assert [n.recipient for n in notifications] == [cast.bureau]


def test_it_links_to_the_subject_page(cast):
    organisation = cast.purchaser.memberships.get().organisation
    (notification,) = notify(
        recipients=[cast.purchaser],
        kind="notifications.test",
        context={"url": "/portal/somewhere/"},
        subject=organisation,
    )
    assert notification.subject == organisation
    assert notification.url == "/portal/somewhere/"


def test_it_stores_an_attachment_once_for_every_recipient(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = notify(
            recipients=[cast.purchaser, cast.agency],
            kind="notifications.test",
            context={},
            attachment=("通知附件.pdf", blank_pdf()),
        )
    assert first.attachment_id == second.attachment_id
    assert first.attachment.kind == "pdf"
    assert [m.attachments[0][0] for m in mail.outbox] == ["通知附件.pdf", "通知附件.pdf"]
