"""The inbox in Chromium: the badge, the list, mark read (htmx), mark all read, phone width."""

from __future__ import annotations

import pytest

from notifications.services import notify, send_reminder_letter
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def seed_inbox(cast) -> None:
    for note in ["第一条：请核对采购意向。", "第二条：合同签订期限将至。"]:
        notify(recipients=[cast.purchaser], kind="notifications.test", context={"note": note})
    send_reminder_letter(
        organisation=cast.purchaser.memberships.get().organisation,
        subject=None,
        title="关于及时签订政府采购合同的提醒",
        body="你单位有一项采购合同超过规定期限尚未签订，请于一个工作日内完成签订。",
        acting_user=cast.bureau,
    )


def badge_text(page) -> str | None:
    badge = page.locator("[data-testid=inbox-badge]")
    return badge.inner_text() if badge.count() else None


def test_it_shows_the_badge_and_marks_notifications_read(page, live_server, cast):
    seed_inbox(cast)
    sign_in(page, live_server, "purchaser")
    assert badge_text(page) == "3"
    home = page.locator("[data-testid=home-unread]")
    assert home.locator("a").count() == 3
    assert "提醒函" in home.inner_text()
    shot(page, "notifications-home-desktop")

    page.click("[data-testid=inbox-link]")
    page.wait_for_url(f"{live_server.url}/notifications/")
    rows = page.locator("[data-testid=notification-row]")
    assert rows.count() == 3
    assert page.locator("[data-testid=notification-row][data-read='0']").count() == 3
    shot(page, "notifications-inbox-desktop")

    # htmx: the row and the badge change in place, without leaving the page.
    page.evaluate("window.__same_page = true")
    rows.nth(1).locator("[data-testid=mark-read]").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=inbox-badge]').innerText.trim() === '2'"
    )
    assert page.evaluate("window.__same_page") is True
    assert rows.nth(1).get_attribute("data-read") == "1"
    assert "2 条未读" in page.inner_text("#inbox-header")

    # Opening the reminder letter marks it read and offers its PDF.
    page.click("text=提醒函：关于及时签订政府采购合同的提醒")
    page.wait_for_selector("[data-testid=notification-detail]")
    assert badge_text(page) == "1"
    link = page.locator("[data-testid=attachment-link]")
    assert ".pdf" in link.inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "notifications-detail-desktop")

    page.click("text=返回通知列表")
    page.click("[data-testid=mark-all-read]")
    page.wait_for_selector("[data-testid=inbox-badge]", state="detached")
    assert page.locator("[data-testid=notification-row][data-read='0']").count() == 0
    assert "1 条通知已标记为已读" in page.inner_text("#main")
    shot(page, "notifications-inbox-all-read-desktop")


def test_it_shows_the_bell_and_the_inbox_on_a_phone(phone_page, live_server, cast):
    seed_inbox(cast)
    page = phone_page
    sign_in(page, live_server, "purchaser")
    # The bell sits beside the menu button: visible without opening the collapsed menu.
    assert page.is_visible("[data-testid=inbox-link]")
    assert not page.is_visible("#nav-main")
    assert badge_text(page) == "3"
    shot(page, "notifications-home-phone")
    page.click("[data-testid=inbox-link]")
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "notifications-inbox-phone")
    page.locator("[data-testid=mark-read]").first.click()
    page.wait_for_function(
        "document.querySelector('[data-testid=inbox-badge]').innerText.trim() === '2'"
    )
    page.locator("[data-testid=notification-row] a").first.click()
    page.wait_for_selector("[data-testid=notification-detail]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "notifications-detail-phone")


def test_it_shows_the_bureau_failed_deliveries_in_the_admin(page, live_server, cast, settings):
    from notifications.models import Delivery, DeliveryStatus

    # An SMS to a user without a mobile number fails at once, visibly.
    notify(recipients=[cast.supplier], kind="notifications.test", context={}, channels=["sms"])
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    sign_in(page, live_server, "bureau")
    page.goto(f"{live_server.url}/admin/notifications/delivery/?status__exact=failed")
    assert "无地址：收件人未登记手机号码。" in page.inner_text("#result_list")
    assert page.locator("select[name=action] option[value=retry_failed]").count() == 1
    shot(page, "notifications-admin-failed-deliveries")
