"""Issue 11 §9 in a real browser: from the committee draw to the award notice, every step reached
by clicking from the role's home (its to-do list), time moved at each wait.

The purchaser (procuring by itself) draws the committee; the five experts accept; the purchaser
starts the evaluation; every member declares; the purchaser records the qualification review;
the leader the compliance review; every member scores and submits; the leader submits the report
and every member signs it; the next morning the purchaser confirms the result within the one-day
clock; the result announcement is public and the winner downloads its award notice PDF.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from evaluation.models import Award, Evaluation, EvaluationState
from evaluation.services.report import RESULT_CLOCK
from experts.models import MemberState
from procurement.models import LotState
from tests.browser.conftest import shot, sign_in
from tests.browser.journey_steps import (
    accept_invitations,
    confirm_result,
    draw_committee,
    finish_review,
    owes,
    review_compliance,
    review_qualification,
    score_all,
    sign_report,
    start_and_declare,
    submit_report,
)
from tests.evaluation.builders import DEADLINE, opened_lot
from tests.experts.helpers import category, make_expert
from timers.models import Clock
from workdays.calendar import SHANGHAI

# Tuesday 10 November 2026: the bids were opened at 09:30; the committee is drawn at 10:00 for an
# evaluation at 14:00; the purchaser confirms the result on Wednesday morning.
DRAW_AT = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
ANSWER_AT = dt.datetime(2026, 11, 10, 10, 20, tzinfo=SHANGHAI)
EVALUATION_AT = dt.datetime(2026, 11, 10, 14, 0, tzinfo=SHANGHAI)
CONFIRM_AT = dt.datetime(2026, 11, 11, 10, 0, tzinfo=SHANGHAI)
EXPERTS = ["zj1", "zj2", "zj3", "zj4", "zj5"]
# Each member's points for each bidder on 技术方案 (/50) and 售后服务 (/20): the cheapest bidder
# (supplier) is also the best, so it ranks first whatever the SME deductions.
POINTS = {"郑州甲科技有限公司": ("48", "19"), "郑州乙商贸有限公司": ("35", "12")}
OTHER_POINTS = ("32", "11")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_lot_goes_from_the_draw_to_the_award_notice_by_clicks_from_each_home(
    live_server, cast, new_page, media
):
    for username in EXPERTS:
        make_expert(username, codes=("A020101",))
    lot, bids = opened_lot(
        cast,
        prices=("100000.00", "110000.00", "120000.00"),
        agency=False,
        lot_settings={"category": category("A02010104")},
    )
    assert lot.state == LotState.OPENED and DEADLINE < DRAW_AT

    purchaser = new_page()

    # 1. The purchaser draws the committee from its to-do.
    with time_machine.travel(DRAW_AT, tick=True):
        sign_in(purchaser, live_server, "purchaser")
        draw_committee(purchaser, live_server, evaluation_at="2026-11-10T14:00")
        shot(purchaser, "evaluation-journey-1-drawn")

    # 2. Each expert accepts its invitation from its home.
    with time_machine.travel(ANSWER_AT, tick=True):
        experts = accept_invitations(new_page, live_server, EXPERTS)
        shot(experts[EXPERTS[0]], "evaluation-journey-2-accepted")
    committee = lot.committee
    assert committee.members.filter(state=MemberState.ACCEPTED).count() == 5
    leader = experts[committee.members.get(is_leader=True).user.username]

    with time_machine.travel(EVALUATION_AT, tick=True):
        # 3–4. The purchaser starts the evaluation; every member declares no conflict before
        # any bid is shown.
        start_and_declare(purchaser, experts, live_server, bidder="郑州甲科技有限公司")

        # 5. The purchaser records the qualification review with the credit check.
        review_qualification(purchaser, live_server, bids=len(bids), checked_at="2026-11-10T13:50")
        shot(purchaser, "evaluation-journey-5-qualification")
        finish_review(purchaser, "finish-qualification")

        # 6. The leader records the committee's compliance review.
        review_compliance(leader, live_server, bids=len(bids))
        shot(leader, "evaluation-journey-6-compliance")
        finish_review(leader, "finish-compliance")

        # 7. Every member scores on its own sheet and submits it.
        score_all(experts, live_server, points=POINTS, other=OTHER_POINTS)
        shot(leader, "evaluation-journey-7-scored")

        # 8. The leader submits the report; every member signs it.
        submit_report(leader, live_server)
        shot(leader, "evaluation-journey-8-report")
        sign_report(experts, live_server)

    evaluation = Evaluation.objects.get(lot=lot)
    assert evaluation.state == EvaluationState.REPORTED
    result_clock = Clock.objects.for_subject(evaluation).get(kind=RESULT_CLOCK)
    assert result_clock.met_at is None

    # 9. The next morning the purchaser confirms the first-ranked candidate.
    with time_machine.travel(CONFIRM_AT, tick=True):
        confirm_result(purchaser, live_server)
        shot(purchaser, "evaluation-journey-9-award")
        assert not owes(purchaser, live_server, "evaluation.result_to_confirm")

        award = Award.objects.select_related("bid__supplier", "announcement").get(lot=lot)
        assert award.bid.supplier.name == "郑州甲科技有限公司" and award.rank == 1
        result_clock.refresh_from_db()
        assert result_clock.met_at is not None and result_clock.met_at <= result_clock.due
        assert result_clock.breached_at is None

        # 10. The result announcement is public: a visitor reads it with the committee's names.
        visitor = new_page()
        visitor.goto(f"{live_server.url}{award.announcement.get_absolute_url()}")
        public = visitor.inner_text("main")
        assert "郑州甲科技有限公司" in public and "专家zj1" in public
        shot(visitor, "evaluation-journey-10-announcement")

        # 11. The winner finds its award notice from its home and downloads the PDF.
        winner = new_page()
        sign_in(winner, live_server, "supplier")
        winner.click("[data-testid=inbox-link]")
        winner.locator("[data-testid=notification-row]", has_text="中标").first.locator(
            "a"
        ).first.click()
        winner.click("[data-testid=subject-link]")
        winner.wait_for_selector("[data-testid=award-pdf]")
        shot(winner, "evaluation-journey-11-award-notice")
        href = winner.get_attribute("[data-testid=award-pdf]", "href")
        response = winner.request.get(f"{live_server.url}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        assert "中标通知书" in text and "郑州甲科技有限公司" in text
        # Another bidder cannot fetch it.
        loser = new_page()
        sign_in(loser, live_server, "supplier2")
        assert loser.request.get(f"{live_server.url}{href}").status == 404
