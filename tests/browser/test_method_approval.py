"""RULES.md B-1 in a real browser: a plan with competitive consultation above the public tender
threshold needs the bureau's prior approval (GPL Art 27). The bureau rejects the request with a
reason, the purchaser corrects it, attaches the experts' opinion and submits again, the bureau
approves and files the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from notifications.models import Notification
from procurement.models import ImplementationPlan, MethodApprovalStatus, MethodGround, PlanStatus
from tests.browser.conftest import shot, sign_in
from tests.procurement.factories import make_intention, pdf_bytes

REJECTION = "请补充专家论证意见，并说明服务次数和内容为何事先不能确定。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def new_page(browser):
    """A fresh browser context per person, so each signs in on their own."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_change_of_method_is_rejected_corrected_approved_and_filed(new_page, live_server, cast):
    intention = make_intention(
        cast, project_name="市教育局智慧校园平台运维服务", budget=Decimal("2500000.00")
    )

    # 1. The purchaser drafts the plan with competitive consultation above the threshold.
    purchaser = new_page()
    sign_in(purchaser, live_server, "purchaser")
    assert purchaser.inner_text("[data-testid=nav-intentions]").strip() == "我的采购意向"
    purchaser.goto(f"{live_server.url}/procurement/plans/new/?intention={intention.pk}")
    purchaser.select_option("#id_kind", "services")
    assert purchaser.is_hidden("#id_method_ground")  # public tender: no ground to give
    purchaser.select_option("#id_method", "competitive_consultation")
    purchaser.wait_for_selector("#id_method_ground", state="visible")
    purchaser.select_option("#id_method_ground", MethodGround.CONSULTATION_SERVICES)
    purchaser.fill("#id_method_reason", "属于政府购买服务项目，运维内容需与供应商磋商确定。")
    purchaser.select_option("#id_lots-0-kind", "services")
    purchaser.check("input[name=sme_mode][value=none]")
    purchaser.fill("#id_sme_reasons", "平台为全市统一系统，须整体运维，不宜拆分预留。")
    shot(purchaser, "method-01-plan-form")
    purchaser.click("main form button[type=submit]")
    purchaser.wait_for_selector("[data-testid=method-card]")
    plan = ImplementationPlan.objects.get()
    assert plan.method_ground == MethodGround.CONSULTATION_SERVICES

    # 2. Submitting tells the purchaser that the bureau must approve the method first.
    purchaser.click("[data-testid=submit-plan]")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('待备案')")
    assert "政府采购法第二十七条" in purchaser.inner_text("main")
    assert "待财政部门审批" in purchaser.inner_text("[data-testid=method-status]")
    shot(purchaser, "method-02-submitted")

    # 3. The bureau sees the request; filing is blocked; it rejects with its reason.
    bureau = new_page()
    sign_in(bureau, live_server, "bureau")
    bureau.click("[data-testid=nav-bureau-plans]")
    bureau.wait_for_selector("[data-testid=method-pending]")
    bureau.click(f"text={plan.project_name}")
    assert bureau.is_disabled("[data-testid=file-plan]")
    assert "等待财政部门审批" in bureau.inner_text("[data-testid=filing-blocked]")
    shot(bureau, "method-03-bureau-sees-request")
    bureau.click("[data-testid=reject-method]")
    bureau.click("[data-testid=confirm-reject]")  # without a reason: refused
    bureau.wait_for_selector(".invalid-feedback, [data-testid=form-errors]")
    bureau.fill("#id_reasons", REJECTION)
    bureau.click("[data-testid=confirm-reject]")
    bureau.wait_for_selector("[data-testid=plans-waiting]")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED

    # 4. The purchaser reads the reason, corrects the request, attaches the opinion, resubmits.
    purchaser.goto(f"{live_server.url}/procurement/plans/{plan.pk}/")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('已退回')")
    assert REJECTION in purchaser.inner_text("[data-testid=method-decision-reasons]")
    purchaser.click("main a[href$='/edit/']")
    purchaser.select_option("#id_method_ground", MethodGround.CONSULTATION_PRICE_UNKNOWN)
    purchaser.fill(
        "#id_method_reason",
        "运维服务的次数与内容按各校实际故障与需求确定，事先不能计算出价格总额。",
    )
    purchaser.click("main form button[type=submit]")
    purchaser.wait_for_selector("[data-testid=plan-document-form]")
    purchaser.fill("[data-testid=plan-document-form] #id_title", "专家论证意见")
    purchaser.set_input_files(
        "[data-testid=plan-document-form] #id_file",
        files=[{"name": "专家论证意见.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    purchaser.click("[data-testid=plan-document-form] button[type=submit]")
    purchaser.wait_for_selector("[data-testid=plan-documents] >> text=专家论证意见")
    purchaser.click("[data-testid=submit-plan]")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('待备案')")
    shot(purchaser, "method-04-resubmitted")

    # 5. The bureau approves the corrected request and files the plan.
    bureau.goto(f"{live_server.url}/procurement/plans/{plan.pk}/")
    assert "专家论证意见" in bureau.inner_text("[data-testid=method-approvals]")
    bureau.click("[data-testid=approve-method]")
    bureau.fill("#id_opinion", "同意采用竞争性磋商方式。")
    shot(bureau, "method-05-approve")
    bureau.click("[data-testid=confirm-approve]")
    bureau.wait_for_selector("[data-testid=method-status]:has-text('已批准')")
    bureau.click("[data-testid=file-plan]")
    bureau.wait_for_selector("[data-testid=plans-waiting]")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED
    statuses = list(plan.method_approvals.order_by("requested_at").values_list("status", "ground"))
    assert statuses == [
        (MethodApprovalStatus.REJECTED, MethodGround.CONSULTATION_SERVICES),
        (MethodApprovalStatus.APPROVED, MethodGround.CONSULTATION_PRICE_UNKNOWN),
    ]
    kinds = set(
        Notification.objects.filter(recipient=cast.purchaser).values_list("kind", flat=True)
    )
    assert {"procurement.method_rejected", "procurement.method_approved"} <= kinds
    assert "procurement.plan_filed" in kinds

    purchaser.goto(f"{live_server.url}/procurement/plans/{plan.pk}/")
    purchaser.wait_for_selector("[data-testid=plan-status]:has-text('已备案')")
    shot(purchaser, "method-06-filed")
