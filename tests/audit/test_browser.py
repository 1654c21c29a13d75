# ruff: noqa: F811 - pytest fixtures imported from tests/browser/conftest.py
"""The audit pages in headless Chromium, at desktop and phone width (screenshots to look at)."""

from __future__ import annotations

import pytest

from audit.selectors import subject_trail_url
from audit.services import record_event
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

from .conftest import raw_update

pytestmark = pytest.mark.browser


@pytest.fixture
def renamed_organisation(cast):
    org = OrganisationFactory(name="郑州市城市管理局")
    record_event(
        action="accounts.organisation.created",
        actor=cast.bureau,
        organisation=org,
        subject=org,
        data={"uscc": org.uscc, "region": "郑州市"},
    )
    org.name = "郑州市城市管理局（更名后）"
    org.contact_phone = "0371-66668888"
    org._change_reason = "单位更名"
    org._history_user = cast.bureau
    org.save()
    record_event(
        action="accounts.organisation.renamed",
        actor=cast.bureau,
        organisation=org,
        subject=org,
        data={"before": "郑州市城市管理局", "after": org.name},
    )
    return org


def test_the_bureau_reads_an_objects_trail_side_by_side(
    page, live_server, cast, renamed_organisation
):
    sign_in(page, live_server, "bureau")
    page.goto(live_server.url + subject_trail_url(renamed_organisation))
    table = page.locator(".audit-trail-table")
    assert table.locator("tbody tr").count() == 4
    assert "accounts.organisation.renamed" in table.inner_text()
    assert "单位更名" in table.inner_text()
    assert table.locator("th", has_text="审计事件").count() == 1
    shot(page, "audit-trail-desktop")

    page.click("text=accounts.organisation.renamed >> xpath=.. >> a")
    page.wait_for_url("**/change/")
    assert "哈希值一致" in page.locator("body").inner_text()
    shot(page, "audit-event-detail")

    page.goto(live_server.url + "/admin/audit/event/")
    assert page.locator("#result_list tbody tr").count() == 2
    shot(page, "audit-event-list")
    page.click("text=校验审计链")
    page.wait_for_url("**/verify/")
    assert "审计链完整" in page.locator("body").inner_text()
    shot(page, "audit-verify")

    raw_update(1, data={"uscc": "伪造", "region": "郑州市"})  # a DBA edits event #1
    page.reload()
    assert "审计链已被破坏，首个问题位于事件 #1" in page.locator("body").inner_text()
    shot(page, "audit-verify-broken")


def test_the_trail_fits_a_phone(phone_page, live_server, cast, renamed_organisation):
    sign_in(phone_page, live_server, "bureau")
    phone_page.goto(live_server.url + subject_trail_url(renamed_organisation))
    assert phone_page.locator(".audit-trail-table thead").is_hidden()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    shot(phone_page, "audit-trail-phone")
