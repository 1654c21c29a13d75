from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Delivery, DeliveryStatus
from notifications.services import notify


@pytest.fixture
def failed_delivery(cast, settings, django_capture_on_commit_callbacks, eager_retries):
    settings.EMAIL_BACKEND = "tests.notifications.backends.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.supplier], kind="notifications.test", context={})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    return delivery


def test_it_shows_the_bureau_failed_deliveries(client, cast, failed_delivery):
    notify(recipients=[cast.agency], kind="notifications.test", context={}, channels=["inbox"])
    client.force_login(cast.bureau)
    response = client.get(reverse("admin:notifications_delivery_changelist") + "?status=failed")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed_delivery]
    assert "SMTP server refused the connection" in response.content.decode()
    notifications = client.get(reverse("admin:notifications_notification_changelist"))
    assert notifications.status_code == 200
    assert notifications.context["cl"].result_count == 2
    index = client.get(reverse("admin:index"))
    assert reverse("admin:notifications_delivery_changelist") in index.content.decode()


def test_it_filters_notifications_by_read_and_organisation(client, cast):
    notify(recipients=[cast.agency, cast.supplier], kind="notifications.test", context={})
    client.force_login(cast.bureau)
    org = cast.agency.memberships.get().organisation
    url = reverse("admin:notifications_notification_changelist")
    response = client.get(url + f"?organisation={org.pk}&read=no")
    assert [n.recipient for n in response.context["cl"].result_list] == [cast.agency]
    assert client.get(url + "?read=yes").context["cl"].result_count == 0


def test_it_retries_failed_deliveries_from_the_admin(
    client, cast, failed_delivery, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(cast.bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "retry_failed", "_selected_action": [failed_delivery.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    assert "1 条投递已重新排队" in response.content.decode()


def test_it_lets_nobody_edit_or_delete_notifications_in_the_admin(client, cast, failed_delivery):
    client.force_login(cast.bureau)
    change = reverse("admin:notifications_delivery_change", args=[failed_delivery.pk])
    response = client.post(change, {"status": "sent"})
    assert response.status_code == 403
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.FAILED
    delete = reverse("admin:notifications_delivery_delete", args=[failed_delivery.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


@pytest.mark.parametrize("role", ["purchaser", "agency", "supplier", "expert", "bank", "outsider"])
def test_it_keeps_other_roles_out_of_the_notifications_admin(client, cast, role, failed_delivery):
    user = getattr(cast, role)
    user.is_staff = True  # even a staff flag set by mistake does not open the bureau's admin
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:notifications_delivery_changelist"))
    # The bureau's admin site turns everyone else away (a 403, or the sign-in page).
    assert response.status_code in (302, 403)
    assert "SMTP" not in response.content.decode()
