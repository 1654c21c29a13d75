"""Notices and intentions for the portal tests, as rows of the public record.

The portal only reads. Its tests need many rows of every kind (results and contracts too, which
no service publishes yet), at chosen moments with ties, and a list test needs them by the
hundred: these are written as the rows the publishing services leave, in one bulk insert, and
stand for no single service. A test of what a publication does (its clock, its lot's state, its
PDF) builds it through the service: tests/procurement/factories.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from accounts.models import Organisation, OrganisationKind
from procurement.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    IntentionStatus,
    ProcurementIntention,
    ProcurementMethod,
    Project,
)
from tests.factories import OrganisationFactory
from tests.procurement import factories as procurement_factories

START = dt.datetime(2026, 5, 29, 16, 0, tzinfo=dt.UTC)  # 2026-05-30 00:00 in Shanghai
KINDS = [k for k, _label in AnnouncementKind.choices]
METHODS = [m for m, _label in ProcurementMethod.choices]


def purchasers() -> list[Organisation]:
    """Three purchasers in two regions (made once per test)."""
    made = list(Organisation.objects.filter(name__startswith="门户测试").order_by("name"))
    if made:
        return made
    return [
        OrganisationFactory(
            kind=OrganisationKind.PURCHASER, name="门户测试市教育局", region_code="410100"
        ),
        OrganisationFactory(
            kind=OrganisationKind.PURCHASER, name="门户测试市卫健委", region_code="410100"
        ),
        OrganisationFactory(
            kind=OrganisationKind.PURCHASER,
            name="门户测试开封市水利局",
            region_code="410200",
            region_name="开封市",
        ),
    ]


def make_project(cast) -> Project:
    """A project for announcements to belong to, prepared through the services; its plan is
    exempt from an intention, so the portal's intention lists hold only the tests' own rows."""
    return procurement_factories.make_project(
        cast, intention_exempt=True, exemption_reason="门户测试：紧急采购，无法预见。"
    )


def make_announcements(
    cast,
    n: int,
    *,
    project: Project | None = None,
    start: dt.datetime = START,
    step: dt.timedelta = dt.timedelta(hours=7),
    same_moment_every: int = 1,
    status: str = AnnouncementStatus.PUBLISHED,
    **fields,
) -> list[Announcement]:
    """n announcements cycling through kinds, methods and purchasers, newest last.

    Every `same_moment_every` consecutive rows share one published_at (ties on purpose).
    """
    project = project or make_project(cast)
    orgs = purchasers()
    rows = []
    cycle = zip(
        itertools.cycle(KINDS), itertools.cycle(METHODS), itertools.cycle(orgs), strict=False
    )
    for i, (kind, method, org) in zip(range(n), cycle, strict=False):
        published_at = start + step * (i // same_moment_every)
        values = {
            "kind": kind,
            "project": project,
            "title": f"{org.name}第{i:03d}号{AnnouncementKind(kind).label}",
            "purchaser": org,
            "region_code": org.region_code,
            "method": method,
            "budget": Decimal(100000 + i),
            "data": {"number": i, "summary": f"第{i}号公告的内容"},
            "search_text": f"{org.name} 第{i:03d}号 项目{project.code} {'电梯' if i % 5 == 0 else '桌椅'}",
            "status": status,
            "published_at": published_at if status == AnnouncementStatus.PUBLISHED else None,
        }
        values.update(fields)
        rows.append(Announcement(**values))
    return Announcement.objects.bulk_create(rows)


def make_intentions(
    cast,
    n: int,
    *,
    start: dt.datetime = START,
    step: dt.timedelta = dt.timedelta(hours=5),
    same_moment_every: int = 1,
    status: str = IntentionStatus.PUBLISHED,
) -> list[ProcurementIntention]:
    orgs = purchasers()
    rows = []
    for i, org in zip(range(n), itertools.cycle(orgs), strict=False):
        published = status == IntentionStatus.PUBLISHED
        rows.append(
            ProcurementIntention(
                purchaser=org,
                project_name=f"{org.name}意向{i:03d}{'空调' if i % 4 == 0 else '电脑'}",
                summary=f"第{i}号采购意向的需求概况",
                budget=Decimal(50000 + i),
                expected_month=dt.date(2026, 7, 1),
                sme_reserved=i % 3 == 0,
                contact_name="王老师",
                contact_phone="0371-12345678",
                status=status,
                published_at=start + step * (i // same_moment_every) if published else None,
                region_code=org.region_code if published else "",
                created_by=cast.purchaser,
            )
        )
    return ProcurementIntention.objects.bulk_create(rows)
