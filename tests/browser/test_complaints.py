"""Issue 13 §3-§5 in a real browser: the questioner complains from its home, the bureau accepts
from its to-do, the complainant reads the status page without signing in, the bureau decides
and publishes, and the decision is on the public portal — clicking only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintState, QuestionOutcome
from complaints.services import QuestionContent, file_question, reply_to_question
from tests.browser.conftest import shot, sign_in
from tests.complaints.conftest import at
from tests.contracts.builders import opened_lot


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def _replied_question(cast):
    lot, _bids = opened_lot(cast)
    content = QuestionContent(
        target="procedure",
        step_ended_on=dt.date(2026, 3, 24),
        address="郑州市金水路1号",
        postcode="450000",
        contact="老张",
        phone="0371-12345678",
        items="开标时未唱标我公司报价，请求重新开标。",
        facts="开标记录未列我公司报价。",
        legal_basis="财政部令第87号第四十条",
        signatory="张三（授权代表）",
    )
    with time_machine.travel(at("2026-03-30 10:00"), tick=False):
        question = file_question(lot=lot, content=content, acting_user=cast.supplier)
    with time_machine.travel(at("2026-04-02 15:00"), tick=False):
        return reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="经核查，开标记录已唱标贵公司报价。",
            facts="开标视频 00:12:30。",
            legal_basis="财政部令第87号第四十条",
            acting_user=cast.purchaser,
        )


def test_complaint_from_filing_to_the_published_decision(page, live_server, cast):
    question = _replied_question(cast)
    with time_machine.travel(at("2026-04-28 09:00"), tick=True):
        # The questioner: home → its cases → the question → the complaint form.
        sign_in(page, live_server, cast.supplier.username)
        page.get_by_test_id("complaints-home").get_by_role("link").first.click()
        page.get_by_role("link", name=question.number).click()
        page.get_by_test_id("complain-link").click()
        expect(page.get_by_test_id("complaint-window")).to_contain_text("2026-05-01 00:00")
        page.fill("#id_respondent_address", "郑州市中原路2号")
        page.fill("#id_respondent_contact", "王采购")
        page.fill("#id_respondent_phone", "0371-87654321")
        page.fill("#id_question_account", "3月30日质疑开标未唱标，4月2日答复不予支持。")
        page.fill("#id_facts", "开标记录未列我公司报价。")
        page.fill("#id_legal_basis", "财政部令第87号第四十条")
        page.check("#id_items_within_question")
        shot(page, "complaints-1-form")
        page.get_by_role("button", name="提交投诉书").click()
        code = page.get_by_test_id("access-code-value").inner_text()
        complaint = Complaint.objects.get()
        shot(page, "complaints-2-filed-with-code")

        # The bureau: home → to-do "review" → accept.
        page.context.clear_cookies()
        sign_in(page, live_server, cast.bureau.username)
        page.locator('[data-kind="complaints.complaint_to_review"] [data-testid=todo-link]').click()
        shot(page, "complaints-3-bureau-review")
        page.get_by_test_id("accept").click()
        expect(page.get_by_test_id("complaint-badge")).to_have_text("已受理")
        expect(page.get_by_test_id("documents")).to_be_visible()
        shot(page, "complaints-4-accepted")

        # Anyone with the number and code: the portal → the status page, not signed in.
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/")
        page.get_by_test_id("complaint-status-link").click()
        page.fill("#id_number", complaint.number)
        page.fill("#id_code", "WRNG-CODE-XXXX")
        page.get_by_test_id("status-submit").click()
        expect(page.get_by_test_id("status-lookup")).to_contain_text("不匹配")
        page.fill("#id_number", complaint.number)
        page.fill("#id_code", code)
        page.get_by_test_id("status-submit").click()
        expect(page.get_by_test_id("status-state")).to_have_text("已受理")
        expect(page.get_by_test_id("timeline")).to_contain_text("2026-06-12 00:00")
        shot(page, "complaints-5-status-page")

        # The bureau decides and publishes, from the case page.
        sign_in(page, live_server, cast.bureau.username)
        page.get_by_test_id("complaints-home-list").click()
        page.get_by_role("link", name=complaint.number).click()
        # A suspension, published, then an order to resume (O94 Art 28).
        page.locator("summary", has_text="暂停采购活动").click()
        page.fill("#id_days", "10")
        page.get_by_test_id("suspend").click()
        expect(page.get_by_test_id("complaint-badge")).to_have_text("已暂停采购活动")
        shot(page, "complaints-6a-suspended")
        page.get_by_test_id("resume").click()
        expect(page.get_by_test_id("complaint-badge")).to_have_text("已受理")
        page.get_by_test_id("decide").click()
        page.select_option("#id_outcome", "dismissed")
        page.select_option("#id_dismissal_ground", "no_basis")
        page.fill("#id_facts", "开标视频显示已唱标投诉人报价。")
        page.fill("#id_decision", "驳回投诉。")
        page.fill("#id_legal_basis", "财政部令第94号第二十九条第（二）项")
        page.fill("#id_reconsideration_body", "郑州市人民政府")
        page.fill("#id_court", "郑州铁路运输法院")
        shot(page, "complaints-6-decision-form")
        page.get_by_role("button", name="出具投诉处理决定书").click()
        page.get_by_test_id("publish").click()
        expect(page.get_by_test_id("complaint-badge")).to_have_text("处理决定已公告")
        page.get_by_test_id("published-link").click()
        expect(page.get_by_test_id("notice-outcome")).to_contain_text("驳回投诉")
        shot(page, "complaints-7-published")
        page.goto(f"{live_server.url}/")
        page.get_by_test_id("complaint-decisions-link").click()
        expect(page.locator("main")).to_contain_text("投诉处理结果公告")
        shot(page, "complaints-8-public-list")
        page.goto(f"{live_server.url}/accounts/")
        page.get_by_test_id("complaints-home").get_by_role("link", name="多次投诉查无实据").click()
        shot(page, "complaints-9-repeat-complainants")
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.PUBLISHED
