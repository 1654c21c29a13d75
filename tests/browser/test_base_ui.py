from __future__ import annotations

from tests.browser.conftest import shot, sign_in


def test_it_collapses_the_navigation_on_a_phone(phone_page, live_server, cast):
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.is_visible(".navbar-toggler")
    assert not page.is_visible("#nav-main")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav-main.show")
    assert page.is_visible("text=登录")
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "base-phone-home")


def test_it_switches_the_language_from_the_footer(page, live_server, cast):
    sign_in(page, live_server, "supplier")
    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.is_visible("text=My workspace")
    page.select_option("#language-select", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.is_visible("text=我的工作台")
