"""Procurement demo (issue 4 §9): intentions, plans in every state, projects at different stages,
changes of method approved and waiting for the bureau (GPL Art 27), single source notices with
objections (O74 Arts 38–40).

Idempotent: each scenario is keyed by its intention's project name and skipped when it exists.
Current steps run through the services (audit events, clocks, notifications); what lies in the
past is written with past timestamps directly (time cannot run backwards through a service).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from documents.pdf import render_pdf
from documents.services import store_bytes
from procurement import services
from procurement.legal import (
    documents_provided_until,
    single_source_notice_end,
    single_source_review_due,
)
from procurement.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    EvaluationMethod,
    ImplementationPlan,
    Lot,
    MethodGround,
    PlanStatus,
    ProcurementIntention,
    SingleSourceNotice,
    SingleSourceObjection,
    SmeMode,
    TenderDocument,
)
from procurement.services.announcements import CorrectionValues, tender_announcement_data
from procurement.services.plans import PlanLotValues, PlanValues
from procurement.services.projects import (
    TENDER_DOCUMENTS_USE,
    CriterionValues,
    LotValues,
)
from procurement.services.single_source import (
    ContactValues,
    NoticeValues,
    ObjectionValues,
    ProfessionalValues,
)
from timers.models import Clock, format_deadline

from . import DemoContext

D = Decimal


def _intention(ctx, org_key, user_key, name, summary, budget, *, days_ago, sme=False, draft=False):
    """The intention, or None when the scenario already exists (idempotence)."""
    purchaser = ctx.orgs[org_key]
    if ProcurementIntention.objects.filter(purchaser=purchaser, project_name=name).exists():
        return None
    now = timezone.now()
    intention = ProcurementIntention.objects.create(
        purchaser=purchaser,
        project_name=name,
        summary=summary,
        budget=D(budget),
        # The month the procurement was expected to start: 30 days after the publication at the
        # earliest (RULES.md §3.2), so a project announced since does not contradict it.
        expected_month=(now - dt.timedelta(days=days_ago - 30)).date().replace(day=1),
        sme_reserved=sme,
        contact_name="王芳" if org_key == "purchaser1" else "李强",
        contact_phone="0375-2670000" if org_key == "purchaser1" else "0375-2680101",
        created_by=ctx.users[user_key],
    )
    if not draft:
        # The publication lies in the past: set directly, as the stage's docstring says.
        intention.publish(at=now - dt.timedelta(days=days_ago))
        intention._history_user = ctx.users[user_key]
        intention.save()
    return intention


def _plan(
    ctx, user_key, intention, *, method, kind, lots, sme_mode, agency=None, reasons="", **grounds
):
    """A draft plan for the intention; `grounds`: method_ground, method_reason, original_…"""
    share = None
    if sme_mode == SmeMode.SHARE:
        reserved = sum((D(b) for _n, _k, b, r in lots if r), D("0"))
        share = (reserved * 100 / intention.budget).quantize(D("0.01"))
    values = PlanValues(
        project_name=intention.project_name,
        kind=kind,
        method=method,
        budget=intention.budget,
        sme_mode=sme_mode,
        intention=intention,
        sme_share=share,
        sme_reasons=reasons,
        agency=ctx.orgs[agency] if agency else None,
        **grounds,
        lots=[PlanLotValues(name=n, kind=k, budget=D(b), sme_reserved=r) for n, k, b, r in lots],
    )
    return services.create_plan(values=values, acting_user=ctx.users[user_key])


def _file(ctx, user_key, plan):
    services.submit_plan(plan=plan, acting_user=ctx.users[user_key])
    return services.file_plan(plan=plan, acting_user=ctx.users["bureau"])


def _documents_pdf(project_name: str, lot_names: list[str], issuer: str) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(
            template_name="documents/pdf_sample.html",
            context={
                "title": f"{project_name} 招标文件",
                "issuer": issuer,
                "issued_on": timezone.localdate(),
                "paragraphs": [
                    "第一章 投标人须知：投标文件须在投标截止时间前通过本平台加密递交，"
                    "开标时由投标人在解密时限内在线解密。",
                    "第二章 采购需求：详见各分包技术参数表。",
                    "第三章 评标办法：综合评分法，价格分采用低价优先法计算。",
                ],
                "rows": [(f"分包 {i}", name) for i, name in enumerate(lot_names, start=1)],
            },
        )


def _pdf_upload(name: str, title: str, issuer: str, paragraphs: list[str]) -> SimpleUploadedFile:
    """A supporting document (an expert opinion, a contract) as a real PDF."""
    with translation.override("zh-hans"):
        content = render_pdf(
            template_name="documents/pdf_sample.html",
            context={
                "title": title,
                "issuer": issuer,
                "issued_on": timezone.localdate(),
                "paragraphs": paragraphs,
                "rows": [],
            },
        )
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _lot_values(lot, deadline, *, weight, criteria):
    return LotValues(
        qualification_requirements=(
            "1. 具有独立承担民事责任的能力；\n2. 参加政府采购活动前三年内在经营活动中没有重大违法记录；\n"
            "3. 未被列入失信被执行人、重大税收违法失信主体、政府采购严重违法失信行为记录名单。"
        ),
        evaluation_method=EvaluationMethod.COMPREHENSIVE,
        bid_deadline=deadline,
        decryption_window_minutes=30,
        price_weight=D(weight),
        sme_deduction=None if lot.sme_reserved else D("10"),
        criteria=[CriterionValues(name=n, points=D(p), description=d) for n, p, d in criteria],
    )


def _add_documents(ctx, user, project) -> TenderDocument:
    lot_names = [lot.name for lot in project.lots.all()]
    # Issued by whoever runs the procurement: the entrusted agency, or the purchaser itself.
    content = _documents_pdf(project.name, lot_names, (project.agency or project.purchaser).name)
    stored = store_bytes(
        content=content,
        name=f"{project.name}招标文件.pdf",
        use=TENDER_DOCUMENTS_USE,
        acting_user=user,
    )
    document = TenderDocument(project=project, title="招标文件（全文）", file=stored, added_by=user)
    document._history_user = user
    document.save()
    return document


# --------------------------------------------------------------------------------------------


def _open_two_lot_tender(ctx: DemoContext) -> None:
    """Announced now, deadline in 25 days; a download, a question answered, a correction."""
    intention = _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市第一中学智慧教室设备采购项目",
        "采购交互式智能一体机 60 台、录播系统 2 套，并提供安装调试与教师培训服务。",
        "3600000.00",
        days_ago=75,
    )
    if intention is None:
        return
    plan = _plan(
        ctx,
        "purchaser",
        intention,
        method="public_tender",
        kind="goods",
        agency="agency",
        sme_mode=SmeMode.SHARE,
        reasons="第二包安装调试与培训服务（120万元）专门面向中小企业采购。",
        lots=[
            ("交互式智能一体机及录播系统", "goods", "2400000.00", False),
            ("安装调试与教师培训服务", "services", "1200000.00", True),
        ],
    )
    _file(ctx, "purchaser", plan)
    agency = ctx.users["agency"]
    project = services.create_project(plan=plan, acting_user=agency)
    deadline = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    deadline += dt.timedelta(days=26)
    for lot in project.lots.all():
        goods = lot.kind == "goods"
        services.update_lot(
            lot=lot,
            values=_lot_values(
                lot,
                deadline,
                weight="30" if goods else "20",
                criteria=[
                    (
                        "技术参数响应",
                        "40" if goods else "45",
                        "逐项响应技术参数，每负偏离一项扣 2 分。",
                    ),
                    (
                        "实施与培训方案",
                        "20" if goods else "25",
                        "方案完整、可行，按优、良、中、差评分。",
                    ),
                    ("售后服务", "10", "质保期及响应时间承诺。"),
                ],
            ),
            acting_user=agency,
        )
    document = _add_documents(ctx, agency, project)
    services.publish_tender_announcement(project=project, acting_user=agency)
    for key in ("supplier", "supplier2", "supplier3"):
        services.record_download(document=document, acting_user=ctx.users[key])
    lot = project.lots.get(number=1)
    question = services.ask_question(
        lot=lot,
        question="第一包一体机屏幕尺寸要求为 86 英寸，是否接受 85 英寸产品？",
        acting_user=ctx.users["supplier"],
    )
    services.answer_question(
        clarification=question,
        answer="接受 85 英寸及以上产品，其他技术参数要求不变。",
        acting_user=agency,
    )
    services.ask_question(
        lot=project.lots.get(number=2),
        question="培训服务是否需要在每所学校现场进行？",
        acting_user=ctx.users["supplier3"],
    )
    services.publish_correction(
        project=project,
        # A structured change: the project's contact is changed, so every later notice and the
        # lot page print 赵磊, never the 王芳 of the original announcement.
        values=CorrectionValues(contact_name="赵磊", contact_phone="0375-2690202"),
        acting_user=agency,
    )
    ctx.say(
        f"procurement: {project.code} announced with 2 lots (deadline {deadline:%Y-%m-%d %H:%M}), "
        "a clarification, an open question and a correction"
    )


def _closed_tender(ctx: DemoContext) -> None:
    """Announced 35 days ago; its deadline passed 10 days ago with no bid, so the real close
    (close_lot, as the deadline clock runs it) started the opening, which failed the lot
    (fewer than three bids, O87 Art 41)."""
    intention = _intention(
        ctx,
        "purchaser2",
        "purchaser2",
        "平顶山市卫生健康委员会办公家具采购项目",
        "采购办公桌椅、文件柜等办公家具一批。",
        "860000.00",
        days_ago=80,
        sme=True,
    )
    if intention is None:
        return
    user = ctx.users["purchaser2"]
    plan = _plan(
        ctx,
        "purchaser2",
        intention,
        method="public_tender",
        kind="goods",
        sme_mode=SmeMode.WHOLE,
        lots=[("办公家具", "goods", "860000.00", True)],
    )
    _file(ctx, "purchaser2", plan)
    project = services.create_project(plan=plan, acting_user=user)
    now = timezone.now()
    announced_at = now - dt.timedelta(days=35)
    deadline = timezone.localtime(now - dt.timedelta(days=10)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    _add_documents(ctx, user, project)
    lots = list(project.lots.all())
    for lot in lots:
        values = _lot_values(
            lot,
            deadline,
            weight="40",
            criteria=[("产品质量与环保性能", "40", ""), ("售后服务", "20", "")],
        )
        for name in services.projects.LOT_FIELDS:
            setattr(lot, name, getattr(values, name))
        lot.save()
        for i, c in enumerate(values.criteria, start=1):
            lot.criteria.create(position=i, name=c.name, points=c.points, description=c.description)
        # The past, written directly: announced 35 days ago, the documents provided for the
        # period the law sets from then (computed, not shifted).
        lot.announce(at=announced_at)
        lot.documents_until = documents_provided_until(
            method=project.method, issued_at=announced_at, deadline=deadline
        )
        lot._history_user = user
        lot.save()
    data = tender_announcement_data(project, lots, at=announced_at)
    title = services.announcements._title(AnnouncementKind.TENDER, project)
    notice = Announcement.objects.create(
        kind=AnnouncementKind.TENDER,
        project=project,
        title=title,
        purchaser=project.purchaser,
        region_code=project.purchaser.region_code,
        method=project.method,
        budget=project.budget,
        data={**data, "published_at": announced_at.isoformat(), "title": title},
        search_text=services.announcements._search_text(project, title, lots),
        status=AnnouncementStatus.PUBLISHED,
        published_at=announced_at,
        created_by=user,
    )
    notice.lots.set(lots)
    # The deadline passed: close through the service, so bidding's opening runs as it would.
    for lot in lots:
        services.close_lot(lot_id=lot.pk, at=deadline)
    ctx.say(
        f"procurement: {project.code} announced 35 days ago, closed at its deadline with no bid "
        "and failed"
    )


def _cancelled_tender(ctx: DemoContext) -> None:
    """Announced, then cancelled for a major change (O87 Art 29): the cancellation notice
    (终止公告) with its reason, told to the supplier that took the documents and the bureau."""
    intention = _intention(
        ctx,
        "purchaser2",
        "purchaser2",
        "平顶山市卫生健康委员会体检车采购项目",
        "采购移动体检车 2 辆。",
        "1600000.00",
        days_ago=60,
    )
    if intention is None:
        return
    user = ctx.users["purchaser2"]
    plan = _plan(
        ctx,
        "purchaser2",
        intention,
        method="public_tender",
        kind="goods",
        sme_mode=SmeMode.NONE,
        reasons="专用车辆，市场上中小企业供给不足。",
        lots=[("移动体检车", "goods", "1600000.00", False)],
    )
    _file(ctx, "purchaser2", plan)
    project = services.create_project(plan=plan, acting_user=user)
    deadline = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    deadline += dt.timedelta(days=26)
    for lot in project.lots.all():
        services.update_lot(
            lot=lot,
            values=_lot_values(
                lot,
                deadline,
                weight="40",
                criteria=[("技术参数", "40", ""), ("售后服务", "20", "")],
            ),
            acting_user=user,
        )
    document = _add_documents(ctx, user, project)
    services.publish_tender_announcement(project=project, acting_user=user)
    services.record_download(document=document, acting_user=ctx.users["supplier4"])
    services.cancel_procurement(
        project=project,
        reason="市财政预算调整，体检车改由省级统一配发，本项目采购任务取消。",
        acting_user=user,
    )
    ctx.say(f"procurement: {project.code} announced and cancelled (终止公告)")


def _method_changes(ctx: DemoContext) -> None:
    """Competitive consultation above the threshold: rejected, corrected, approved and filed;
    a single-source follow-on purchase waiting for the bureau's approval (GPL Arts 27, 31)."""
    approved = _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局智慧校园平台运维服务",
        "全市中小学智慧校园平台年度运维，服务次数与内容按各校实际需求确定。",
        "2400000.00",
        days_ago=55,
    )
    if approved is not None:
        purchaser, bureau = ctx.users["purchaser"], ctx.users["bureau"]
        plan = _plan(
            ctx,
            "purchaser",
            approved,
            method="competitive_consultation",
            kind="services",
            sme_mode=SmeMode.NONE,
            reasons="平台为全市统一系统，须整体运维，不宜拆分预留。",
            lots=[("智慧校园平台运维服务", "services", "2400000.00", False)],
            method_ground=MethodGround.CONSULTATION_SERVICES,
            method_reason="属于政府购买服务项目，运维内容需与供应商磋商确定。",
        )
        services.submit_plan(plan=plan, acting_user=purchaser)
        services.reject_method_change(
            approval=plan.method_approvals.get(),
            reasons="请补充专家论证意见，并说明服务次数和内容为何事先不能确定。",
            acting_user=bureau,
        )
        services.add_plan_document(
            plan=plan,
            upload=_pdf_upload(
                "专家论证意见.pdf",
                "关于采用竞争性磋商方式的专家论证意见",
                "论证专家组",
                [
                    "经论证，本项目运维服务的次数与内容取决于各校故障与需求情况，事先不能确定，"
                    "不能事先计算出价格总额。",
                    "专家组一致同意采用竞争性磋商方式。",
                ],
            ),
            title="专家论证意见",
            acting_user=purchaser,
        )
        services.update_plan(
            plan=plan,
            values=PlanValues(
                project_name=plan.project_name,
                kind=plan.kind,
                method=plan.method,
                budget=plan.budget,
                sme_mode=plan.sme_mode,
                intention=approved,
                sme_reasons=plan.sme_reasons,
                method_ground=MethodGround.CONSULTATION_PRICE_UNKNOWN,
                method_reason="运维服务的次数与内容按各校实际故障与需求确定，事先不能计算出"
                "价格总额；专家论证意见见附件。",
                lots=[
                    PlanLotValues(name="智慧校园平台运维服务", kind="services", budget=plan.budget)
                ],
            ),
            acting_user=purchaser,
        )
        services.submit_plan(plan=plan, acting_user=purchaser)
        services.approve_method_change(
            approval=plan.method_approvals.get(status="pending"),
            opinion="同意采用竞争性磋商方式。",
            acting_user=bureau,
        )
        services.file_plan(plan=plan, acting_user=bureau)
        ctx.say(f"procurement: plan {plan.pk} with an approved change of method, filed")

    waiting = _intention(
        ctx,
        "purchaser2",
        "purchaser2",
        "平顶山市卫生健康委员会医学影像系统扩容（添购）",
        "医学影像存储与传输系统（PACS）存储扩容，须与原系统保持一致。",
        "2450000.00",
        days_ago=40,
    )
    if waiting is not None:
        purchaser2 = ctx.users["purchaser2"]
        plan = _plan(
            ctx,
            "purchaser2",
            waiting,
            method="single_source",
            kind="goods",
            sme_mode=SmeMode.NONE,
            reasons="须由原系统供应商提供，不具备预留条件。",
            lots=[("医学影像系统存储扩容", "goods", "2450000.00", False)],
            method_ground=MethodGround.SINGLE_SOURCE_FOLLOW_ON,
            method_reason="扩容设备须与原系统软硬件兼容，只能向原供应商添购；添购金额未超过"
            "原合同金额的百分之十。",
            original_contract_reference="平卫采〔2024〕0815号",
            original_contract_amount=D("25800000.00"),
        )
        services.add_plan_document(
            plan=plan,
            upload=_pdf_upload(
                "原采购合同.pdf",
                "医学影像存储与传输系统采购合同（摘要）",
                "平顶山市卫生健康委员会",
                ["合同编号：平卫采〔2024〕0815号。", "合同金额：人民币 25,800,000.00 元。"],
            ),
            title="原采购合同",
            acting_user=purchaser2,
        )
        services.submit_plan(plan=plan, acting_user=purchaser2)
        ctx.say(f"procurement: plan {plan.pk} waits for the bureau's approval of single source")


def _notice_values(ctx, plan, *, content, goods, supplier, address, professionals):
    """A single source notice's content (O74 Art 38), contacts from the demo organisations."""
    purchaser, bureau = plan.purchaser, ctx.orgs["bureau"]
    contact_name = plan.intention.contact_name if plan.intention else "王芳"
    return NoticeValues(
        project_content=content,
        goods_description=goods,
        reasons=plan.method_reason,
        supplier_name=supplier,
        supplier_address=address,
        purchaser_contact=ContactValues(
            purchaser.address,
            contact_name,
            purchaser.contact_phone,
        ),
        agency_contact=(
            ContactValues(plan.agency.address, "赵磊", plan.agency.contact_phone)
            if plan.agency
            else None
        ),
        bureau=bureau,
        bureau_contact=ContactValues(bureau.address, "刘敏", bureau.contact_phone),
        professionals=[ProfessionalValues(*row) for row in professionals],
    )


def _into_the_past(notice, *, days: int) -> None:
    """Write the past directly: the notice was published `days` ago (or earlier, so that its
    period ended at least a day ago, whatever holidays lie in between).

    The period is computed again from the earlier moment (working days, not a plain shift);
    the objections move with it, and so does the review clock.
    """
    now = timezone.localtime()
    start = now - dt.timedelta(days=days)
    while single_source_notice_end(start) > now - dt.timedelta(days=1):
        start -= dt.timedelta(days=1)
    end = single_source_notice_end(start)
    due = single_source_review_due(end)
    by = notice.period_start - start
    SingleSourceNotice.objects.filter(pk=notice.pk).update(
        period_start=start, period_end=end, review_due=due
    )
    announcement = notice.announcement
    data = dict(announcement.data)
    data["published_at"] = start.isoformat()
    data["period"] = {**data["period"], "start": start.isoformat(), "end": end.isoformat()}
    Announcement.objects.filter(pk=announcement.pk).update(published_at=start, data=data)
    for objection in notice.objections.all():
        SingleSourceObjection.objects.filter(pk=objection.pk).update(
            submitted_at=objection.submitted_at - by
        )
    Clock.objects.for_subject(notice).update(started=start, due=due)
    notice.refresh_from_db()


def _single_source_notices(ctx: DemoContext) -> None:
    """Single source because only one supplier can provide it, at or above the threshold: one
    notice in its period with an objection (the bureau's approval waits), one whose period
    ended and whose objection the purchaser reviewed (the bureau can approve) (O74 38–40)."""
    running = _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局教育城域网核心交换设备扩容（单一来源）",
        "教育城域网核心交换机板卡扩容，须与现网设备的专有协议兼容。",
        "2800000.00",
        days_ago=45,
    )
    if running is not None:
        purchaser = ctx.users["purchaser"]
        plan = _plan(
            ctx,
            "purchaser",
            running,
            method="single_source",
            kind="goods",
            agency="agency",
            sme_mode=SmeMode.NONE,
            reasons="核心设备扩容只能由原厂提供，不具备预留条件。",
            lots=[("核心交换设备扩容板卡", "goods", "2800000.00", False)],
            method_ground=MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER,
            method_reason="现网核心交换机采用厂商专有的堆叠与转发协议，扩容板卡只能由原厂提供，"
            "其他厂商产品无法接入。",
        )
        notice = services.publish_single_source_notice(
            plan=plan,
            values=_notice_values(
                ctx,
                plan,
                content="对全市教育城域网两台核心交换机进行板卡扩容，满足新增学校接入需求。",
                goods="万兆光口业务板卡 8 块、交换网板 4 块，含安装调试及三年原厂维保。",
                supplier="华信网络技术（平顶山）有限公司",
                address="平顶山市高新区神马大道 88 号",
                professionals=[
                    (
                        "周建国",
                        "平顶山学院信息工程学院",
                        "教授",
                        "现网设备的堆叠协议与板卡接口为原厂专利技术（已核验专利证书），"
                        "第三方板卡无法识别，扩容只能向原厂采购。",
                    ),
                    (
                        "孙丽",
                        "河南省信息化发展中心",
                        "高级工程师",
                        "经测试，其他品牌设备无法与现网核心设备组成同一交换系统。",
                    ),
                ],
            ),
            acting_user=purchaser,
        )
        services.file_objection(
            notice=notice,
            values=ObjectionValues(
                name="陈先生",
                organisation="平顶山绿源科技有限公司",
                phone="13937500000",
                text="我公司代理的品牌板卡经适配可兼容现网设备，不存在唯一性，请重新论证。",
            ),
            acting_user=None,
        )
        services.submit_plan(plan=plan, acting_user=purchaser)
        ctx.say(
            f"procurement: single source notice {notice.pk} runs until "
            f"{format_deadline(notice.period_end)} with one objection; the bureau's approval waits"
        )

    reviewed = _intention(
        ctx,
        "purchaser2",
        "purchaser2",
        "平顶山市卫生健康委员会核医学影像设备专用软件升级（单一来源）",
        "核医学影像设备配套专用图像处理软件升级。",
        "2300000.00",
        days_ago=60,
    )
    if reviewed is not None:
        purchaser2 = ctx.users["purchaser2"]
        plan = _plan(
            ctx,
            "purchaser2",
            reviewed,
            method="single_source",
            kind="services",
            sme_mode=SmeMode.NONE,
            reasons="软件升级只能由原厂提供，不具备预留条件。",
            lots=[("核医学影像专用软件升级", "services", "2300000.00", False)],
            method_ground=MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER,
            method_reason="图像重建算法及设备接口为原厂专有技术，升级只能由原厂实施。",
        )
        notice = services.publish_single_source_notice(
            plan=plan,
            values=_notice_values(
                ctx,
                plan,
                content="升级核医学影像设备配套的图像重建与分析软件，支持新型显像剂的定量分析。",
                goods="专用图像处理软件升级服务 1 项，含数据迁移、验证及操作培训。",
                supplier="中原医疗影像系统有限公司",
                address="平顶山市新华区建设路西段 20 号",
                professionals=[
                    (
                        "刘志强",
                        "平顶山市第一人民医院",
                        "主任医师",
                        "图像重建算法固化于设备控制系统，接口协议未公开，只能由原厂升级。",
                    )
                ],
            ),
            acting_user=purchaser2,
        )
        services.file_objection(
            notice=notice,
            values=ObjectionValues(
                name="供应商老刘",
                organisation="河南小禾信息技术有限公司",
                email="liu@example.cn",
                text="第三方软件也可读取设备原始数据，唯一性论证不充分。",
            ),
            acting_user=ctx.users["supplier2"],
        )
        _into_the_past(notice, days=12)
        services.record_notice_review(
            notice=notice,
            upheld=False,
            opinion="经组织专家补充论证：第三方软件仅能读取导出的图像，无法访问原始投影数据"
            "进行重建，不能满足定量分析要求，异议不成立。",
            acting_user=purchaser2,
        )
        services.submit_plan(plan=plan, acting_user=purchaser2)
        ctx.say(
            f"procurement: single source notice {notice.pk} ended, objection reviewed "
            "(not upheld); the request waits for bureau's approval"
        )


def _plans_in_every_state(ctx: DemoContext) -> None:
    returned = _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局中小学教师信息技术能力提升培训服务",
        "为全市 3000 名中小学教师提供信息技术应用能力培训。",
        "1500000.00",
        days_ago=45,
    )
    if returned is not None:
        plan = _plan(
            ctx,
            "purchaser",
            returned,
            method="competitive_consultation",
            kind="services",
            sme_mode=SmeMode.NONE,
            reasons="培训需覆盖全市，中小企业难以满足。",
            lots=[("教师培训服务", "services", "1500000.00", False)],
        )
        services.submit_plan(plan=plan, acting_user=ctx.users["purchaser"])
        services.return_plan(
            plan=plan,
            reasons="预算 150 万元未超过 200 万元，应当全部预留给中小企业；所述理由不属于"
            "《政府采购促进中小企业发展管理办法》第六条规定的情形，请修改后重新提交。",
            acting_user=ctx.users["bureau"],
        )

    waiting = _intention(
        ctx,
        "purchaser2",
        "purchaser2",
        "平顶山市卫生健康委员会信息系统运维服务",
        "委属医疗机构业务信息系统年度运维服务。",
        "2600000.00",
        days_ago=35,
    )
    if waiting is not None:
        plan = _plan(
            ctx,
            "purchaser2",
            waiting,
            method="public_tender",
            kind="services",
            sme_mode=SmeMode.SHARE,
            reasons="第二包（80万元）专门面向中小企业采购。",
            lots=[
                ("核心业务系统运维", "services", "1800000.00", False),
                ("终端与网络运维", "services", "800000.00", True),
            ],
        )
        services.submit_plan(plan=plan, acting_user=ctx.users["purchaser2"])

    filed = _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局中小学课桌椅采购项目",
        "采购学生课桌椅 5000 套。",
        "1800000.00",
        days_ago=50,
        sme=True,
    )
    if filed is not None:
        plan = _plan(
            ctx,
            "purchaser",
            filed,
            method="public_tender",
            kind="goods",
            sme_mode=SmeMode.WHOLE,
            lots=[("学生课桌椅", "goods", "1800000.00", True)],
        )
        _file(ctx, "purchaser", plan)

    _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局校园安保服务采购项目",
        "市属学校校园安保服务，服务期一年。",
        "1200000.00",
        days_ago=6,
        sme=True,
    )
    _intention(
        ctx,
        "purchaser1",
        "purchaser",
        "平顶山市教育局图书馆图书采购项目（草稿）",
        "采购中小学图书馆图书约 2 万册。",
        "500000.00",
        days_ago=0,
        draft=True,
    )


def run(ctx: DemoContext) -> None:
    _open_two_lot_tender(ctx)
    _closed_tender(ctx)
    _cancelled_tender(ctx)
    _plans_in_every_state(ctx)
    _method_changes(ctx)
    _single_source_notices(ctx)
    # The PDFs are made by a Celery task after commit; the demo may run without a worker, so
    # render the missing ones here (the task finds them done and does nothing).
    for announcement in Announcement.objects.published().filter(pdf__isnull=True):
        services.render_announcement_pdf(announcement_id=announcement.pk)
    ctx.say(
        "procurement: "
        f"{ProcurementIntention.objects.published().count()} published intentions, "
        f"{ImplementationPlan.objects.filter(status=PlanStatus.FILED).count()} filed plans, "
        f"{Lot.objects.count()} lots, {Announcement.objects.published().count()} announcements"
    )
