"""Single source because only one supplier can provide it, at or above the public tender
threshold: the notice of at least 5 working days before the bureau approves (IR Art 38; O74 Art
38), objections in its period (O74 Art 39) and the purchaser's supplementary review (O74 Art 40).

Moments are Beijing time and fixed with time_machine, across the 2026 National Day holiday
(1–7 October off, Saturday 10 October worked) and Spring Festival (15–23 February off, Saturdays
14 and 28 February worked).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.selectors import organisation_of
from audit.models import Event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied
from notifications.models import Notification
from portal.caching import forget_fragments
from procurement.legal import single_source_notice_end, single_source_review_due
from procurement.models import (
    Announcement,
    AnnouncementKind,
    ImplementationPlan,
    LegalParameter,
    MethodApprovalStatus,
    MethodGround,
    PlanStatus,
    ReviewConclusion,
    SingleSourceNotice,
    SingleSourceObjection,
)
from procurement.parameters import legal_parameter
from procurement.services import (
    add_plan_document,
    approve_method_change,
    file_objection,
    file_plan,
    publish_single_source_notice,
    record_notice_review,
    reject_method_change,
    render_announcement_pdf,
    submit_plan,
    update_plan,
)
from procurement.services._base import RulesBroken
from procurement.services.single_source import (
    REVIEW_CLOCK,
    ContactValues,
    NoticeValues,
    ObjectionValues,
    ProfessionalValues,
    approval_blockers,
)
from timers.models import Clock
from timers.services import sweep

from .factories import pdf_upload
from .test_method_approval import fresh, new_plan, refusal, values
from .timeline import at

pytestmark = pytest.mark.django_db

ONLY = MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER
REASON = "本项目需对原有专用检测系统进行升级，相关核心算法为原厂专利，只能由原厂提供。"

# Tuesday 29 September 2026, 10:00: the 5th working day after is Monday 12 October (30 Sep,
# 8, 9, 10 (Saturday, worked) and 12 Oct), so the period ends at 24:00 that day.
PUBLISHED = at(2026, 9, 29, 10, 0)
PERIOD_END = at(2026, 10, 13, 0, 0)
LAST_SECOND = at(2026, 10, 12, 23, 59, 59)
# 5 working days after the period expires on 12 October: 13, 14, 15, 16 and 19 October.
REVIEW_DUE = at(2026, 10, 20, 0, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(PUBLISHED, tick=False) as traveller:
        yield traveller


def single_plan(cast, budget: str = "2500000.00", **overrides) -> ImplementationPlan:
    return new_plan(
        cast,
        budget=budget,
        method="single_source",
        method_ground=ONLY,
        method_reason=REASON,
        **overrides,
    )


def notice_values(cast, **overrides) -> NoticeValues:
    bureau = organisation_of(cast.bureau)
    base = NoticeValues(
        project_content="市疾控中心专用检测系统升级改造，含软件升级与配套设备。",
        goods_description="专用检测系统软件升级 1 套，配套检测模块 4 台，含安装调试。",
        reasons=REASON,
        supplier_name="郑州甲科技有限公司",
        supplier_address="郑州市金水区科学大道 100 号",
        purchaser_contact=ContactValues("郑州市金水路 1 号", "王老师", "0371-12345678"),
        bureau=bureau,
        bureau_contact=ContactValues("郑州市政府采购监管处", "赵科长", "0371-67180000"),
        professionals=[
            ProfessionalValues(
                "陈教授",
                "郑州大学",
                "教授",
                "核心算法受发明专利保护（专利号 ZL2020XXXX），他人无法提供兼容升级。",
            )
        ],
    )
    for name, value in overrides.items():
        setattr(base, name, value)
    return base


def published(cast, plan=None, **overrides) -> SingleSourceNotice:
    plan = plan or single_plan(cast)
    return publish_single_source_notice(
        plan=plan, values=notice_values(cast, **overrides), acting_user=cast.purchaser
    )


def objection(**overrides) -> ObjectionValues:
    base = ObjectionValues(
        name="李先生",
        organisation="郑州乙商贸有限公司",
        phone="13812345678",
        text="我公司代理的同类产品同样可与原系统兼容，不存在唯一性。",
    )
    for name, value in overrides.items():
        setattr(base, name, value)
    return base


# --------------------------------------------------------------------------------------------
# The period (IR Art 38; O74 Art 38): a legal parameter, counted in working days


def test_the_notice_period_is_a_legal_parameter_with_its_chinese_source(db):
    parameter = legal_parameter("single_source_notice_min")
    assert (parameter.value, parameter.working) == (Decimal("5"), True)
    assert "《中华人民共和国政府采购法实施条例》第三十八条" in parameter.source
    assert "（财政部令第74号）第三十八条" in parameter.source


def test_a_notice_before_national_day_ends_at_24_00_of_the_fifth_working_day_after(db):
    assert single_source_notice_end(PUBLISHED) == PERIOD_END
    assert single_source_review_due(PERIOD_END) == REVIEW_DUE


def test_a_notice_before_spring_festival_counts_the_make_up_saturdays(db):
    # Thursday 12 February: 13, 14 (Saturday, worked), then 24, 25 and 26 February.
    assert single_source_notice_end(at(2026, 2, 12, 9, 0)) == at(2026, 2, 27, 0, 0)
    # Published on the worked Saturday 14 February, which is not counted: 24, 25, 26, 27 and
    # 28 February (Saturday, worked).
    assert single_source_notice_end(at(2026, 2, 14, 9, 0)) == at(2026, 3, 1, 0, 0)
    # Published at 23:59 on a day counts from the next day all the same.
    assert single_source_notice_end(at(2026, 2, 12, 23, 59)) == at(2026, 2, 27, 0, 0)


def test_the_bureau_can_lengthen_the_period_from_a_date(cast, frozen):
    LegalParameter.objects.create(
        key="single_source_notice_min",
        value=Decimal("7"),
        unit="working_days",
        label="单一来源公示期（本市）",
        source="本市规定",
        effective_from=dt.date(2026, 1, 1),
    )
    notice = published(cast)
    # 30 Sep, 8, 9, 10, 12, 13 and 14 October.
    assert notice.period_end == at(2026, 10, 15, 0, 0)
    assert notice.announcement.data["period"]["working_days"] == 7


# --------------------------------------------------------------------------------------------
# Publishing


def test_it_publishes_the_notice_with_the_content_of_o74_article_38(cast, frozen):
    plan = single_plan(cast)
    notice = published(cast, plan)
    assert (notice.period_start, notice.period_end, notice.review_due) == (
        PUBLISHED,
        PERIOD_END,
        REVIEW_DUE,
    )
    assert notice.budget == plan.budget and notice.supplier_name == "郑州甲科技有限公司"
    announcement = notice.announcement
    assert announcement.kind == AnnouncementKind.SINGLE_SOURCE_NOTICE
    assert announcement.project is None and announcement.plan == plan
    assert announcement.title == f"{plan.project_name}单一来源采购方式公示"
    assert Announcement.objects.published().get() == announcement
    data = announcement.data
    assert data["contacts"]["purchaser"]["name"] == "市教育局"
    assert data["contacts"]["bureau"] == {
        "name": "市财政局",
        "address": "郑州市政府采购监管处",
        "person": "赵科长",
        "phone": "0371-67180000",
    }
    assert data["contacts"]["agency"] is None
    assert data["professionals"][0]["employer"] == "郑州大学"
    assert data["period"]["end"] == PERIOD_END.isoformat()
    assert "郑州甲科技有限公司" in announcement.search_text
    event = Event.objects.for_subject(notice).get()
    assert event.action == "procurement.single_source_notice.published"
    assert event.actor == cast.purchaser
    assert [h.history_change_reason for h in notice.history.all()] == ["published"]


def test_it_refuses_a_notice_without_a_professional_or_with_a_bad_contact(cast, frozen):
    plan = single_plan(cast)
    with pytest.raises(RulesBroken) as excinfo:
        published(
            cast,
            plan,
            professionals=[ProfessionalValues("陈教授", "郑州大学", " ", "专利")],
            bureau_contact=ContactValues("地址", "赵科长", "12345"),
        )
    message = refusal(excinfo)
    assert "专业人员 1" in message and "职称" in message
    assert "财政部门" in message and "0371-67180000" in message  # the phone format is named
    with pytest.raises(RulesBroken) as excinfo:
        published(cast, plan, professionals=[])
    assert "至少" in refusal(excinfo)
    assert not SingleSourceNotice.objects.exists() and not Announcement.objects.exists()


def test_an_agency_plan_needs_the_agencys_contacts(cast, frozen):
    plan = single_plan(cast, agency=organisation_of(cast.agency))
    with pytest.raises(RulesBroken) as excinfo:
        published(cast, plan)
    assert "采购代理机构" in refusal(excinfo)
    notice = published(
        cast, plan, agency_contact=ContactValues("郑州市中原路 8 号", "孙经理", "13900001111")
    )
    assert notice.announcement.data["contacts"]["agency"]["person"] == "孙经理"
    assert notice.announcement.agency == organisation_of(cast.agency)


@pytest.mark.parametrize(
    ("budget", "overrides"),
    [
        ("1999999.99", {"method_ground": ONLY}),  # under the public tender threshold
        ("2500000.00", {"method_ground": MethodGround.SINGLE_SOURCE_EMERGENCY}),
    ],
    ids=["under-threshold", "emergency"],
)
def test_only_the_only_supplier_ground_at_the_threshold_needs_a_notice(
    cast, frozen, budget, overrides
):
    plan = new_plan(cast, budget=budget, method="single_source", method_reason=REASON, **overrides)
    with pytest.raises(RulesBroken) as excinfo:
        published(cast, plan)
    assert "本计划无需单一来源公示" in refusal(excinfo)
    submit_plan(plan=plan, acting_user=cast.purchaser)  # no notice asked for
    assert fresh(plan).status == PlanStatus.SUBMITTED


def test_only_the_plans_purchaser_publishes(cast, frozen):
    plan = single_plan(cast)
    for user in (cast.purchaser2, cast.agency, cast.bureau, cast.supplier, cast.outsider):
        with pytest.raises(PermissionDenied):
            publish_single_source_notice(plan=plan, values=notice_values(cast), acting_user=user)


def test_a_second_notice_is_refused_while_the_first_stands(cast, frozen):
    notice = published(cast)
    with pytest.raises(RulesBroken) as excinfo:
        published(cast, notice.plan)
    assert "2026-10-12 24:00" in refusal(excinfo)


# --------------------------------------------------------------------------------------------
# Submitting the plan (the request carries the notice)


def test_submitting_without_a_notice_is_refused_saying_what_to_do(cast, frozen):
    plan = single_plan(cast)
    with pytest.raises(RulesBroken) as excinfo:
        submit_plan(plan=plan, acting_user=cast.purchaser)
    message = refusal(excinfo)
    assert "发布单一来源公示" in message and "5 个工作日" in message
    assert "《中华人民共和国政府采购法实施条例》第三十八条" in message
    assert fresh(plan).status == PlanStatus.DRAFT


def test_the_request_goes_with_the_notice_during_its_period(cast, frozen):
    notice = published(cast)
    submit_plan(plan=notice.plan, acting_user=cast.purchaser)
    approval = notice.plan.method_approvals.get()
    assert approval.single_source_notice == notice
    note = Notification.objects.get(recipient=cast.bureau, kind="procurement.plan_submitted")
    assert "2026-10-12 24:00" in note.body


def test_a_higher_budget_needs_a_new_notice(client, cast, frozen):
    notice = published(cast)
    plan = notice.plan
    higher = values(
        plan.intention,
        budget=Decimal("2600000.00"),
        method="single_source",
        method_ground=ONLY,
        method_reason=REASON,
    )
    update_plan(plan=plan, values=higher, acting_user=cast.purchaser)
    with pytest.raises(RulesBroken) as excinfo:
        submit_plan(plan=plan, acting_user=cast.purchaser)
    assert "2,500,000.00" in refusal(excinfo) and "2,600,000.00" in refusal(excinfo)
    second = published(cast, fresh(plan))
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert plan.method_approvals.get().single_source_notice == second
    client.force_login(cast.bureau)
    page = client.get(reverse("procurement:plan_detail", args=[plan.pk])).content.decode()
    assert "本计划此前的公示" in page and notice.announcement.get_absolute_url() in page


# --------------------------------------------------------------------------------------------
# Objections (O74 Art 39)


def test_an_objection_at_the_last_second_is_taken_and_one_at_24_00_is_refused(cast, frozen):
    notice = published(cast)
    frozen.move_to(LAST_SECOND)
    filed = file_objection(notice=notice, values=objection(), acting_user=None)
    assert filed.submitted_at == LAST_SECOND and filed.reference == f"YY{notice.pk:05d}-001"
    frozen.move_to(PERIOD_END)
    with pytest.raises(DeadlinePassed) as excinfo:
        file_objection(notice=notice, values=objection(name="王女士"), acting_user=None)
    assert "2026-10-12 24:00" in str(excinfo.value) and "第三十九条" in str(excinfo.value)
    assert notice.objections.count() == 1


def test_anyone_objects_and_the_purchaser_agency_and_bureau_are_told(cast, frozen):
    plan = single_plan(cast, agency=organisation_of(cast.agency))
    notice = published(
        cast, plan, agency_contact=ContactValues("郑州市中原路 8 号", "孙经理", "13900001111")
    )
    first = file_objection(
        notice=notice,
        values=objection(),
        attachment=pdf_upload("异议书.pdf"),
        acting_user=None,
    )
    second = file_objection(
        notice=notice,
        values=objection(name="老张", phone="", email="zhang@example.cn"),
        acting_user=cast.supplier,
    )
    assert (first.number, second.number) == (1, 2)
    assert first.submitted_by is None and second.submitted_by == cast.supplier
    assert first.attachment is not None and first.attachment.original_name == "异议书.pdf"
    assert first.token != second.token and len(first.token) >= 40
    for user in (cast.purchaser, cast.agency, cast.bureau):
        notes = Notification.objects.filter(
            recipient=user, kind="procurement.single_source_objection"
        )
        assert notes.count() == 2, user
        assert "第三十九条" in notes.first().body
    assert not Notification.objects.filter(
        recipient=cast.purchaser2, kind="procurement.single_source_objection"
    ).exists()
    events = Event.objects.filter(action="procurement.single_source_objection.filed")
    assert [e.actor for e in events.order_by("seq")] == [None, cast.supplier]
    clock = Clock.objects.for_subject(notice).get(kind=REVIEW_CLOCK)
    assert clock.due == REVIEW_DUE and clock.responsible == plan.purchaser
    assert [h.history_change_reason for h in first.history.all()] == ["filed"]


def test_an_objection_needs_a_name_a_text_and_a_way_to_answer(cast, frozen):
    notice = published(cast)
    with pytest.raises(RulesBroken) as excinfo:
        file_objection(
            notice=notice,
            values=objection(name=" ", phone="", email="", text=""),
            acting_user=None,
        )
    message = refusal(excinfo)
    assert "姓名" in message and "电话" in message and "异议" in message
    with pytest.raises(RulesBroken):
        file_objection(notice=notice, values=objection(phone="12"), acting_user=None)
    assert not SingleSourceObjection.objects.exists()


# --------------------------------------------------------------------------------------------
# The bureau's approval waits (one rule: approval_blockers)


def test_the_bureau_approves_only_from_00_00_after_the_last_notice_day(cast, frozen):
    notice = published(cast)
    submit_plan(plan=notice.plan, acting_user=cast.purchaser)
    approval = notice.plan.method_approvals.get()
    frozen.move_to(LAST_SECOND)
    assert approval_blockers(approval, at=LAST_SECOND)
    with pytest.raises(RulesBroken) as excinfo:
        approve_method_change(approval=approval, acting_user=cast.bureau)
    assert "2026-10-12 24:00" in refusal(excinfo)
    assert fresh(approval).status == MethodApprovalStatus.PENDING
    frozen.move_to(PERIOD_END)
    assert approval_blockers(approval, at=PERIOD_END) == []
    approve_method_change(approval=approval, acting_user=cast.bureau)
    file_plan(plan=notice.plan, acting_user=cast.bureau)
    assert fresh(notice.plan).status == PlanStatus.FILED


def test_the_bureau_may_refuse_single_source_during_the_period(cast, frozen):
    notice = published(cast)
    submit_plan(plan=notice.plan, acting_user=cast.purchaser)
    approval = notice.plan.method_approvals.get()
    reject_method_change(approval=approval, reasons="理由不充分。", acting_user=cast.bureau)
    assert fresh(notice.plan).status == PlanStatus.RETURNED


def test_with_objections_the_bureau_waits_for_a_review_that_does_not_uphold_them(cast, frozen):
    notice = published(cast)
    file_objection(notice=notice, values=objection(), acting_user=cast.supplier2)
    submit_plan(plan=notice.plan, acting_user=cast.purchaser)
    approval = notice.plan.method_approvals.get()

    frozen.move_to(LAST_SECOND)
    with pytest.raises(InvalidTransition) as excinfo:  # objections may still come
        record_notice_review(
            notice=notice, upheld=False, opinion="经论证异议不成立。", acting_user=cast.purchaser
        )
    assert "2026-10-12 24:00" in str(excinfo.value)

    frozen.move_to(PERIOD_END + dt.timedelta(days=1))
    with pytest.raises(RulesBroken) as excinfo:
        approve_method_change(approval=approval, acting_user=cast.bureau)
    message = refusal(excinfo)
    assert "补充论证" in message and "2026-10-19 24:00" in message and "第四十条" in message

    with pytest.raises(InvalidTransition):
        record_notice_review(notice=notice, upheld=False, opinion=" ", acting_user=cast.purchaser)
    for user in (cast.purchaser2, cast.agency, cast.bureau, cast.supplier2):
        with pytest.raises(PermissionDenied):
            record_notice_review(notice=notice, upheld=False, opinion="x", acting_user=user)
    record_notice_review(
        notice=notice,
        upheld=False,
        opinion="经补充论证，所称同类产品不能与原系统专利算法兼容，异议不成立。",
        acting_user=cast.purchaser,
    )
    notice = fresh(notice)
    assert notice.review_conclusion == ReviewConclusion.NOT_UPHELD
    assert notice.reviewed_by == cast.purchaser
    assert Clock.objects.for_subject(notice).get(kind=REVIEW_CLOCK).met_at is not None
    assert Event.objects.filter(action="procurement.single_source_notice.reviewed").exists()
    # The signed-in objector and the bureau are told the conclusion.
    told = Notification.objects.get(
        recipient=cast.supplier2, kind="procurement.single_source_reviewed"
    )
    assert "异议不成立" in told.title + told.body and "/objection-receipts/" in told.url
    assert Notification.objects.filter(
        recipient=cast.bureau, kind="procurement.single_source_reviewed"
    ).exists()
    with pytest.raises(InvalidTransition):
        record_notice_review(
            notice=notice, upheld=True, opinion="改变主意", acting_user=cast.purchaser
        )

    approve_method_change(approval=approval, acting_user=cast.bureau)
    assert fresh(approval).status == MethodApprovalStatus.APPROVED


def test_there_is_nothing_to_review_without_objections(cast, frozen):
    notice = published(cast)
    frozen.move_to(PERIOD_END)
    with pytest.raises(InvalidTransition):
        record_notice_review(notice=notice, upheld=False, opinion="无", acting_user=cast.purchaser)
    assert not Clock.objects.for_subject(notice).exists()


def test_upheld_objections_return_the_plan_and_end_single_source(cast, frozen):
    notice = published(cast)
    plan = notice.plan
    file_objection(notice=notice, values=objection(), acting_user=None)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    approval = plan.method_approvals.get()
    frozen.move_to(PERIOD_END)
    record_notice_review(
        notice=notice,
        upheld=True,
        opinion="经补充论证，另有供应商可提供兼容产品，异议成立。",
        acting_user=cast.purchaser,
    )
    plan = fresh(plan)
    assert plan.status == PlanStatus.RETURNED and "异议" in plan.return_reasons
    assert fresh(approval).status == MethodApprovalStatus.RETURNED
    with pytest.raises(RulesBroken) as excinfo:
        submit_plan(plan=plan, acting_user=cast.purchaser)
    assert "其他采购方式" in refusal(excinfo) and "第四十条" in refusal(excinfo)
    with pytest.raises(RulesBroken):
        published(cast, plan)
    # Another method: the plan goes to the bureau again.
    changed = values(plan.intention, budget=plan.budget, method="public_tender", method_ground="")
    update_plan(plan=plan, values=changed, acting_user=cast.purchaser)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert fresh(plan).status == PlanStatus.SUBMITTED


def test_a_review_missed_breaches_its_clock_and_the_bureau_is_told(cast, frozen):
    notice = published(cast)
    file_objection(notice=notice, values=objection(), acting_user=None)
    frozen.move_to(REVIEW_DUE - dt.timedelta(seconds=1))
    sweep()
    assert Clock.objects.for_subject(notice).get().breached_at is None
    frozen.move_to(REVIEW_DUE + dt.timedelta(minutes=1))
    sweep()
    clock = Clock.objects.for_subject(notice).get()
    assert clock.breached_at is not None
    assert Notification.objects.filter(recipient=cast.bureau, kind="timers.breach").exists()
    sweep()  # a second sweep changes nothing
    assert Notification.objects.filter(recipient=cast.bureau, kind="timers.breach").count() == 1
    # A late review is still recorded (and says it was late).
    record_notice_review(
        notice=notice, upheld=False, opinion="异议不成立。", acting_user=cast.purchaser
    )
    event = Event.objects.get(action="procurement.single_source_notice.reviewed")
    assert event.data["late"] is True


# --------------------------------------------------------------------------------------------
# PDF


def test_the_notice_pdf_renders_its_chinese_text(cast, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = published(cast)
    announcement = fresh(notice.announcement)
    assert announcement.pdf is not None
    assert announcement.pdf.original_name.startswith(f"plan-{notice.plan_id}-single_source-")
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(announcement.pdf.file.read())).pages
    )
    for words in ("单一来源采购方式公示", "郑州甲科技有限公司", "郑州大学", "2026-10-12 24:00"):
        assert words in text.replace("\n", ""), words
    assert render_announcement_pdf(announcement_id=announcement.pk).pdf == announcement.pdf


# --------------------------------------------------------------------------------------------
# Pages and access


def objection_form(**overrides) -> dict:
    data = {
        "name": "李先生",
        "organisation": "",
        "phone": "13812345678",
        "email": "",
        "text": "所称唯一性不成立：市场上另有兼容产品。",
    }
    data.update(overrides)
    return data


def test_the_purchaser_publishes_from_the_plan_page(client, cast, frozen):
    plan = single_plan(cast)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="publish-notice"' in page
    assert 'data-testid="submit-plan" disabled aria-describedby="submit-blocked"' in page
    url = reverse("procurement:notice_publish", args=[plan.pk])
    form = client.get(url).content.decode()
    assert "0371-12345678" in form and REASON in form  # prefilled from the plan
    data = {
        "project_content": "专用检测系统升级。",
        "goods_description": "软件升级 1 套。",
        "reasons": REASON,
        "supplier_name": "郑州甲科技有限公司",
        "supplier_address": "郑州市金水区科学大道 100 号",
        "purchaser_address": "郑州市金水路 1 号",
        "purchaser_person": "王老师",
        "purchaser_phone": "0371-12345678",
        "bureau": organisation_of(cast.bureau).pk,
        "bureau_address": "郑州市政府采购监管处",
        "bureau_person": "赵科长",
        "bureau_phone": "0371-67180000",
        "professionals-TOTAL_FORMS": "1",
        "professionals-INITIAL_FORMS": "0",
        "professionals-0-name": "",
        "professionals-0-employer": "郑州大学",
        "professionals-0-title": "教授",
        "professionals-0-opinion": "专利保护。",
    }
    assert client.post(url, data).status_code == 200  # a professional without a name
    assert not SingleSourceNotice.objects.exists()
    response = client.post(url, {**data, "professionals-0-name": "陈教授"})
    notice = SingleSourceNotice.objects.get()
    assert response.url == reverse("procurement:plan_detail", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert 'data-testid="notice-card"' in page and "2026-10-12 24:00" in page
    assert 'data-testid="publish-notice"' not in page
    assert 'data-testid="submit-blocked"' not in page
    assert notice.announcement.get_absolute_url() in page
    submitted = client.post(reverse("procurement:plan_submit", args=[plan.pk]), follow=True)
    text = submitted.content.decode()
    assert "单一来源公示已随申请一并报送" in text and "2026-10-12 24:00" in text
    assert plan.method_approvals.get().single_source_notice == notice


def test_the_public_reads_the_notice_in_the_list_and_objects_without_signing_in(
    client, cast, frozen
):
    notice = published(cast)
    listing = client.get(reverse("portal:announcements"), {"kind": "single_source"})
    assert notice.announcement.title in listing.content.decode()
    tabs = client.get(reverse("portal:announcements")).content.decode()
    assert "单一来源公示" in tabs
    url = notice.announcement.get_absolute_url()
    page = client.get(url).content.decode()
    assert 'data-testid="objection-form"' in page and "2026-10-12 24:00" in page
    assert "陈教授" in page and "郑州甲科技有限公司" in page
    assert "市教育局" in page  # the project facts name the plan's project
    response = client.post(
        reverse("procurement:objection_file", args=[notice.pk]),
        {**objection_form(), "attachment": pdf_upload("异议.pdf")},
    )
    filed = SingleSourceObjection.objects.get()
    assert response.url == reverse("procurement:objection_receipt", args=[filed.token])
    receipt = client.get(response.url)
    text = receipt.content.decode()
    assert filed.reference in text and "尚未作出" in text
    assert receipt["Cache-Control"] == "private, no-store"
    # The objection is not public.
    assert "所称唯一性不成立" not in client.get(url).content.decode()

    frozen.move_to(PERIOD_END)
    notice.refresh_from_db()
    record_notice_review(
        notice=notice,
        upheld=False,
        opinion="经论证异议不成立，理由如下。",
        acting_user=cast.purchaser,
    )
    text = client.get(response.url).content.decode()
    assert "异议不成立" in text and "经论证异议不成立，理由如下。" in text


def test_an_objection_after_the_period_is_refused_on_the_page_with_the_end(client, cast, frozen):
    notice = published(cast)
    frozen.move_to(PERIOD_END)
    page = client.get(notice.announcement.get_absolute_url()).content.decode()
    assert 'data-testid="objection-form"' not in page
    assert 'data-testid="objections-closed"' in page and "2026-10-12 24:00" in page
    response = client.post(
        reverse("procurement:objection_file", args=[notice.pk]), objection_form()
    )
    assert response.status_code == 200
    assert "2026-10-12 24:00" in response.content.decode()
    assert not SingleSourceObjection.objects.exists()


def test_the_objection_form_needs_a_phone_or_an_email(client, cast, frozen):
    notice = published(cast)
    response = client.post(
        reverse("procurement:objection_file", args=[notice.pk]),
        objection_form(phone="", email=""),
    )
    assert response.status_code == 200 and "电子邮箱" in response.content.decode()
    assert not SingleSourceObjection.objects.exists()


def test_a_signed_in_supplier_objects_with_its_details_filled_in(client, cast, frozen):
    notice = published(cast)
    client.force_login(cast.supplier)
    page = client.get(notice.announcement.get_absolute_url()).content.decode()
    assert 'value="供应商老张"' in page and 'value="郑州甲科技有限公司"' in page
    client.post(
        reverse("procurement:objection_file", args=[notice.pk]),
        objection_form(name="供应商老张"),
    )
    assert SingleSourceObjection.objects.get().submitted_by == cast.supplier


def test_a_receipt_address_that_does_not_exist_is_a_404(client, db):
    url = reverse("procurement:objection_receipt", args=["not-a-real-token"])
    assert client.get(url).status_code == 404


@pytest.fixture
def objected(cast, frozen):
    """A notice of an agency plan with one objection carrying an attachment."""
    plan = single_plan(cast, agency=organisation_of(cast.agency))
    notice = published(
        cast, plan, agency_contact=ContactValues("郑州市中原路 8 号", "孙经理", "13900001111")
    )
    filed = file_objection(
        notice=notice,
        values=objection(text="异议正文：不具备唯一性。"),
        attachment=pdf_upload("异议书.pdf"),
        acting_user=None,
    )
    return notice, filed


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("purchaser", True),
        ("agency", True),
        ("bureau", True),
        ("purchaser2", False),
        ("supplier", False),
        ("outsider", False),
    ],
)
def test_only_the_purchaser_its_agency_and_the_bureau_see_the_objections(
    client, cast, objected, role, sees
):
    notice, filed = objected
    client.force_login(getattr(cast, role))
    plan_page = client.get(reverse("procurement:plan_detail", args=[notice.plan_id]))
    attachment = client.get(reverse("procurement:objection_attachment", args=[filed.pk]))
    if sees:
        assert plan_page.status_code == 200
        assert "异议正文：不具备唯一性。" in plan_page.content.decode()
        assert attachment.status_code == 200
    else:
        assert plan_page.status_code == 404
        assert attachment.status_code == 404
    review = client.get(reverse("procurement:notice_review", args=[notice.pk]))
    assert review.status_code == {"purchaser": 200, "agency": 403, "bureau": 403}.get(role, 404)


def test_the_public_gets_no_attachment_and_no_review_page(client, objected):
    notice, filed = objected
    attachment = client.get(reverse("procurement:objection_attachment", args=[filed.pk]))
    assert attachment.status_code == 302  # to the sign-in page
    review = client.get(reverse("procurement:notice_review", args=[notice.pk]))
    assert review.status_code in (302, 404)


def test_the_bureau_sees_why_it_cannot_approve_yet_and_the_button_is_disabled(client, cast, frozen):
    notice = published(cast)
    file_objection(notice=notice, values=objection(), acting_user=None)
    submit_plan(plan=notice.plan, acting_user=cast.purchaser)
    approval = notice.plan.method_approvals.get()
    client.force_login(cast.bureau)
    url = reverse("procurement:plan_detail", args=[notice.plan_id])
    page = client.get(url).content.decode()
    assert 'data-testid="approve-blocked"' in page and "2026-10-12 24:00" in page
    assert 'disabled aria-describedby="approve-blocked" data-testid="approve-method"' in page
    assert 'data-testid="method-approval-notice"' in page
    approve = reverse("procurement:method_approve", args=[approval.pk])
    confirm = client.get(approve).content.decode()
    assert 'data-testid="confirm-approve" disabled' in confirm
    assert client.post(approve, {"opinion": "同意"}).status_code == 200
    assert fresh(approval).status == MethodApprovalStatus.PENDING

    frozen.move_to(PERIOD_END)
    page = client.get(url).content.decode()
    assert "2026-10-19 24:00" in page and "补充论证" in page  # now: the review is missing
    record_notice_review(
        notice=notice, upheld=False, opinion="异议不成立。", acting_user=cast.purchaser
    )
    page = client.get(url).content.decode()
    assert 'data-testid="approve-blocked"' not in page
    client.post(approve, {"opinion": "同意采用单一来源方式。"})
    assert fresh(approval).status == MethodApprovalStatus.APPROVED


def test_the_purchaser_records_the_review_on_its_page(client, cast, objected):
    notice, _filed = objected
    client.force_login(cast.purchaser)
    plan_url = reverse("procurement:plan_detail", args=[notice.plan_id])
    assert 'data-testid="review-notice"' not in client.get(plan_url).content.decode()
    with time_machine.travel(PERIOD_END, tick=False):
        assert 'data-testid="review-notice"' in client.get(plan_url).content.decode()
        url = reverse("procurement:notice_review", args=[notice.pk])
        assert client.post(url, {"conclusion": "not_upheld", "opinion": ""}).status_code == 200
        response = client.post(url, {"conclusion": "not_upheld", "opinion": "异议不成立。"})
        assert response.url == plan_url
    assert fresh(notice).review_conclusion == ReviewConclusion.NOT_UPHELD


def test_the_plan_page_runs_the_same_queries_for_one_or_many_objections(
    client, cast, frozen, django_assert_max_num_queries
):
    notice = published(cast)
    file_objection(notice=notice, values=objection(), acting_user=None)
    client.force_login(cast.bureau)
    url = reverse("procurement:plan_detail", args=[notice.plan_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(5):
        file_objection(notice=notice, values=objection(name=f"异议人{i}"), acting_user=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="objection"') == 6


def test_the_notice_page_runs_a_fixed_number_of_queries(
    client, cast, frozen, django_assert_max_num_queries
):
    notice = published(cast)
    url = notice.announcement.get_absolute_url()
    forget_fragments()
    # The notice with its parties, the other notices of its plan, and the notice's period.
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    frozen.move_to(PERIOD_END)
    forget_fragments()
    with django_assert_max_num_queries(3):
        client.get(url)
    with django_assert_max_num_queries(0):  # closed: the whole page is kept for the public
        assert 'data-testid="objections-closed"' in client.get(url).content.decode()


def test_the_bureau_reads_notices_and_objections_in_the_admin_without_changing_them(
    client, cast, objected
):
    notice, filed = objected
    client.force_login(cast.bureau)
    for name, pk in (("singlesourcenotice", notice.pk), ("singlesourceobjection", filed.pk)):
        assert client.get(reverse(f"admin:procurement_{name}_changelist")).status_code == 200
        change = reverse(f"admin:procurement_{name}_change", args=[pk])
        page = client.get(change)
        assert page.status_code == 200
        assert client.post(change, {}).status_code == 403
        assert client.get(reverse(f"admin:procurement_{name}_add")).status_code == 403
    page = client.get(reverse("admin:procurement_singlesourcenotice_change", args=[notice.pk]))
    text = page.content.decode()
    assert "陈教授" in text and filed.reference in text
    assert filed.token not in text


def test_a_second_visitor_gets_a_form_of_its_own_and_its_objection_passes_the_csrf_check(
    cast, frozen
):
    """The notice page is kept whole for the public only once objections are closed: while the
    form shows, each visitor gets its own CSRF token (portal.caching), so a visitor who comes
    after another is not refused."""
    notice = published(cast)
    url = notice.announcement.get_absolute_url()
    Client(enforce_csrf_checks=True).get(url)  # the first visitor (would warm a page cache)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = visitor.post(
        reverse("procurement:objection_file", args=[notice.pk]),
        {**objection_form(), "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert SingleSourceObjection.objects.count() == 1


def test_the_agency_named_in_the_notice_reads_the_plans_documents_before_filing(
    client, cast, frozen
):
    plan = single_plan(cast, agency=organisation_of(cast.agency))
    document = add_plan_document(
        plan=plan,
        upload=pdf_upload("专家论证意见.pdf"),
        title="专家论证",
        acting_user=cast.purchaser,
    )
    url = reverse("procurement:plan_document_download", args=[document.pk])
    client.force_login(cast.agency)
    assert client.get(url).status_code == 404  # no notice yet: the plan is the purchaser's draft
    published(
        cast, plan, agency_contact=ContactValues("郑州市中原路 8 号", "孙经理", "13900001111")
    )
    assert client.get(url).status_code == 200
    page = client.get(reverse("procurement:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-read-only"' in page and "单一来源公示" in page
    assert 'data-testid="publish-notice"' not in page and 'data-testid="submit-plan"' not in page
