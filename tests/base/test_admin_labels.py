"""The bureau's admin reads in Chinese: labels instead of stored codes, no English headers."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, MembershipRole
from notifications.models import Notification


@pytest.fixture
def bureau_client(cast):
    client = Client()
    client.force_login(cast.bureau)
    return client


@pytest.mark.django_db
def test_history_shows_choice_labels_and_translated_reasons(bureau_client, cast):
    membership = Membership.objects.filter(user=cast.purchaser).first()
    membership.role = MembershipRole.ADMIN
    membership.save()
    membership.role = MembershipRole.STAFF
    membership._change_reason = "Opening started"  # a msgid of the notifications catalogue
    membership.save()

    response = bureau_client.get(reverse("admin:accounts_membership_history", args=[membership.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    with translation.override("zh-hans"):
        admin_label = str(MembershipRole.ADMIN.label)
        staff_label = str(MembershipRole.STAFF.label)
    flat = " ".join(body.split())
    assert f"{admin_label} &nbsp;&rarr;&nbsp;&nbsp;{staff_label}" in flat
    assert "admin &nbsp;" not in flat
    assert "开标开始" in body and "Opening started" not in body
    assert "变更内容" in body and ">Changes<" not in body
    assert "<td> — </td>" in flat and "<td> None </td>" not in flat  # no reason: a dash


@pytest.mark.django_db
def test_history_shows_moments_in_the_site_time_zone(bureau_client, cast):
    import datetime as dt

    user = cast.purchaser
    user.date_joined = dt.datetime(2026, 12, 18, 1, 30, 5, 123456, tzinfo=dt.UTC)
    user.save()

    response = bureau_client.get(reverse("admin:accounts_user_history", args=[user.pk]))

    body = response.content.decode()
    assert "2026-12-18 09:30:05" in body  # Asia/Shanghai
    assert "01:30:05.123456+00:00" not in body


@pytest.mark.django_db
def test_admin_index_has_chinese_screen_reader_headers(bureau_client):
    body = bureau_client.get(reverse("admin:index")).content.decode()
    assert "模型名称" in body
    assert "Model name" not in body and "Add link" not in body


@pytest.mark.django_db
def test_the_user_add_page_has_no_english_hint(bureau_client):
    body = bureau_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "After you’ve created a user" not in body
    assert "创建用户后" in body


@pytest.mark.django_db
def test_notification_admin_names_the_kind(bureau_client, cast):
    Notification.objects.create(recipient=cast.purchaser, kind="procurement.plan_filed", title="x")
    Notification.objects.create(recipient=cast.purchaser, kind="someapp.unlisted", title="y")

    body = bureau_client.get(reverse("admin:notifications_notification_changelist")).content
    body = body.decode()

    assert "实施计划已备案（procurement.plan_filed）" in body
    assert "someapp.unlisted" in body  # a kind without a label still shows, by its code


def test_django_form_messages_use_full_width_punctuation():
    field = forms.DecimalField(max_digits=5, decimal_places=2)
    with translation.override("zh-hans"):
        for value, message in [
            ("1.234", "小数不能超过 2 位。"),
            ("12345.1", "数字总共不能超过 5 位。"),
            ("", "此项为必填项。"),
            ("abc", "请输入一个数字。"),
        ]:
            with pytest.raises(ValidationError) as caught:
                field.clean(value)
            assert caught.value.messages == [message]
