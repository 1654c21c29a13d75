"""Builders for procurement objects in a chosen state, for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.selectors import organisation_of
from procurement.models import (
    ImplementationPlan,
    Lot,
    PlanLot,
    ProcurementIntention,
    ProcurementKind,
    ProcurementMethod,
    Project,
    SmeMode,
)


def make_intention(cast, *, published_days_ago: int | None = 40, **fields) -> ProcurementIntention:
    purchaser = fields.pop("purchaser", None) or organisation_of(cast.purchaser)
    assert purchaser is not None, "the cast's purchaser belongs to a purchaser organisation"
    defaults = {
        "project_name": "市第一中学教学设备采购",
        "summary": "采购交互式教学一体机 40 台及配套安装服务。",
        "budget": Decimal("3000000.00"),
        "expected_month": dt.date(2026, 6, 1),
        "sme_reserved": False,
        "contact_name": "王老师",
        "contact_phone": "0371-12345678",
    }
    defaults.update(fields)
    intention = ProcurementIntention.objects.create(
        purchaser=purchaser, created_by=cast.purchaser, **defaults
    )
    if published_days_ago is not None:
        intention.publish(at=timezone.now() - dt.timedelta(days=published_days_ago))
        intention.save()
    return intention


def make_plan(
    cast, *, intention=None, filed: bool = True, agency=None, **fields
) -> ImplementationPlan:
    intention = intention or make_intention(cast)
    defaults = {
        "project_name": intention.project_name,
        "kind": ProcurementKind.GOODS,
        "method": ProcurementMethod.PUBLIC_TENDER,
        "budget": intention.budget,
        "sme_mode": SmeMode.SHARE,
        "sme_share": Decimal("40"),
        "sme_reasons": "第二包预留给中小企业。",
    }
    defaults.update(fields)
    plan = ImplementationPlan.objects.create(
        purchaser=intention.purchaser,
        intention=intention,
        agency=agency,
        created_by=cast.purchaser,
        **defaults,
    )
    half = (plan.budget / 2).quantize(Decimal("0.01"))
    PlanLot.objects.create(plan=plan, number=1, name="教学一体机", kind=plan.kind, budget=half)
    PlanLot.objects.create(
        plan=plan,
        number=2,
        name="安装与培训服务",
        kind=ProcurementKind.SERVICES,
        budget=plan.budget - half,
    )
    if filed:
        now = timezone.now()
        plan.submit(at=now)
        plan.save()
        plan.file(at=now, by=cast.bureau)
        plan.save()
    return plan


def make_project(cast, *, plan=None, **plan_fields) -> Project:
    plan = plan or make_plan(cast, **plan_fields)
    project = Project.objects.create(
        plan=plan,
        code=f"YG-TEST-{plan.pk:06d}",
        name=plan.project_name,
        purchaser=plan.purchaser,
        agency=plan.agency,
        kind=plan.kind,
        method=plan.method,
        budget=plan.budget,
        sme_mode=plan.sme_mode,
        created_by=cast.purchaser,
    )
    for planned in plan.lots.all():
        Lot.objects.create(
            project=project,
            number=planned.number,
            name=planned.name,
            kind=planned.kind,
            budget=planned.budget,
        )
    return project


def make_lot(cast, **plan_fields) -> Lot:
    lot = make_project(cast, **plan_fields).lots.first()
    assert lot is not None, "make_project gives the project the lots of its plan"
    return lot


# --------------------------------------------------------------------------------------------
# Ready-to-announce projects, built through the services


def pdf_bytes(pages: int = 1) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "招标文件.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def lot_values(lot, *, deadline, **overrides):
    from procurement.models import EvaluationMethod
    from procurement.services.projects import CriterionValues, LotValues

    values = LotValues(
        qualification_requirements="具有独立承担民事责任的能力；近三年无重大违法记录。",
        evaluation_method=EvaluationMethod.COMPREHENSIVE,
        bid_deadline=deadline,
        decryption_window_minutes=30,
        price_weight=Decimal("30") if lot.kind == ProcurementKind.GOODS else Decimal("20"),
        sme_deduction=None if lot.sme_reserved else Decimal("10"),
        criteria=[
            CriterionValues(
                name="技术方案",
                points=Decimal("50") if lot.kind == ProcurementKind.GOODS else Decimal("60"),
            ),
            CriterionValues(name="售后服务", points=Decimal("20")),
        ],
    )
    for name, value in overrides.items():
        setattr(values, name, value)
    return values


def make_ready_project(cast, *, deadline=None, user=None, **plan_fields) -> Project:
    """A project whose lots are set up and whose documents are uploaded: ready to announce."""
    from procurement.services import add_tender_document, update_lot

    user = user or cast.purchaser
    project = make_project(cast, **plan_fields)
    deadline = deadline or timezone.now() + dt.timedelta(days=30)
    for lot in project.lots.all():
        update_lot(lot=lot, values=lot_values(lot, deadline=deadline), acting_user=user)
    add_tender_document(project=project, upload=pdf_upload(), title="招标文件", acting_user=user)
    return project


def make_announced_project(cast, **kwargs) -> Project:
    from procurement.services import publish_tender_announcement

    project = make_ready_project(cast, **kwargs)
    publish_tender_announcement(project=project, acting_user=kwargs.get("user") or cast.purchaser)
    return project
