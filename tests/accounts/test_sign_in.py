"""Password sign-in, lockout, logout, password change and reset by e-mail."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

WRONG = "用户名或密码错误"
LOGIN = reverse("accounts:login")


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_it_signs_in_with_the_right_password_and_lands_on_the_workspace(client, cast):
    response = sign_in(client, "supplier", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).context["user"] == cast.supplier


@pytest.mark.django_db
def test_it_says_in_chinese_that_the_password_is_wrong_and_keeps_the_username(client, cast):
    response = sign_in(client, "supplier", "not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert WRONG in body
    assert 'value="supplier"' in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_the_account_after_five_wrong_passwords(client, cast, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        assert sign_in(client, "supplier", "wrong").status_code == 200
    locked = sign_in(client, "supplier", "wrong")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    body = locked.content.decode()
    assert "密码连续输错5次" in body and "15分钟" in body

    # While locked, even the right password is refused, and nobody is signed in.
    again = sign_in(client, "supplier", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert sign_in(client, "supplier2", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_forgets_earlier_failures_after_a_successful_sign_in(client, cast):
    for _attempt in range(4):
        sign_in(client, "supplier", "wrong")
    assert sign_in(client, "supplier", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _attempt in range(4):
        assert sign_in(client, "supplier", "wrong").status_code == 200


@pytest.mark.django_db
def test_it_signs_out_only_by_post(client, cast):
    client.force_login(cast.supplier)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_changes_the_password(client, cast):
    client.force_login(cast.purchaser)
    url = reverse("accounts:password_change")
    refused = client.post(
        url,
        {"old_password": "wrong", "new_password1": "Qing-Tian-77", "new_password2": "Qing-Tian-77"},
    )
    assert refused.status_code == 200
    assert "旧密码不正确" in refused.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Qing-Tian-77",
            "new_password2": "Qing-Tian-77",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    cast.purchaser.refresh_from_db()
    assert cast.purchaser.check_password("Qing-Tian-77")


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_it_resets_a_forgotten_password_through_the_e_mailed_link(client, cast):
    response = client.post(reverse("accounts:password_reset"), {"email": cast.agency.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.agency.email]
    assert "阳光采购" in message.subject

    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(
        set_url, {"new_password1": "Hong-Qi-2026", "new_password2": "Hong-Qi-2027"}
    )
    assert mismatch.status_code == 200  # the form says so and nothing changes
    done = client.post(set_url, {"new_password1": "Hong-Qi-2026", "new_password2": "Hong-Qi-2026"})
    assert done["Location"] == reverse("accounts:password_reset_complete")

    assert sign_in(client, "agency", PASSWORD).status_code == 200
    assert sign_in(client, "agency", "Hong-Qi-2026").status_code == 302
    # The link works once.
    client.post(reverse("accounts:logout"))
    assert client.get(link, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_it_sends_nothing_for_an_unknown_address_but_says_the_same(client, cast):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_lifts_the_lockout_when_the_password_is_reset_by_e_mail(client, cast):
    for _attempt in range(5):
        sign_in(client, "bank", "wrong")
    assert sign_in(client, "bank", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="bank").exists()

    client.post(reverse("accounts:password_reset"), {"email": cast.bank.email})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Hong-Qi-2026", "new_password2": "Hong-Qi-2026"},
    )
    assert not AccessAttempt.objects.filter(username="bank").exists()
    assert sign_in(client, "bank", "Hong-Qi-2026").status_code == 302
