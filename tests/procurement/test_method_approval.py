"""A method other than public tender: its legal ground, the bureau's prior approval at or above
the public tender threshold (GPL Art 27), single source on its three grounds (GPL Art 31), and
the supporting documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from notifications.models import Notification
from procurement.legal import follow_on_maximum, needs_method_approval
from procurement.models import (
    ImplementationPlan,
    LegalParameter,
    MethodApproval,
    MethodApprovalStatus,
    MethodGround,
    PlanStatus,
    SmeMode,
)
from procurement.services import (
    add_plan_document,
    approve_method_change,
    create_plan,
    file_plan,
    reject_method_change,
    remove_plan_document,
    return_plan,
    submit_plan,
    update_plan,
)
from procurement.services._base import RulesBroken
from procurement.services.plans import PlanLotValues, PlanValues

from .factories import make_intention, pdf_upload

pytestmark = pytest.mark.django_db

THRESHOLD = Decimal("2000000.00")
CONSULTATION = "competitive_consultation"
SINGLE = "single_source"


def values(intention, *, budget: Decimal, method: str = CONSULTATION, **overrides) -> PlanValues:
    base = PlanValues(
        project_name=intention.project_name,
        kind="services",
        method=method,
        budget=budget,
        sme_mode=SmeMode.NONE,
        sme_reasons="全市统一平台运维，中小企业难以独立承担。",
        intention=intention,
        method_ground=MethodGround.CONSULTATION_SERVICES if method == CONSULTATION else "",
        method_reason="属于政府购买服务项目，服务内容需与供应商磋商确定。",
        lots=[PlanLotValues(name="平台运维服务", kind="services", budget=budget)],
    )
    for name, value in overrides.items():
        setattr(base, name, value)
    return base


def new_plan(cast, budget: Decimal | str = "2500000.00", **overrides) -> ImplementationPlan:
    budget = Decimal(budget)
    intention = make_intention(cast, budget=budget)
    return create_plan(
        values=values(intention, budget=budget, **overrides), acting_user=cast.purchaser
    )


def submitted(cast, **overrides) -> tuple[ImplementationPlan, MethodApproval]:
    plan = new_plan(cast, **overrides)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    return plan, plan.method_approvals.get()


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --------------------------------------------------------------------------------------------
# The threshold


def test_exactly_the_threshold_needs_the_bureaus_approval(cast):
    assert needs_method_approval(method=CONSULTATION, kind="services", budget=THRESHOLD)
    with pytest.raises(RulesBroken) as excinfo:
        new_plan(cast, budget=THRESHOLD, method_ground="", method_reason="")
    message = refusal(excinfo)
    assert "2,000,000" in message and "政府采购法第二十七条" in message and "Art" not in message
    plan, approval = submitted(cast, budget=THRESHOLD)
    assert approval.status == MethodApprovalStatus.PENDING
    assert (approval.budget, approval.threshold) == (THRESHOLD, THRESHOLD)


def test_just_under_the_threshold_needs_no_approval(cast):
    budget = THRESHOLD - Decimal("0.01")
    assert not needs_method_approval(method=CONSULTATION, kind="services", budget=budget)
    plan = new_plan(cast, budget=budget, method_ground="", method_reason="")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert not MethodApproval.objects.exists()
    file_plan(plan=plan, acting_user=cast.bureau)
    assert fresh(plan).status == PlanStatus.FILED


def test_public_tender_needs_no_approval_and_keeps_no_ground(cast):
    plan = new_plan(cast, budget="5000000.00", method="public_tender")
    assert (plan.method_ground, plan.method_reason) == ("", "")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert not MethodApproval.objects.exists()


def test_works_follow_the_bidding_laws_thresholds_not_this_one(cast):
    """RULES.md A-7: works tendered under the Bidding Law have their own thresholds."""
    assert not needs_method_approval(
        method=CONSULTATION, kind="works", budget=Decimal("3000000.00")
    )


def test_the_bureau_sets_the_citys_own_threshold_from_a_date(cast):
    LegalParameter.objects.create(
        key="public_tender_threshold_goods_services",
        value=Decimal("3000000"),
        unit="yuan",
        label="公开招标数额标准（省级目录）",
        source="省政府集中采购目录及标准",
        effective_from=dt.date(2020, 1, 1),
    )
    plan = new_plan(cast, budget="2500000.00")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert not MethodApproval.objects.exists()
    with pytest.raises(RulesBroken) as excinfo:
        new_plan(cast, budget="3000000.00", method_ground="")
    assert "3,000,000" in refusal(excinfo)


def test_a_ground_must_belong_to_the_method(cast):
    with pytest.raises(RulesBroken) as excinfo:
        new_plan(cast, method_ground=MethodGround.SINGLE_SOURCE_EMERGENCY)
    assert "第三十一条第二项" in refusal(excinfo)


def test_the_reasons_are_required_with_a_request(cast):
    with pytest.raises(RulesBroken):
        new_plan(cast, method_reason="  ")


# --------------------------------------------------------------------------------------------
# Single source (GPL Art 31)


def single(cast, budget: str, **overrides) -> ImplementationPlan:
    return new_plan(cast, budget=budget, method=SINGLE, **overrides)


def test_single_source_needs_one_of_its_three_grounds_whatever_the_budget(cast):
    with pytest.raises(RulesBroken) as excinfo:
        single(cast, "300000.00")
    assert "政府采购法第三十一条" in refusal(excinfo)
    with pytest.raises(RulesBroken):
        single(cast, "300000.00", method_ground=MethodGround.CONSULTATION_SERVICES)
    with pytest.raises(RulesBroken):
        single(
            cast,
            "300000.00",
            method_ground=MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER,
            method_reason="",
        )
    only = single(cast, "300000.00", method_ground=MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER)
    emergency = single(cast, "300000.00", method_ground=MethodGround.SINGLE_SOURCE_EMERGENCY)
    assert only.pk and emergency.pk
    submit_plan(plan=only, acting_user=cast.purchaser)
    assert not MethodApproval.objects.exists()  # under the threshold: no prior approval
    file_plan(plan=only, acting_user=cast.bureau)
    filed = Notification.objects.get(recipient=cast.purchaser, kind="procurement.plan_filed")
    assert "与供应商协商" in filed.body and "招标" not in filed.body


def follow_on(cast, budget: str, amount: str | None = "1000000.00", reference="ZZ-2024-017"):
    return single(
        cast,
        budget,
        method_ground=MethodGround.SINGLE_SOURCE_FOLLOW_ON,
        original_contract_amount=Decimal(amount) if amount else None,
        original_contract_reference=reference,
    )


def test_a_follow_on_purchase_names_the_original_contract(cast):
    with pytest.raises(RulesBroken) as excinfo:
        follow_on(cast, "50000.00", amount=None)
    assert "50,000" not in refusal(excinfo)
    with pytest.raises(RulesBroken):
        follow_on(cast, "50000.00", reference=" ")


def test_a_follow_on_purchase_of_exactly_ten_percent_is_allowed(cast):
    plan = follow_on(cast, "100000.00")
    assert plan.original_contract_amount == Decimal("1000000.00")
    assert plan.original_contract_reference == "ZZ-2024-017"


def test_a_follow_on_purchase_over_ten_percent_is_refused_with_the_maximum(cast):
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        follow_on(cast, "100000.01")
    message = refusal(excinfo)
    assert "100,000.00" in message and "100,000.01" in message and "1,000,000.00" in message
    assert "《中华人民共和国政府采购法》第三十一条第三项" in message and "Art" not in message
    assert "10%" in message and "添购" in message


def test_the_maximum_is_rounded_down_to_the_fen(cast):
    assert follow_on_maximum(Decimal("333333.33"))[0] == Decimal("33333.33")


def test_the_follow_on_share_is_a_legal_parameter(cast):
    LegalParameter.objects.create(
        key="single_source_follow_on_max",
        value=Decimal("5"),
        unit="percent",
        label="添购比例",
        source="GPL Art 31(3)",
        effective_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(RulesBroken) as excinfo:
        follow_on(cast, "60000.00")
    assert "50,000.00" in refusal(excinfo)


def test_the_original_contract_is_dropped_for_another_ground(cast):
    plan = single(
        cast,
        "300000.00",
        method_ground=MethodGround.SINGLE_SOURCE_EMERGENCY,
        original_contract_amount=Decimal("1000000"),
        original_contract_reference="ZZ-1",
    )
    assert plan.original_contract_amount is None and plan.original_contract_reference == ""


def test_single_source_above_the_threshold_also_needs_approval(cast):
    plan = follow_on(cast, "2500000.00", amount="25000000.00")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    approval = plan.method_approvals.get()
    assert approval.ground == MethodGround.SINGLE_SOURCE_FOLLOW_ON
    assert approval.original_contract_amount == Decimal("25000000.00")


# --------------------------------------------------------------------------------------------
# The request and the bureau's decision


def test_the_request_goes_with_the_plan_and_filing_waits_for_the_approval(cast):
    plan = new_plan(cast)
    document = add_plan_document(
        plan=plan,
        upload=pdf_upload("专家论证意见.pdf"),
        title="专家论证意见",
        acting_user=cast.purchaser,
    )
    submit_plan(plan=plan, acting_user=cast.purchaser)
    approval = plan.method_approvals.get()
    assert (approval.method, approval.budget, approval.ground) == (
        CONSULTATION,
        Decimal("2500000.00"),
        MethodGround.CONSULTATION_SERVICES,
    )
    assert list(approval.documents.all()) == [document]
    assert Event.objects.filter(
        action="procurement.method_approval.requested", actor=cast.purchaser
    ).exists()
    note = Notification.objects.get(recipient=cast.bureau, kind="procurement.plan_submitted")
    assert "政府采购法第二十七条" in note.body

    with pytest.raises(RulesBroken) as excinfo:
        file_plan(plan=plan, acting_user=cast.bureau)
    assert "等待财政部门审批" in refusal(excinfo)  # waiting: decide the request first
    assert fresh(plan).status == PlanStatus.SUBMITTED

    approve_method_change(
        approval=approval, opinion="同意采用竞争性磋商。", acting_user=cast.bureau
    )
    approval = fresh(approval)
    assert approval.status == MethodApprovalStatus.APPROVED and approval.decided_by == cast.bureau
    assert [h.status for h in approval.history.order_by("history_id")] == ["pending", "approved"]
    assert Event.objects.filter(
        action="procurement.method_approval.approved", actor=cast.bureau
    ).exists()
    note = Notification.objects.get(recipient=cast.purchaser, kind="procurement.method_approved")
    assert plan.project_name in note.title and "同意采用竞争性磋商" in note.body

    file_plan(plan=plan, acting_user=cast.bureau)
    assert fresh(plan).status == PlanStatus.FILED
    # The filed notice words the next step for consultation, not for a tender.
    filed = Notification.objects.get(recipient=cast.purchaser, kind="procurement.plan_filed")
    assert "编制采购文件并邀请供应商" in filed.body and "招标" not in filed.body


def test_a_rejection_returns_the_plan_and_a_corrected_request_is_approved(cast):
    plan, first = submitted(cast)
    with pytest.raises(InvalidTransition):
        reject_method_change(approval=first, reasons=" ", acting_user=cast.bureau)
    reject_method_change(
        approval=first, reasons="未说明服务内容为何无法事先确定。", acting_user=cast.bureau
    )
    plan = fresh(plan)
    assert fresh(first).status == MethodApprovalStatus.REJECTED
    assert plan.status == PlanStatus.RETURNED and "无法事先确定" in plan.return_reasons
    assert Event.objects.filter(action="procurement.method_approval.rejected").count() == 1
    assert Event.objects.filter(action="procurement.plan.returned", actor=cast.bureau).exists()
    note = Notification.objects.get(recipient=cast.purchaser, kind="procurement.method_rejected")
    assert "无法事先确定" in note.body

    corrected = values(
        plan.intention,
        budget=plan.budget,
        method_reason="服务的时间、数量事先不能确定：按各校实际故障次数结算。",
        method_ground=MethodGround.CONSULTATION_PRICE_UNKNOWN,
    )
    update_plan(plan=plan, values=corrected, acting_user=cast.purchaser)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    second = plan.method_approvals.order_by("-requested_at", "-id").first()
    assert second != first and second.status == MethodApprovalStatus.PENDING
    assert second.ground == MethodGround.CONSULTATION_PRICE_UNKNOWN
    first = fresh(first)  # the decided request is kept as it was decided
    assert first.ground == MethodGround.CONSULTATION_SERVICES
    assert first.decision_reasons == "未说明服务内容为何无法事先确定。"

    approve_method_change(approval=second, acting_user=cast.bureau)
    file_plan(plan=plan, acting_user=cast.bureau)
    assert fresh(plan).status == PlanStatus.FILED


def test_only_the_bureau_decides(cast):
    plan, approval = submitted(cast)
    for user in (
        cast.purchaser,
        cast.purchaser2,
        cast.agency,
        cast.supplier,
        cast.expert,
        cast.bank,
        cast.outsider,
    ):
        with pytest.raises(PermissionDenied):
            approve_method_change(approval=approval, acting_user=user)
        with pytest.raises(PermissionDenied):
            reject_method_change(approval=approval, reasons="x", acting_user=user)
    assert fresh(approval).status == MethodApprovalStatus.PENDING


def test_a_decided_request_is_not_decided_again(cast):
    plan, approval = submitted(cast)
    approve_method_change(approval=approval, acting_user=cast.bureau)
    with pytest.raises(InvalidTransition):
        reject_method_change(approval=approval, reasons="改变主意", acting_user=cast.bureau)
    with pytest.raises(InvalidTransition):
        approve_method_change(approval=approval, acting_user=cast.bureau)
    assert fresh(approval).status == MethodApprovalStatus.APPROVED


def test_a_plan_returned_undecided_takes_its_request_back(cast):
    plan, approval = submitted(cast)
    return_plan(plan=plan, reasons="请补充预算明细。", acting_user=cast.bureau)
    assert fresh(approval).status == MethodApprovalStatus.RETURNED
    assert Event.objects.filter(action="procurement.method_approval.returned").exists()
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert plan.method_approvals.filter(status=MethodApprovalStatus.PENDING).count() == 1


def test_an_approval_stands_for_the_same_method_ground_and_no_higher_budget(cast):
    plan, approval = submitted(cast)
    approve_method_change(approval=approval, acting_user=cast.bureau)
    return_plan(plan=plan, reasons="请补充中小企业预留说明。", acting_user=cast.bureau)
    # Corrected elsewhere, same method and budget: the approval still stands.
    same = values(plan.intention, budget=plan.budget, sme_reasons="平台需统一运维，已说明。")
    update_plan(plan=plan, values=same, acting_user=cast.purchaser)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert plan.method_approvals.count() == 1
    file_plan(plan=plan, acting_user=cast.bureau)


def test_a_higher_budget_needs_a_new_approval(cast):
    plan, approval = submitted(cast)
    approve_method_change(approval=approval, acting_user=cast.bureau)
    return_plan(plan=plan, reasons="预算需调整。", acting_user=cast.bureau)
    higher = values(plan.intention, budget=Decimal("2600000.00"))
    update_plan(plan=plan, values=higher, acting_user=cast.purchaser)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert plan.method_approvals.filter(status=MethodApprovalStatus.PENDING).count() == 1
    with pytest.raises(RulesBroken):
        file_plan(plan=plan, acting_user=cast.bureau)


def test_filing_without_a_request_when_the_threshold_was_lowered_is_refused(cast):
    plan = new_plan(cast, budget="1800000.00")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert not MethodApproval.objects.exists()
    LegalParameter.objects.create(
        key="public_tender_threshold_goods_services",
        value=Decimal("1500000"),
        unit="yuan",
        label="公开招标数额标准（省级目录）",
        source="省政府集中采购目录及标准",
        effective_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(RulesBroken) as excinfo:
        file_plan(plan=plan, acting_user=cast.bureau)
    assert "尚无有效批准" in refusal(excinfo)


# --------------------------------------------------------------------------------------------
# Supporting documents


def test_documents_change_only_while_the_plan_is_editable_and_requests_keep_theirs(cast):
    plan = new_plan(cast)
    kept = add_plan_document(
        plan=plan, upload=pdf_upload("论证意见.pdf"), title="", acting_user=cast.purchaser
    )
    assert kept.title == "论证意见.pdf"
    assert Event.objects.filter(action="procurement.plan_document.added").exists()
    submit_plan(plan=plan, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        add_plan_document(plan=plan, upload=pdf_upload(), title="补充", acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        remove_plan_document(document=kept, acting_user=cast.purchaser)
    approval = plan.method_approvals.get()
    reject_method_change(approval=approval, reasons="论证不充分。", acting_user=cast.bureau)
    remove_plan_document(document=kept, acting_user=cast.purchaser)
    assert not fresh(kept).is_current
    assert list(approval.documents.all()) == [kept]
    with pytest.raises(InvalidTransition):
        remove_plan_document(document=kept, acting_user=cast.purchaser)


def test_only_the_plans_purchaser_attaches_documents(cast):
    plan = new_plan(cast)
    for user in (cast.purchaser2, cast.agency, cast.bureau, cast.supplier):
        with pytest.raises(PermissionDenied):
            add_plan_document(plan=plan, upload=pdf_upload(), title="x", acting_user=user)


def test_a_program_is_not_a_supporting_document(cast):
    plan = new_plan(cast)
    upload = SimpleUploadedFile("论证.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError):
        add_plan_document(plan=plan, upload=upload, title="论证", acting_user=cast.purchaser)
    assert not plan.documents.exists()


# --------------------------------------------------------------------------------------------
# Pages


def form_data(intention, **overrides) -> dict:
    data = {
        "intention": intention.pk,
        "project_name": intention.project_name,
        "kind": "services",
        "method": SINGLE,
        "budget": "100000.01",
        "sme_mode": "whole",
        "method_ground": MethodGround.SINGLE_SOURCE_FOLLOW_ON,
        "method_reason": "原系统扩容，须与原有设备保持一致。",
        "original_contract_reference": "ZZ-2024-017",
        "original_contract_amount": "1000000",
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-0-name": "系统扩容",
        "lots-0-kind": "services",
        "lots-0-budget": "100000.01",
    }
    data.update(overrides)
    return data


def test_the_plan_form_refuses_a_follow_on_over_the_maximum_in_chinese(client, cast):
    intention = make_intention(cast, budget=Decimal("100000.01"))
    client.force_login(cast.purchaser)
    form = client.get(reverse("procurement:plan_create")).content.decode()
    assert 'data-method="single_source"' in form and "id_original_contract_amount" in form
    response = client.post(reverse("procurement:plan_create"), form_data(intention))
    page = response.content.decode()
    assert response.status_code == 200
    assert "添购" in page and "100,000.00" in page
    assert not ImplementationPlan.objects.exists()
    response = client.post(
        reverse("procurement:plan_create"),
        form_data(intention, budget="100000", **{"lots-0-budget": "100000"}),
    )
    plan = ImplementationPlan.objects.get()
    assert response.url == reverse("procurement:plan_detail", args=[plan.pk])
    assert plan.original_contract_amount == Decimal("1000000.00")


def test_the_purchaser_is_told_on_submission_and_the_bureau_decides_on_the_page(client, cast):
    plan = new_plan(cast)
    client.force_login(cast.purchaser)
    response = client.post(reverse("procurement:plan_submit", args=[plan.pk]), follow=True)
    page = response.content.decode()
    assert "政府采购法第二十七条" in page and 'data-testid="method-status"' in page
    approval = plan.method_approvals.get()

    client.force_login(cast.bureau)
    listing = client.get(reverse("procurement:bureau_plans")).content.decode()
    assert 'data-testid="method-pending"' in listing
    detail = client.get(reverse("procurement:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="approve-method"' in detail and 'data-testid="filing-blocked"' in detail
    # 予以备案 is disabled while the request is pending, and says why (as 立即发布 does).
    assert 'data-testid="file-plan" disabled aria-describedby="filing-blocked"' in detail
    assert 'id="filing-blocked"' in detail
    response = client.post(reverse("procurement:plan_file", args=[plan.pk]), follow=True)
    assert fresh(plan).status == PlanStatus.SUBMITTED
    assert "alert-danger" in response.content.decode()
    reject = reverse("procurement:method_reject", args=[approval.pk])
    assert client.post(reject, {"reasons": ""}).status_code == 200
    assert fresh(approval).status == MethodApprovalStatus.PENDING
    client.post(reject, {"reasons": "请补充专家论证意见。"})
    assert fresh(approval).status == MethodApprovalStatus.REJECTED
    assert fresh(plan).status == PlanStatus.RETURNED


def test_the_purchaser_cannot_approve_its_own_request(client, cast):
    plan, approval = submitted(cast)
    client.force_login(cast.purchaser)
    url = reverse("procurement:method_approve", args=[approval.pk])
    assert client.post(url, {"opinion": "同意"}).status_code == 403
    assert fresh(approval).status == MethodApprovalStatus.PENDING


def test_the_purchaser_attaches_and_downloads_a_document_on_the_plan_page(client, cast):
    plan = new_plan(cast)
    client.force_login(cast.purchaser)
    client.post(
        reverse("procurement:plan_document_upload", args=[plan.pk]),
        {"title": "专家论证意见", "file": pdf_upload("论证.pdf")},
    )
    document = plan.documents.get()
    response = client.get(reverse("procurement:plan_document_download", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(cast.bureau)
    response = client.get(reverse("procurement:plan_document_download", args=[document.pk]))
    assert response.status_code == 200


def test_the_bureau_reads_requests_and_documents_in_the_admin_without_changing_them(client, cast):
    plan = new_plan(cast)
    add_plan_document(
        plan=plan, upload=pdf_upload(), title="专家论证意见", acting_user=cast.purchaser
    )
    submit_plan(plan=plan, acting_user=cast.purchaser)
    pending = plan.method_approvals.get()
    client.force_login(cast.bureau)
    for model in ["methodapproval", "plandocument", "implementationplan"]:
        url = reverse(f"admin:procurement_{model}_changelist")
        assert client.get(url).status_code == 200, model
    page = client.get(reverse("admin:procurement_methodapproval_change", args=[pending.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and 'name="status"' not in text
    assert reverse("procurement:plan_detail", args=[plan.pk]) in text  # decided there
    approve_method_change(approval=pending, acting_user=cast.bureau)
    url = reverse("admin:procurement_methodapproval_change", args=[pending.pk])
    assert client.post(url, {"decision_reasons": "改写"}).status_code == 403
    assert fresh(pending).decision_reasons == ""
    plan_page = client.get(reverse("admin:procurement_implementationplan_change", args=[plan.pk]))
    assert "专家论证意见" in plan_page.content.decode()
    assert client.get(reverse("admin:procurement_methodapproval_add")).status_code == 403
    client.force_login(cast.purchaser)
    url = reverse("admin:procurement_methodapproval_changelist")
    refused = client.get(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("admin:login"))
