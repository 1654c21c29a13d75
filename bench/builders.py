"""Procurement objects in a chosen state, built through the services, as people would make them.

Shared by the benchmarks (bench/bidding_bench.py) and the tests (tests/procurement/factories.py,
tests/bidding/helpers.py), so that neither keeps a shortcut of its own: an announced lot has its
tender announcement, its bid-deadline clock, its audit events and its history, because
`publish_tender_announcement` made it.

A step that lies in the past runs at its moment under time-machine (a development dependency,
requirements-dev.txt): a service stamps `timezone.now()`, so "published 40 days ago" is done by
publishing 40 days ago, not by writing a date into a row.

1. `make_intention`: created and published (or left a draft) by a purchaser's user.
2. `make_plan`: created, submitted and filed by the bureau; a method that needs the bureau's
   prior approval (GPL Art 27) gets a statutory ground and the bureau's approval on the way.
3. `make_project`: prepared from the filed plan (`create_project`), lots in draft.
4. `set_up_lots` and `add_documents`: each lot's tender settings and the tender documents.
5. `announced_project`: all of the above at `announced_at`, then the tender announcement.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from procurement.models import ImplementationPlan, Lot, ProcurementIntention, Project
    from procurement.services.projects import LotValues

# The intention's 30 days (财库〔2020〕10号) end at most 40 days after it was published, even when
# the 30th day falls in the Spring Festival holiday (the period then rolls to the next working
# day); a builder publishes it this long before the announcement.
INTENTION_LEAD = dt.timedelta(days=40)
# A public tender's 20 days of bid period (GPL Art 35) likewise fit in 30 days, holidays
# included: a lot whose deadline is nearer than this is announced this long before it.
BID_PERIOD = dt.timedelta(days=30)

PLAN_REASON = "采购需求符合该采购方式的法定情形，详见论证意见。"


@contextmanager
def at_moment(moment: dt.datetime | None) -> Iterator[None]:
    """Run the block with the clock stopped at `moment` (time-machine), or as it is when None."""
    if moment is None:
        yield
        return
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield


def member_of(organisation: Organisation) -> User:
    """A user who acts for `organisation` (the first member)."""
    from accounts.models import User

    user = User.objects.filter(memberships__organisation=organisation).order_by("pk").first()
    assert user is not None, f"{organisation} has no member to act for it"
    return user


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --------------------------------------------------------------------------------------------
# Intentions and plans


def make_intention(
    *, purchaser: User, published_at: dt.datetime | None, **fields: Any
) -> ProcurementIntention:
    """An intention of `purchaser`'s organisation, published at `published_at` (None: a draft)."""
    from procurement.services import create_intention, publish_intention

    moment = published_at
    with at_moment(moment):
        today = timezone.localdate()
        values: dict[str, Any] = {
            "project_name": "市第一中学教学设备采购",
            "summary": "采购交互式教学一体机 40 台及配套安装服务。",
            "budget": Decimal("3000000.00"),
            # The procurement may start once the intention has been public for 30 days.
            "expected_month": _first_of_month(today + dt.timedelta(days=31)),
            "sme_reserved": False,
            "contact_name": "王老师",
            "contact_phone": "0371-12345678",
        }
        values.update(fields)
        intention = create_intention(acting_user=purchaser, **values)
        if published_at is not None:
            intention = publish_intention(intention=intention, acting_user=purchaser)
    return intention


def _two_lots(kind: str, budget: Decimal) -> list[Any]:
    from procurement.models import ProcurementKind
    from procurement.services.plans import PlanLotValues

    half = (budget / 2).quantize(Decimal("0.01"))
    return [
        PlanLotValues(name="教学一体机", kind=kind, budget=half),
        PlanLotValues(name="安装与培训服务", kind=ProcurementKind.SERVICES, budget=budget - half),
    ]


def make_plan(
    *,
    purchaser: User,
    bureau: User | None,
    intention: ProcurementIntention | None,
    submitted: bool = True,
    filed: bool = True,
    **fields: Any,
) -> ImplementationPlan:
    """A plan for `intention` (or exempt from one), submitted and filed unless told otherwise.

    `fields` are PlanValues fields. A method other than public tender without a ground gets its
    method's first statutory ground; where that needs the bureau's prior approval (GPL Art 27),
    `bureau` approves the request before filing the plan.
    """
    from procurement.models import METHOD_GROUNDS, ProcurementKind, ProcurementMethod, SmeMode
    from procurement.services import approve_method_change, create_plan, file_plan, submit_plan
    from procurement.services.plans import PlanValues

    values: dict[str, Any] = {
        "project_name": intention.project_name if intention else "市第一中学教学设备采购",
        "kind": ProcurementKind.GOODS,
        "method": ProcurementMethod.PUBLIC_TENDER,
        "budget": intention.budget if intention else Decimal("3000000.00"),
        "sme_mode": SmeMode.SHARE,
        "sme_share": Decimal("40"),
        "sme_reasons": "第二包预留给中小企业。",
        "intention": intention,
    }
    values.update(fields)
    method = values["method"]
    if method != ProcurementMethod.PUBLIC_TENDER and not values.get("method_ground"):
        values["method_ground"] = METHOD_GROUNDS[method][0]
        values.setdefault("method_reason", PLAN_REASON)
    values.setdefault("lots", _two_lots(values["kind"], values["budget"]))
    plan = create_plan(values=PlanValues(**values), acting_user=purchaser)
    if not (submitted or filed):
        return plan
    plan = submit_plan(plan=plan, acting_user=purchaser)
    if not filed:
        return plan
    assert bureau is not None, "a plan is filed by the bureau"
    pending = plan.method_approvals.pending().first()
    if pending is not None:
        approve_method_change(approval=pending, acting_user=bureau)
    return file_plan(plan=plan, acting_user=bureau)


def make_project(*, plan: ImplementationPlan, acting_user: User) -> Project:
    """The project and its draft lots, prepared from a filed plan."""
    from procurement.services import create_project

    return create_project(plan=plan, acting_user=acting_user)


# --------------------------------------------------------------------------------------------
# Tender settings, documents and the announcement


def pdf_bytes(pages: int = 1, *, marker: str = "") -> bytes:
    """A small valid PDF (blank A4 pages); `marker` goes into its metadata."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if marker:
        writer.add_metadata({"/Subject": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "招标文件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def lot_values(lot: Lot, *, deadline: dt.datetime, **overrides: Any) -> LotValues:
    """Tender settings inside every legal range for the lot's kind (comprehensive scoring)."""
    from procurement.models import EvaluationMethod, ProcurementKind
    from procurement.services.projects import CriterionValues, LotValues

    goods = lot.kind == ProcurementKind.GOODS
    values = LotValues(
        qualification_requirements="具有独立承担民事责任的能力；近三年无重大违法记录。",
        evaluation_method=EvaluationMethod.COMPREHENSIVE,
        bid_deadline=deadline,
        decryption_window_minutes=30,
        price_weight=Decimal("30") if goods else Decimal("20"),
        sme_deduction=None if lot.sme_reserved else Decimal("10"),
        criteria=[
            CriterionValues(name="技术方案", points=Decimal("50") if goods else Decimal("60")),
            CriterionValues(name="售后服务", points=Decimal("20")),
        ],
    )
    for name, value in overrides.items():
        setattr(values, name, value)
    return values


def set_up_lots(
    project: Project, *, deadline: dt.datetime, acting_user: User, **overrides: Any
) -> None:
    """Every draft lot's tender settings, with `deadline` (update_lot checks it against now) and
    `overrides` of lot_values (e.g. `category`)."""
    from procurement.models import LotState
    from procurement.services import update_lot

    for lot in project.lots.filter(state=LotState.DRAFT).order_by("number"):
        values = lot_values(lot, deadline=deadline, **overrides)
        update_lot(lot=lot, values=values, acting_user=acting_user)


def add_documents(project: Project, *, acting_user: User) -> None:
    from procurement.services import add_tender_document

    add_tender_document(
        project=project, upload=pdf_upload(), title="招标文件", acting_user=acting_user
    )


def announce(project: Project, *, acting_user: User) -> None:
    from procurement.services import publish_tender_announcement

    publish_tender_announcement(project=project, acting_user=acting_user)


def announcement_moment(deadline: dt.datetime) -> dt.datetime:
    """Now, or BID_PERIOD before `deadline` when that is earlier, so the bid period is legal."""
    return min(timezone.now(), deadline - BID_PERIOD)


def announced_project(
    *,
    purchaser: User,
    bureau: User,
    deadline: dt.datetime,
    announced_at: dt.datetime | None = None,
    acting_user: User | None = None,
    agency: Organisation | None = None,
    lot_settings: dict[str, Any] | None = None,
    **plan_fields: Any,
) -> Project:
    """A project whose lots were announced at `announced_at` with `deadline`, every step through
    its service: the intention published INTENTION_LEAD before, the plan filed, the lots set up,
    the documents added, the announcement published (`acting_user`: purchaser by default).

    `announced_at` defaults to `announcement_moment(deadline)`; `lot_settings` overrides the
    lots' tender settings (lot_values), e.g. {"category": a CatalogueCategory}.
    """

    moment = announced_at or announcement_moment(deadline)
    acting_user = acting_user or purchaser
    intention: ProcurementIntention | None = None
    if not plan_fields.get("intention_exempt"):
        intention = make_intention(purchaser=purchaser, published_at=moment - INTENTION_LEAD)
    with at_moment(moment):
        plan = make_plan(
            purchaser=purchaser, bureau=bureau, intention=intention, agency=agency, **plan_fields
        )
        project = make_project(plan=plan, acting_user=acting_user)
        set_up_lots(project, deadline=deadline, acting_user=acting_user, **(lot_settings or {}))
        add_documents(project, acting_user=acting_user)
        announce(project, acting_user=acting_user)
    project.refresh_from_db()
    return project
