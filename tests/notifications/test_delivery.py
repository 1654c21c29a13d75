from __future__ import annotations

import pytest
from django.core import mail

from notifications.models import Delivery, DeliveryStatus
from notifications.services import notify, retry_delivery
from notifications.tasks import MAX_RETRIES, deliver
from tests.notifications.backends import FlakySmsBackend

pytestmark = pytest.mark.usefixtures("eager_retries")


@pytest.fixture
def supplier_with_phone(cast):
    cast.supplier.phone = "13900000002"
    cast.supplier.save()
    return cast.supplier


def sms_to(user, capture) -> Delivery:
    with capture(execute=True):
        notify(recipients=[user], kind="notifications.test", context={}, channels=["sms"])
    return Delivery.objects.get()


def test_it_retries_a_failing_gateway_until_it_works(
    settings, supplier_with_phone, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.backends.FlakySmsBackend"
    delivery = sms_to(supplier_with_phone, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert delivery.last_error == ""
    assert delivery.sent_at is not None
    assert FlakySmsBackend.outbox == [("13900000002", FlakySmsBackend.outbox[0][1])]


def test_it_marks_the_delivery_failed_after_the_last_retry(
    settings, supplier_with_phone, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.backends.BrokenSmsBackend"
    delivery = sms_to(supplier_with_phone, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_RETRIES + 1
    assert delivery.last_error == "SmsError: gateway unreachable (HTTP 503)"
    assert delivery.sent_at is None


def test_it_records_a_refused_email(settings, cast, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.backends.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.agency], kind="notifications.test", context={})
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "SMTP server refused the connection" in delivery.last_error


def test_it_does_nothing_when_a_sent_delivery_is_delivered_again(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.agency], kind="notifications.test", context={})
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and len(mail.outbox) == 1
    # A duplicate task (redelivered by the broker after a worker crash, say).
    assert deliver.delay(delivery.pk).get() == DeliveryStatus.SENT
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert len(mail.outbox) == 1


def test_it_ignores_a_delivery_that_no_longer_exists(db):
    assert deliver.delay(987654).get() is None


def test_it_requeues_a_failed_delivery_once_the_gateway_works_again(
    settings, cast, supplier_with_phone, django_capture_on_commit_callbacks, sms_outbox
):
    settings.SMS_BACKEND = "tests.notifications.backends.BrokenSmsBackend"
    delivery = sms_to(supplier_with_phone, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    settings.SMS_BACKEND = "tests.notifications.backends.RecordingSmsBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_delivery(delivery=delivery, acting_user=cast.bureau) is True
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == MAX_RETRIES + 2
    assert len(sms_outbox) == 1


def test_it_leaves_a_delivery_without_address_failed_until_one_is_added(
    cast, django_capture_on_commit_callbacks, sms_outbox
):
    delivery = sms_to(cast.agency, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    assert retry_delivery(delivery=delivery, acting_user=cast.bureau) is False
    cast.agency.phone = "13700000003"
    cast.agency.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_delivery(delivery=delivery, acting_user=cast.bureau) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.address) == (DeliveryStatus.SENT, "13700000003")
    assert sms_outbox[0][0] == "13700000003"


def test_it_does_not_requeue_a_sent_delivery(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.agency], kind="notifications.test", context={})
    delivery = Delivery.objects.get()
    assert retry_delivery(delivery=delivery, acting_user=cast.bureau) is False
    assert len(mail.outbox) == 1
