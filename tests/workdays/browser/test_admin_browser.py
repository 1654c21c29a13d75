"""The bureau sees the provisional-2027 warning and the calendar admin in a real browser."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from tests.browser.conftest import shot, sign_in
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.browser


@pytest.fixture
def late_2026(tmp_path, settings):
    settings.VAR_DIR = tmp_path  # the commits write the calendar's version file
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)):
        yield


def test_it_shows_the_bureau_the_2027_warning_and_lets_it_enter_an_override(
    page, live_server, cast, late_2026
):
    sign_in(page, live_server, "bureau")
    page.goto(f"{live_server.url}/admin/")
    warning = page.locator(".messagelist .warning").first
    assert "2027年的放假安排尚未录入" in warning.inner_text()
    shot(page, "workdays-admin-index-warning")

    page.goto(f"{live_server.url}/admin/workdays/calendaroverride/add/")
    page.fill("input[name=date]", "2026-03-03")
    page.select_option("select[name=kind]", "makeup_workday")
    page.fill("input[name=name]", "春节")
    page.fill("input[name=notice]", "国办发明电（测试）")
    page.click("input[name=_save]")
    assert "调休上班日只能是周六或周日" in page.locator(".errorlist").first.inner_text()
    shot(page, "workdays-admin-override-refused")

    page.fill("input[name=date]", "2027-02-13")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/workdays/calendaroverride/")
    assert "2027年2月13日" in page.inner_text("#result_list")
    shot(page, "workdays-admin-override-list")

    page.click("text=确认2027年度")
    page.wait_for_url("**/admin/workdays/calendaryear/add/?year=2027")
    assert page.input_value("input[name=year]") == "2027"
    page.check("input[name=confirmed]")
    page.fill("input[name=notice]", "国办发明电（测试）")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/workdays/calendaryear/")
    assert "尚未录入" not in page.content()
    page.click("#result_list a >> text=2027")
    assert "2027年2月5日 星期五 春节" in page.locator(".field-statutory_days").inner_text()
    shot(page, "workdays-admin-year")


def test_it_shows_the_warning_at_phone_width(phone_page, live_server, cast, late_2026):
    sign_in(phone_page, live_server, "bureau")
    phone_page.goto(f"{live_server.url}/admin/workdays/calendaroverride/")
    assert phone_page.locator(".messagelist .warning").first.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    shot(phone_page, "workdays-admin-phone")
