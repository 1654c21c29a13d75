"""Issue 14 in a real browser: an expert finds its credit evaluations on its home page after the
result is confirmed, evaluates the purchaser with a deduction and its reason (a deduction without
one is refused on the page), and anyone then reads the purchaser's public grade and its chart."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from credit.models import CreditEvaluation, EvaluationState, PartyGrade, expert_key, org_key
from tests.browser.conftest import shot, sign_in
from tests.browser.journey_steps import from_home, owes
from tests.credit.builders import CONFIRMED_AT, awarded_scene


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_expert_evaluates_from_its_home_and_the_public_reads_the_grade(page, live_server, cast):
    awarded_scene(cast, agency=False)
    purchaser = cast.purchaser.memberships.get().organisation
    with time_machine.travel(CONFIRMED_AT + dt.timedelta(days=1), tick=True):
        sign_in(page, live_server, cast.expert.username)
        shot(page, "credit-1-expert-home")
        assert owes(page, live_server, "credit.evaluation_to_give")
        from_home(page, live_server, "credit.evaluation_to_give")
        expect(page.get_by_test_id("credit-form")).to_be_visible()
        page.get_by_test_id("points-P05").fill("3")
        page.get_by_test_id("give-evaluation").click()
        expect(page.get_by_test_id("form-errors")).to_contain_text("P05")
        page.get_by_test_id("points-P05").fill("3")
        page.get_by_test_id("comment-P05").fill("评分标准设置了与项目无关的业绩要求")
        shot(page, "credit-2-form")
        page.get_by_test_id("give-evaluation").click()
        expect(page.get_by_test_id("credit-given")).to_contain_text("已评价")
        assert not owes(page, live_server, "credit.evaluation_to_give")

    task = CreditEvaluation.objects.get(
        rater_key=expert_key(cast.expert.pk), rated_key=org_key(purchaser.pk)
    )
    assert task.state == EvaluationState.SUBMITTED
    assert task.items.get(indicator__code="P05").comment == "评分标准设置了与项目无关的业绩要求"
    grade = PartyGrade.objects.get(party_key=org_key(purchaser.pk))

    # The public: the credit list, filtered to purchasers, then the purchaser's grade history.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/credit/")
    page.select_option("select[name=kind]", "purchaser")
    page.get_by_test_id("grade-filter").click()
    expect(page.get_by_test_id("grades")).to_contain_text(purchaser.name)
    page.get_by_test_id("grades").get_by_role("link", name=purchaser.name).click()
    expect(page.get_by_test_id("party-grade")).to_have_text(grade.grade)
    expect(page.locator("#grade-chart canvas")).to_be_visible()
    expect(page.get_by_test_id("grade-history")).to_contain_text(f"→ {grade.grade}")
    shot(page, "credit-3-public-grade")
