"""The bureau looks at the clock list in Chromium, on a desktop and on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.selectors import organisation_of
from tests.browser.conftest import (  # noqa: F401 - fixtures
    _playwright,
    browser,
    cast,
    context,
    page,
    phone_page,
    shot,
    sign_in,
)
from tests.factories import OrganisationFactory
from timers.registry import ONE_WORKING_DAY
from timers.services import start_clock, sweep

pytestmark = pytest.mark.browser


@pytest.fixture
def clocks(cast):  # noqa: F811
    now = timezone.now()
    responsible = organisation_of(cast.purchaser)
    for hours in (-30, 5, 40):
        start_clock(
            subject=OrganisationFactory(),
            kind=ONE_WORKING_DAY,
            due=now + timedelta(hours=hours),
            responsible=responsible,
            started=now - timedelta(days=3),
        )
    sweep(now)


def test_the_bureau_filters_breached_clocks(page, live_server, cast, clocks):  # noqa: F811
    sign_in(page, live_server, "bureau")
    page.goto(f"{live_server.url}/admin/timers/clock/")
    assert page.locator("#result_list tbody tr").count() == 3
    shot(page, "timers-admin-clocks")
    page.get_by_role("link", name="已超期").first.click()
    # Wait for the filtered list: count() does not wait, and read mid-navigation it saw 0.
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert "超期 1 天 6 小时" in page.locator("#result_list").inner_text()
    shot(page, "timers-admin-breached")
    page.locator("#result_list tbody tr a").first.click()
    page.wait_for_url("**/change/**")
    expect(page.locator("#content")).to_contain_text("市教育局")
    expect(page.locator("#content")).to_contain_text("已超期")
    shot(page, "timers-admin-clock")


def test_the_clock_list_works_on_a_phone(phone_page, live_server, cast, clocks):  # noqa: F811
    sign_in(phone_page, live_server, "bureau")
    phone_page.goto(f"{live_server.url}/admin/timers/clock/")
    assert phone_page.locator("#result_list tbody tr").count() == 3
    shot(phone_page, "timers-admin-clocks-phone")
