"""Issue 4 §10 in a real browser: intention → plan → filing → two-lot tender → download →
question → public answer; the early announcement and the short bid period are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from procurement.legal import first_announcement_moment, format_moment
from procurement.models import (
    Announcement,
    AnnouncementKind,
    DocumentDownload,
    ImplementationPlan,
    LotState,
    ProcurementIntention,
    Project,
)
from tests.browser.conftest import shot, sign_in
from tests.browser.journey_steps import local_input, set_up_lot
from tests.procurement.factories import pdf_bytes

QUESTION = "第一包一体机是否接受 85 英寸产品？"
ANSWER = "接受 85 英寸及以上产品，其他参数不变。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def new_page(browser):
    """A fresh browser context per person, so each signs in on their own."""
    contexts = []

    def make(*, phone: bool = False):
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(locale="zh-CN", viewport=size, is_mobile=phone)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def errors(page) -> str:
    return page.inner_text("main")


def test_a_two_lot_tender_from_intention_to_public_answer(new_page, live_server, cast):
    # 1. The purchaser drafts and publishes an intention.
    purchaser = new_page()
    sign_in(purchaser, live_server, "purchaser")
    purchaser.click("[data-testid=nav-intentions]")
    purchaser.click("a[href$='/procurement/intentions/new/']")
    purchaser.fill("#id_project_name", "市第一中学智慧教室设备采购")
    purchaser.fill("#id_summary", "交互式一体机 60 台，安装调试与教师培训。")
    purchaser.fill("#id_budget", "3600000")
    purchaser.fill(
        "#id_expected_month", (timezone.localdate() + dt.timedelta(days=45)).strftime("%Y-%m")
    )
    purchaser.fill("#id_contact_name", "王老师")
    purchaser.fill("#id_contact_phone", "0371-67180000")
    shot(purchaser, "procurement-01-intention-form")
    purchaser.click("main form button[type=submit]")
    purchaser.click("main a[href$='/publish/']")
    purchaser.click("[data-testid=confirm-publish]")
    purchaser.wait_for_selector("[data-testid=intention-status]:has-text('已发布')")
    shot(purchaser, "procurement-02-intention-published")

    # 2. The purchaser files a two-lot plan for it, entrusting the agency.
    purchaser.click("main a[href*='/procurement/plans/new/']")
    purchaser.fill("#id_lots-0-name", "交互式一体机")
    purchaser.fill("#id_lots-0-budget", "2400000")
    purchaser.click("[data-formset-add=lots]")
    purchaser.fill("#id_lots-1-name", "安装调试与培训服务")
    purchaser.select_option("#id_lots-1-kind", "services")
    purchaser.fill("#id_lots-1-budget", "1200000")
    purchaser.check("#id_lots-1-sme_reserved")
    purchaser.check("input[name=sme_mode][value=share]")
    purchaser.fill("#id_sme_share", "33.33")
    purchaser.fill("#id_sme_reasons", "第二包专门面向中小企业采购。")
    shot(purchaser, "procurement-03-plan-form")
    purchaser.click("main form button[type=submit]")
    purchaser.click("[data-testid=submit-plan]")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('待备案')")
    plan = ImplementationPlan.objects.get()

    # 3. The bureau files it in the browser.
    bureau = new_page()
    sign_in(bureau, live_server, "bureau")
    bureau.click("[data-testid=nav-bureau-plans]")
    shot(bureau, "procurement-04-bureau-plans")
    bureau.click(f"text={plan.project_name}")
    bureau.click("[data-testid=file-plan]")
    bureau.wait_for_selector("text=已备案")
    plan.refresh_from_db()
    assert plan.status == "filed"

    # 4. The purchaser prepares the tender; a too-short bid period is refused with its rule.
    purchaser.goto(f"{live_server.url}/procurement/plans/{plan.pk}/")
    purchaser.click("[data-testid=prepare-tender]")
    project = Project.objects.get()
    purchaser.click("[data-testid=edit-lot] >> nth=0")
    too_short = timezone.now() + dt.timedelta(days=10)
    set_up_lot(purchaser, deadline=too_short, goods=True)
    purchaser.wait_for_selector("[data-testid=form-errors]")
    refusal = errors(purchaser)
    assert "《中华人民共和国政府采购法》第三十五条" in refusal and "GPL" not in refusal
    # The intention was published just now: the bid period runs from the day the announcement
    # may go out, 30 days on, and the hint and the refusal say so (walk item 11).
    intention = ProcurementIntention.objects.get()
    allowed = format_moment(first_announcement_moment(intention.published_at))
    assert allowed in purchaser.inner_text("[data-testid=earliest-deadline]")
    assert allowed in refusal
    shot(purchaser, "procurement-05-bid-period-refused")
    deadline = (timezone.localtime() + dt.timedelta(days=55)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    purchaser.fill("#id_bid_deadline", local_input(deadline))
    purchaser.click("main form button[type=submit]")
    purchaser.wait_for_selector("[data-testid=upload-form]")
    purchaser.click("[data-testid=edit-lot] >> nth=1")
    set_up_lot(purchaser, deadline=deadline, goods=False)
    purchaser.wait_for_selector("[data-testid=upload-form]")
    purchaser.fill("#id_title", "招标文件")
    purchaser.set_input_files(
        "#id_file",
        files=[{"name": "招标文件.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    purchaser.click("[data-testid=upload-form] button[type=submit]")
    purchaser.wait_for_selector("[data-testid=documents] >> text=招标文件")

    # 5. Announcing now is refused: the intention was published less than 30 days ago. The
    # project page says from when; the preview lists why and 立即发布 stays disabled.
    assert allowed in purchaser.inner_text("[data-testid=announce-from]")
    purchaser.click("[data-testid=announce]")
    purchaser.wait_for_selector(f".alert-danger >> text={allowed}")
    assert purchaser.is_disabled("[data-testid=confirm-announce]")
    assert "财库〔2020〕10号" in errors(purchaser)
    shot(purchaser, "procurement-06-early-announcement-refused")
    assert not Announcement.objects.exists()

    # The intention had in fact been published 40 days earlier (a past date, as in demo data).
    intention.published_at = timezone.now() - dt.timedelta(days=40)
    intention.save()
    purchaser.goto(f"{live_server.url}/procurement/projects/{project.pk}/announce/")
    shot(purchaser, "procurement-07-announcement-preview")
    purchaser.click("[data-testid=confirm-announce]")
    purchaser.wait_for_selector("[data-testid=lot-state]:has-text('投标中')")
    assert set(project.lots.values_list("state", flat=True)) == {LotState.ANNOUNCED}
    shot(purchaser, "procurement-08-project-announced")

    # 6. A supplier downloads the documents and asks a question.
    supplier = new_page()
    sign_in(supplier, live_server, "supplier")
    supplier.click("[data-testid=nav-tenders]")
    supplier.click("text=交互式一体机")
    with supplier.expect_download() as download:
        supplier.click("[data-testid=download]")
    assert download.value.suggested_filename.endswith(".pdf")
    assert DocumentDownload.objects.filter(supplier__name="郑州甲科技有限公司").count() == 1
    supplier.fill("#id_question", QUESTION)
    shot(supplier, "procurement-09-supplier-lot")
    supplier.click("[data-testid=ask]")
    supplier.wait_for_selector(f"[data-testid=my-questions] >> text={QUESTION}")

    # 7. The purchaser sees who downloaded and who asked, and answers.
    purchaser.goto(f"{live_server.url}/procurement/projects/{project.pk}/")
    assert "郑州甲科技有限公司" in purchaser.inner_text("[data-testid=downloads]")
    purchaser.click("[data-testid=answer-question]")
    purchaser.fill("#id_answer", ANSWER)
    purchaser.click("[data-testid=confirm-answer]")
    purchaser.wait_for_selector("[data-testid=questions] >> text=已答复")

    # 8. The answer is on the public clarification page, without the questioner.
    clarification = Announcement.objects.get(kind=AnnouncementKind.CLARIFICATION)
    public = new_page(phone=True)
    public.goto(live_server.url + clarification.get_absolute_url())
    public.wait_for_selector(f"[data-testid=notice-answer]:has-text('{ANSWER}')")
    assert QUESTION in public.inner_text("main")
    assert "郑州甲科技" not in public.inner_text("main")
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    shot(public, "procurement-10-public-clarification-phone")
    tender = Announcement.objects.get(kind=AnnouncementKind.TENDER)
    public.goto(live_server.url + tender.get_absolute_url())
    public.wait_for_selector("[data-testid=notice-lot] >> nth=1")
    shot(public, "procurement-11-public-tender-phone")


def test_the_workspace_pages_fit_a_phone(new_page, live_server, cast):
    from accounts.selectors import organisation_of
    from procurement.services import ask_question, submit_plan
    from tests.procurement.factories import make_announced_project, make_plan, make_project

    project = make_announced_project(cast, agency=organisation_of(cast.agency))
    ask_question(lot=project.lots.first(), question="是否接受进口产品？", acting_user=cast.supplier)
    draft = make_project(cast)
    waiting = make_plan(cast, filed=False)
    submit_plan(plan=waiting, acting_user=cast.purchaser)

    def fits(page, path: str, name: str) -> None:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(page, name)

    purchaser = new_page(phone=True)
    sign_in(purchaser, live_server, "purchaser")
    fits(purchaser, "/accounts/", "procurement-phone-purchaser-home")
    fits(purchaser, f"/procurement/projects/{project.pk}/", "procurement-phone-project")
    fits(
        purchaser, f"/procurement/lots/{draft.lots.first().pk}/edit/", "procurement-phone-lot-form"
    )
    fits(purchaser, "/procurement/plans/new/", "procurement-phone-plan-form")
    bureau = new_page(phone=True)
    sign_in(bureau, live_server, "bureau")
    fits(bureau, "/procurement/bureau/plans/", "procurement-phone-bureau-plans")
    fits(bureau, f"/procurement/plans/{waiting.pk}/", "procurement-phone-bureau-plan")
    supplier = new_page(phone=True)
    sign_in(supplier, live_server, "supplier")
    fits(supplier, "/accounts/", "procurement-phone-supplier-home")
    fits(
        supplier,
        f"/procurement/tenders/lots/{project.lots.first().pk}/",
        "procurement-phone-tender-lot",
    )
