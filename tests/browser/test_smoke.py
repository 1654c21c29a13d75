from __future__ import annotations

from tests.browser.conftest import sign_in


def test_it_signs_in_a_purchaser_and_shows_the_workspace(page, live_server, cast):
    sign_in(page, live_server, "purchaser")
    assert "我的工作台" in page.content()  # the site's language, zh-hans
    assert cast.purchaser.full_name in page.inner_text("[data-testid=home-greeting]")
