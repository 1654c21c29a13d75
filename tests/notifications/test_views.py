from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.notifications.test_notify import blank_pdf

BADGE = re.compile(r'data-testid="inbox-badge">([^<]+)<')


def inbox_message(user, **context) -> Notification:
    (notification,) = notify(
        recipients=[user], kind="notifications.test", context=context, channels=["inbox"]
    )
    return notification


def signed_in(client, user):
    client.force_login(user)
    return client


def badge(response) -> str | None:
    match = BADGE.search(response.content.decode())
    return match.group(1) if match else None


def test_it_shows_the_unread_count_in_the_header(client, cast):
    for _ in range(3):
        inbox_message(cast.purchaser)
    inbox_message(cast.supplier)
    response = signed_in(client, cast.purchaser).get(reverse("accounts:home"))
    assert badge(response) == "3"
    assert 'href="/notifications/"' in response.content.decode()


def test_it_shows_no_badge_when_everything_is_read(client, cast):
    notification = inbox_message(cast.purchaser)
    notification.read_at = notification.created
    notification.save()
    response = signed_in(client, cast.purchaser).get(reverse("accounts:home"))
    assert badge(response) is None
    assert 'data-testid="inbox-link"' in response.content.decode()


def test_it_caps_the_badge_at_99(client, cast):
    Notification.objects.bulk_create(
        Notification(recipient=cast.purchaser, kind="notifications.test", title=f"n{i}")
        for i in range(120)
    )
    response = signed_in(client, cast.purchaser).get(reverse("accounts:home"))
    assert badge(response) == "99+"


def test_it_shows_no_bell_to_anonymous_visitors(client, db):
    response = client.get("/")
    assert 'data-testid="inbox-link"' not in response.content.decode()


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_it_counts_unread_with_one_query_whatever_the_number(client, cast):
    signed_in(client, cast.purchaser)
    inbox_message(cast.purchaser)
    one = queries_for(client, reverse("accounts:home"))
    for _ in range(12):
        inbox_message(cast.purchaser)
    many = queries_for(client, reverse("accounts:home"))
    assert len(one) == len(many)
    counts = [q for q in many if "COUNT(" in q.upper() and "notifications_notification" in q]
    assert len(counts) == 1


def test_it_lists_the_inbox_in_a_fixed_number_of_queries(client, cast):
    signed_in(client, cast.purchaser)
    inbox_message(cast.purchaser)
    one = queries_for(client, reverse("notifications:inbox"))
    for _ in range(30):
        inbox_message(cast.purchaser)
    many = queries_for(client, reverse("notifications:inbox"))
    assert len(one) == len(many)


def test_it_lists_only_the_users_own_notifications_newest_first(client, cast):
    older = inbox_message(cast.purchaser, note="older")
    newer = inbox_message(cast.purchaser, note="newer")
    inbox_message(cast.purchaser2)
    response = signed_in(client, cast.purchaser).get(reverse("notifications:inbox"))
    assert [n.pk for n in response.context["page"].object_list] == [newer.pk, older.pk]


def test_it_paginates_the_inbox(client, cast):
    for _ in range(25):
        inbox_message(cast.purchaser)
    client = signed_in(client, cast.purchaser)
    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox") + "?page=2")
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "第 2 页，共 2 页" in second.content.decode()


def test_it_filters_to_unread(client, cast):
    read = inbox_message(cast.purchaser)
    read.read_at = read.created
    read.save()
    unread = inbox_message(cast.purchaser)
    response = signed_in(client, cast.purchaser).get(
        reverse("notifications:inbox") + "?show=unread"
    )
    assert [n.pk for n in response.context["page"].object_list] == [unread.pk]


def test_it_marks_a_notification_read_when_opened(client, cast):
    notification = inbox_message(cast.purchaser, url="/somewhere/")
    response = signed_in(client, cast.purchaser).get(
        reverse("notifications:detail", args=[notification.pk])
    )
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
    first_read = notification.read_at
    assert "来自阳光采购的测试消息" in response.content.decode()
    client.get(reverse("notifications:detail", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_it_marks_one_read_and_goes_back_to_the_page_it_was_on(client, cast):
    notification = inbox_message(cast.purchaser)
    other = inbox_message(cast.purchaser)
    response = signed_in(client, cast.purchaser).post(
        reverse("notifications:read", args=[notification.pk]),
        {"next": "/notifications/?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_it_never_redirects_off_site_after_marking_read(client, cast):
    notification = inbox_message(cast.purchaser)
    response = signed_in(client, cast.purchaser).post(
        reverse("notifications:read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_it_refuses_to_mark_read_with_get(client, cast):
    notification = inbox_message(cast.purchaser)
    response = signed_in(client, cast.purchaser).get(
        reverse("notifications:read", args=[notification.pk])
    )
    assert response.status_code == 405


def test_it_marks_all_read_and_updates_the_badge(client, cast):
    for _ in range(4):
        inbox_message(cast.purchaser)
    theirs = inbox_message(cast.purchaser2)
    client = signed_in(client, cast.purchaser)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert Notification.objects.for_user(cast.purchaser).unread().count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert badge(response) is None
    assert "4 条通知已标记为已读" in response.content.decode()


def test_it_serves_htmx_the_page_it_selects_the_row_and_badge_from(client, cast):
    first = inbox_message(cast.purchaser)
    inbox_message(cast.purchaser)
    response = signed_in(client, cast.purchaser).post(
        reverse("notifications:read", args=[first.pk]),
        {"next": reverse("notifications:inbox")},
        headers={"HX-Request": "true"},
        follow=True,
    )
    html = response.content.decode()
    row = re.search(rf'id="notification-{first.pk}"[^>]*data-read="(\d)"', html)
    assert row and row.group(1) == "1"
    assert badge(response) == "1"


@pytest.mark.parametrize(
    "role",
    ["purchaser2", "agency", "supplier", "supplier2", "expert", "bank", "bureau", "outsider"],
)
def test_it_hides_someone_elses_notification(client, cast, role):
    notification = inbox_message(cast.purchaser)
    client = signed_in(client, getattr(cast, role))
    assert client.get(reverse("notifications:detail", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_sends_anonymous_visitors_to_sign_in(client, cast):
    notification = inbox_message(cast.purchaser)
    for url in [
        reverse("notifications:inbox"),
        reverse("notifications:detail", args=[notification.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_the_latest_unread_on_the_home_page_for_every_role(client, cast):
    for name, user in cast.everyone().items():
        for i in range(7):
            inbox_message(user, note=f"{name}-{i}")
        client.force_login(user)
        response = client.get(reverse("accounts:home"))
        html = response.content.decode()
        assert 'data-testid="home-unread"' in html, name
        assert html.count('href="/notifications/') >= 5
        section = next(s for s in response.context["sections"] if s.order == 10)
        assert len(section.context["notifications"]) == 5
        assert all(n.recipient == user for n in section.context["notifications"])
        assert "全部通知（7 条未读）" in html


def test_it_lets_the_recipient_alone_download_the_attachment(client, cast):
    (notification,) = notify(
        recipients=[cast.supplier],
        kind="notifications.test",
        context={},
        channels=["inbox"],
        attachment=("整改通知.pdf", blank_pdf()),
    )
    url = reverse("documents:download", args=[notification.attachment.uuid])
    client.force_login(cast.supplier)
    detail = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert url in detail.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for role in ["supplier2", "purchaser", "agency", "expert", "bank", "outsider"]:
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == 404, role
