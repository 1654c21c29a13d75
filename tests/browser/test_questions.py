"""Issue 13 §2 in a real browser: a supplier that obtained the documents opens the lot's public
page by clicking, files a question on the documents with its materials; the purchaser replies
from its to-do; the supplier reads the reply from its inbox, with the day until which it may
complain to the finance bureau."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Question, QuestionState
from procurement.models import TenderDocument
from procurement.services import record_download
from tests.bidding.helpers import announced_lot
from tests.browser.conftest import shot, sign_in
from tests.documents.samples import pdf
from workdays.calendar import SHANGHAI


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_question_filed_from_the_lot_page_and_replied_from_the_to_do(
    page, live_server, cast, tmp_path
):
    lot = announced_lot(cast, deadline=timezone.now() + dt.timedelta(days=30))
    document = TenderDocument.objects.filter(project=lot.project_id, is_current=True).first()
    record_download(document=document, acting_user=cast.supplier)
    materials = tmp_path / "参数对比.pdf"
    materials.write_bytes(pdf())

    # The supplier: home → the tenders on offer → the project → its lot → inquire or question.
    sign_in(page, live_server, cast.supplier.username)
    page.get_by_test_id("nav-tenders").click()
    page.locator("main").get_by_role("link", name=lot.project.name).first.click()
    if page.get_by_test_id("challenge-link").count() == 0:  # a project page lists its lots
        page.locator("main").get_by_role("link", name=lot.name).first.click()
    page.get_by_test_id("challenge-link").click()
    expect(page.get_by_test_id("windows")).to_be_visible()
    shot(page, "questions-1-lot-cases")
    page.get_by_test_id("question-new").click()
    page.select_option("#id_target", "documents")
    page.fill("#id_address", "郑州市金水路1号")
    page.fill("#id_postcode", "450000")
    page.fill("#id_contact", "老张")
    page.fill("#id_phone", "0371-12345678")
    page.fill("#id_items", "技术参数第3项指向特定品牌，请求修改。")
    page.fill("#id_facts", "经市场调查，仅一个品牌满足该参数。")
    page.fill("#id_legal_basis", "政府采购法实施条例第二十条")
    page.fill("#id_signatory", "张三（授权代表）")
    page.set_input_files("#id_attachment", str(materials))
    shot(page, "questions-2-form")
    page.get_by_test_id("file-question").click()
    expect(page.get_by_test_id("question-attachment")).to_contain_text("参数对比")
    expect(page.get_by_test_id("reply-due")).to_be_visible()
    question = Question.objects.get()
    shot(page, "questions-3-filed")

    # The purchaser: home → to-do "reply" → the reply form.
    page.context.clear_cookies()
    sign_in(page, live_server, cast.purchaser.username)
    page.locator('[data-kind="complaints.question_to_reply"] [data-testid=todo-link]').click()
    expect(page.get_by_test_id("question")).to_contain_text(question.number)
    page.select_option("#id_outcome", "not_upheld")
    page.fill("#id_reply", "该参数为保证兼容现有录播系统所必需，有三个以上品牌满足，质疑不成立。")
    page.fill("#id_facts", "经核查，甲、乙、丙三个品牌的产品均满足技术参数第3项。")
    page.fill("#id_legal_basis", "财政部令第94号第十六条")
    shot(page, "questions-4-reply-form")
    page.get_by_test_id("send-reply").click()
    expect(page.get_by_test_id("reply")).to_be_visible()
    question.refresh_from_db()
    assert question.state == QuestionState.REPLIED

    # The supplier: the inbox → the reply → the question's page with its right to complain.
    page.context.clear_cookies()
    sign_in(page, live_server, cast.supplier.username)
    page.get_by_test_id("inbox-link").click()
    page.locator("[data-testid=notification-row]").filter(has_text=question.number).locator(
        "a"
    ).first.click()
    page.get_by_test_id("subject-link").click()
    closes = question.complaint_closes.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_test_id("right-to-complain")).to_contain_text(closes)
    expect(page.get_by_test_id("reply")).to_contain_text("质疑不成立")
    shot(page, "questions-5-reply-seen")
