"""The dashboards in a real browser (issue 12 §7): the bureau opens its clocks dashboard from
its home and the ECharts chart draws; the purchaser opens its due and overdue list from its."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from accounts.selectors import organisation_of
from contracts.services.clocks import SIGNING
from evaluation.services.report import RESULT_CLOCK
from tests.browser.conftest import shot, sign_in
from tests.factories import OrganisationFactory
from timers.services import meet_clock, start_clock, sweep


def some_clocks(cast) -> None:
    """Each purchaser: results met on time and late, a signing overdue, one due later."""
    now = timezone.now()
    started = now - dt.timedelta(days=3)
    for user, on_time in ((cast.purchaser, 3), (cast.purchaser2, 1)):
        org = organisation_of(user)
        for n in range(4):
            subject = OrganisationFactory()
            start_clock(
                subject=subject,
                kind=RESULT_CLOCK,
                due=now - dt.timedelta(days=1),
                responsible=org,
                started=started,
            )
            late = n >= on_time
            meet_clock(
                subject=subject,
                kind=RESULT_CLOCK,
                at=now - dt.timedelta(days=2 if not late else 0, hours=1),
            )
        start_clock(
            subject=OrganisationFactory(),
            kind=SIGNING,
            due=now - dt.timedelta(hours=5),
            responsible=org,
            started=started,
        )
        start_clock(
            subject=OrganisationFactory(),
            kind=SIGNING,
            due=now + dt.timedelta(days=1),
            responsible=org,
            started=started,
        )
    sweep(now)


def test_the_bureau_opens_the_dashboard_from_its_home_and_the_chart_draws(page, live_server, cast):
    some_clocks(cast)
    sign_in(page, live_server, "bureau")
    page.click("[data-testid=open-dashboard]")
    expect(page.locator("h1")).to_have_text("计时监管看板")
    expect(page.locator("#share-chart canvas")).to_have_count(1)
    box = page.locator("#share-chart canvas").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    expect(page.locator("[data-testid=share-row]")).to_have_count(4)
    expect(page.locator("[data-testid=overdue-row]")).to_have_count(2)
    expect(page.locator("[data-testid=count-overdue]")).to_have_text("2")
    page.wait_for_timeout(500)  # the bars' entry animation
    shot(page, "supervision-dashboard")
    # The filters narrow the table and keep the export link in step.
    page.select_option("#id_kind", SIGNING)
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    expect(page.locator("[data-testid=share-row]")).to_have_count(2)
    assert f"kind={SIGNING}" in (page.get_attribute("[data-testid=export-xlsx]", "href") or "")


def test_the_purchaser_opens_its_due_and_overdue_list_from_its_home(page, live_server, cast):
    some_clocks(cast)
    sign_in(page, live_server, "purchaser")
    page.click("[data-testid=open-purchaser-dashboard]")
    expect(page.locator("h1")).to_have_text("今日到期与超期事项")
    expect(page.locator("[data-testid=overdue-row]")).to_have_count(1)
    expect(page.locator("[data-testid=later-row]")).to_have_count(1)
    shot(page, "purchaser-dashboard")
