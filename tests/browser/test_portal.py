"""The public portal in Chromium: home, filtered list with keyset pages, detail; desktop and phone."""

from __future__ import annotations

import datetime as dt

from procurement.models import AnnouncementKind, ProcurementIntention
from tests.browser.conftest import shot
from tests.portal.builders import make_announcements, make_intentions, make_project

TENDER_DATA = {
    "project": {
        "code": "ZZCG-2026-000123",
        "name": "市第一中学教学设备采购项目",
        "kind": "goods",
        "method": "public_tender",
        "budget": "3000000.00",
        "sme_mode": "share",
        "contact_name": "王老师",
        "contact_phone": "0371-12345678",
        "purchaser": {
            "name": "门户测试市教育局",
            "address": "郑州市金水路1号",
            "contact_phone": "",
        },
        "agency": None,
        "intention": {"project_name": "教学设备", "published_at": "2026-04-01T08:00:00+08:00"},
        "exemption_reason": "",
    },
    "lots": [
        {
            "id": 999999,
            "number": 1,
            "name": "交互式教学一体机",
            "kind": "goods",
            "budget": "1500000.00",
            "max_price": None,
            "sme_reserved": False,
            "qualification_requirements": "具有独立承担民事责任的能力。",
            "evaluation_method": "comprehensive",
            "price_weight": "30.00",
            "sme_deduction": "10.00",
            "criteria": [{"name": "技术方案", "points": "70.00", "description": ""}],
            "bid_deadline": "2026-06-30T09:30:00+08:00",
            "opening_at": "2026-06-30T09:30:00+08:00",
            "decryption_window_minutes": 30,
        }
    ],
    "documents": [],
    "documents_from": "2026-06-05T10:00:00+08:00",
}


def seed(cast):
    """45 notices of one project (one more tender later), 8 intentions; the notices returned."""
    project = make_project(cast)
    rows = make_announcements(cast, 45, project=project, data=TENDER_DATA)
    make_announcements(
        cast,
        1,
        project=project,
        kind=AnnouncementKind.TENDER,
        title="门户测试市教育局市第一中学交互式教学一体机及配套安装服务公开招标公告（第二次）",
        data=TENDER_DATA,
        start=dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC),
    )
    make_intentions(cast, 8)
    return rows


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_visitor_reads_the_home_page_on_desktop_and_phone(page, phone_page, live_server, cast):
    seed(cast)
    newest = ProcurementIntention.objects.published().order_by("-published_at").first()
    assert newest is not None
    page.goto(live_server.url + "/")
    # Six kinds of notice (tender, correction, result, contract, failure, cancellation) and the
    # intentions, a card each.
    assert page.locator("[data-testid=home-notices] .card").count() == 7
    assert newest.project_name in page.inner_text("[data-testid=home-notices]")
    shot(page, "portal-home-desktop")
    phone_page.goto(live_server.url + "/")
    no_sideways_scroll(phone_page)
    shot(phone_page, "portal-home-phone")
    phone_page.fill("#home-search", "第二次")
    phone_page.click("form[role=search] button[type=submit]")
    phone_page.wait_for_url("**/announcements/?q=*")
    assert phone_page.locator("[data-testid=results] li").count() == 1


def test_a_visitor_filters_and_pages_through_the_announcements(page, live_server, cast):
    seed(cast)
    page.goto(live_server.url + "/announcements/")
    assert page.locator("[data-testid=results] li").count() == 20
    shot(page, "portal-list-desktop")
    page.click("[data-testid=kind-tabs] a[href$='kind=tender']")
    page.wait_for_url("**kind=tender*")
    page.select_option("#id_region", "410100")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url("**region=410100*")
    titles = page.locator("[data-testid=results] .notice-title").all_inner_texts()
    assert titles and all("开封" not in t for t in titles)
    assert (
        page.locator("[data-testid=kind-tabs] .active")
        .get_attribute("href")
        .endswith("kind=tender")
    )
    # Far down the unfiltered list, by cursor, and back.
    page.goto(live_server.url + "/announcements/")
    first = page.locator("[data-testid=results] .notice-title").all_inner_texts()
    page.click("[data-testid=next-page]")
    page.wait_for_url("**cursor=*")
    second = page.locator("[data-testid=results] .notice-title").all_inner_texts()
    assert not set(first) & set(second)
    page.click("[data-testid=previous-page]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=results] .notice-title").all_inner_texts() == first


def test_a_visitor_reads_a_notice_on_a_phone(phone_page, live_server, cast):
    seed(cast)
    page = phone_page
    page.goto(live_server.url + "/announcements/")
    no_sideways_scroll(page)
    # The keywords stay in view; the other filters fold away behind one button.
    assert page.is_visible("#id_q") and not page.is_visible("#id_region")
    shot(page, "portal-list-phone")
    page.click("[data-testid=more-filters]")
    page.wait_for_selector("#id_region", state="visible")
    shot(page, "portal-list-phone-filters")
    page.click("[data-testid=results] .notice-title >> nth=0")
    page.wait_for_url("**/announcements/*/")
    assert page.is_visible("text=交互式教学一体机及配套安装服务公开招标公告")
    no_sideways_scroll(page)
    shot(page, "portal-detail-phone")


def test_a_visitor_reads_a_notice_and_an_intention_on_desktop(page, live_server, cast):
    rows = seed(cast)
    page.goto(f"{live_server.url}/announcements/{rows[6].pk}/")
    assert page.is_visible("h1.notice-heading")
    shot(page, "portal-detail-desktop")
    page.goto(live_server.url + "/intentions/")
    shot(page, "portal-intentions-desktop")
    page.click("[data-testid=results] .notice-title >> nth=0")
    page.wait_for_url("**/intentions/*/")
    intention = ProcurementIntention.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    main = page.inner_text("main")
    assert "采购需求概况" in main and intention.summary in main
    shot(page, "portal-intention-desktop")
