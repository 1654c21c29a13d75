"""O74 Arts 38–40 in a real browser: the purchaser publishes the single source notice from its
plan's page and submits the plan; a visitor who is not signed in objects from the public notice
page and keeps the receipt; after the notice period the purchaser records its review; the bureau,
whose approve button waited with the reason shown, approves; the visitor reads the conclusion on
the receipt. Each person starts from their home page and clicks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from procurement.models import (
    ImplementationPlan,
    MethodApprovalStatus,
    MethodGround,
    ReviewConclusion,
    SingleSourceNotice,
    SingleSourceObjection,
)
from procurement.services import create_plan
from tests.browser.conftest import shot, sign_in
from tests.procurement.factories import make_intention
from tests.procurement.test_method_approval import values

NAME = "市疾控中心专用检测系统升级"
OBJECTION = "我公司代理的同类产品可与原系统兼容，所称唯一性不成立。"
OPINION = "经组织专家补充论证：所称同类产品无法调用原系统专利算法，异议不成立。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def new_page(browser):
    """A fresh browser context per person, so each signs in (or not) on their own."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def draft_plan(cast) -> ImplementationPlan:
    intention = make_intention(cast, project_name=NAME, budget=Decimal("2500000.00"))
    return create_plan(
        values=values(
            intention,
            budget=Decimal("2500000.00"),
            method="single_source",
            method_ground=MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER,
            method_reason="核心算法为原厂专利，升级只能由原厂提供。",
        ),
        acting_user=cast.purchaser,
    )


def test_a_single_source_notice_is_objected_to_reviewed_and_approved(new_page, live_server, cast):
    plan = draft_plan(cast)

    # 1. The purchaser opens the plan from its home; submitting waits for the notice.
    purchaser = new_page()
    sign_in(purchaser, live_server, "purchaser")
    purchaser.click(f"[data-testid=home-procurement] >> text={NAME}")
    purchaser.wait_for_selector("[data-testid=notice-card]")
    assert purchaser.is_disabled("[data-testid=submit-plan]")
    assert "发布单一来源公示" in purchaser.inner_text("[data-testid=submit-blocked]")

    # 2. It publishes the notice: the content of O74 Art 38, one professional.
    purchaser.click("[data-testid=publish-notice]")
    purchaser.fill("#id_goods_description", "专用检测系统软件升级 1 套，配套检测模块 4 台。")
    purchaser.fill("#id_supplier_name", "郑州甲科技有限公司")
    purchaser.fill("#id_supplier_address", "郑州市金水区科学大道 100 号")
    purchaser.fill("#id_professionals-0-name", "陈教授")
    purchaser.fill("#id_professionals-0-employer", "郑州大学")
    purchaser.fill("#id_professionals-0-title", "教授")
    purchaser.fill("#id_professionals-0-opinion", "核心算法受发明专利保护，他人无法提供兼容升级。")
    purchaser.fill("#id_purchaser_address", "郑州市金水路 1 号")
    purchaser.fill("#id_bureau_address", "郑州市中原区政府采购监管处")
    purchaser.fill("#id_bureau_person", "赵科长")
    purchaser.fill("#id_bureau_phone", "0371-67180000")
    shot(purchaser, "single-source-01-notice-form")
    purchaser.click("[data-testid=confirm-publish-notice]")
    purchaser.wait_for_selector("[data-testid=notice-status]:has-text('公示中')")
    notice = SingleSourceNotice.objects.get()
    purchaser.click("[data-testid=submit-plan]")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('待备案')")
    shot(purchaser, "single-source-02-published-and-submitted")

    # 3. A visitor, not signed in, finds the notice in the public list and objects.
    visitor = new_page()
    visitor.goto(live_server.url)
    visitor.click("nav >> text=公告")
    visitor.click("[data-testid=kind-tabs] >> text=单一来源公示")
    visitor.click(f"[data-testid=results] >> text={NAME}")
    visitor.wait_for_selector("[data-testid=objection-form]")
    assert "郑州甲科技有限公司" in visitor.inner_text("[data-testid=notice-body]")
    visitor.fill("#id_name", "李先生")
    visitor.fill("#id_email", "li@example.cn")
    visitor.fill("#id_text", OBJECTION)
    shot(visitor, "single-source-03-objection-form")
    visitor.click("[data-testid=file-objection]")
    visitor.wait_for_selector("[data-testid=objection-reference]")
    objection = SingleSourceObjection.objects.get()
    assert visitor.inner_text("[data-testid=objection-reference]") == objection.reference
    assert "尚未作出" in visitor.inner_text("[data-testid=objection-conclusion]")
    receipt = visitor.url
    shot(visitor, "single-source-04-receipt")

    # 4. The bureau sees the request, the notice and the objection; approving waits.
    bureau = new_page()
    sign_in(bureau, live_server, "bureau")
    bureau.click(f"[data-testid=home-procurement] >> text={NAME}")
    bureau.wait_for_selector("[data-testid=approve-blocked]")
    assert bureau.is_disabled("[data-testid=approve-method]")
    assert OBJECTION in bureau.inner_text("[data-testid=objections]")
    shot(bureau, "single-source-05-bureau-waits")

    # 5. After the period the purchaser records its review from its home.
    with time_machine.travel(notice.period_end + dt.timedelta(minutes=5), tick=True):
        purchaser.click("nav >> text=我的工作台")
        purchaser.click("[data-testid=home-notice] >> text=" + NAME)
        purchaser.click("[data-testid=review-notice]")
        purchaser.check("input[name=conclusion][value=not_upheld]")
        purchaser.fill("#id_opinion", OPINION)
        shot(purchaser, "single-source-06-review")
        purchaser.click("[data-testid=confirm-review]")
        purchaser.wait_for_selector("[data-testid=notice-review]:has-text('异议不成立')")

        # 6. The bureau approves the method, now that the review did not uphold the objection.
        bureau.reload()
        assert bureau.query_selector("[data-testid=approve-blocked]") is None
        bureau.click("[data-testid=approve-method]")
        assert OPINION in bureau.inner_text("[data-testid=decide-notice]")
        bureau.fill("#id_opinion", "同意采用单一来源方式。")
        bureau.click("[data-testid=confirm-approve]")
        bureau.wait_for_selector("[data-testid=method-status]:has-text('已批准')")
        shot(bureau, "single-source-07-approved")

        # 7. The visitor reads the conclusion on the receipt it kept.
        visitor.goto(receipt)
        assert OPINION in visitor.inner_text("[data-testid=objection-conclusion]")
        shot(visitor, "single-source-08-receipt-with-conclusion")

    notice.refresh_from_db()
    assert notice.review_conclusion == ReviewConclusion.NOT_UPHELD
    assert plan.method_approvals.get().status == MethodApprovalStatus.APPROVED
