"""Seed the benchmark database fast: bulk_create in batches, straight into the tables.

This is a benchmark fixture, not demo data: it bypasses the procurement services on purpose
(no audit events, no history rows, no clocks, no PDFs) because it only has to give the public
pages the shape of a city's notice archive at scale — 100,000 announcements over three years,
realistic titles and search text, a skew of kinds, purchasers in a dozen districts.
Deterministic (a fixed random seed), so two runs measure the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from portal.pagination import FORWARD, Cursor, encode_cursor
from procurement.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    ImplementationPlan,
    IntentionStatus,
    PlanStatus,
    ProcurementIntention,
    ProcurementKind,
    ProcurementMethod,
    Project,
    SmeMode,
)

_T = TypeVar("_T")

BATCH = 2000
SPAN_DAYS = 3 * 365
ANNOUNCEMENTS_PER_PROJECT = 4

REGIONS = [
    ("410102", "中原区"),
    ("410103", "二七区"),
    ("410104", "管城回族区"),
    ("410105", "金水区"),
    ("410106", "上街区"),
    ("410108", "惠济区"),
    ("410122", "中牟县"),
    ("410181", "巩义市"),
    ("410182", "荥阳市"),
    ("410183", "新密市"),
    ("410184", "新郑市"),
    ("410185", "登封市"),
]
UNITS = [
    "教育局",
    "卫生健康委员会",
    "人民医院",
    "中医院",
    "第一中学",
    "实验小学",
    "公安分局",
    "市场监督管理局",
    "交通运输局",
    "城市管理局",
    "文化广电和旅游局",
    "农业农村局",
]
GOODS = [
    "教学一体机",
    "办公家具",
    "医用CT设备",
    "实验室仪器",
    "执法记录仪",
    "图书",
    "课桌椅",
    "服务器及存储设备",
    "电梯",
    "空调设备",
    "救护车",
    "台式计算机",
]
SERVICES = [
    "物业管理服务",
    "食堂餐饮服务",
    "安保服务",
    "信息化系统运维服务",
    "道路保洁服务",
    "审计服务",
    "绿化养护服务",
    "档案数字化服务",
]
KIND_WEIGHTS = [
    (AnnouncementKind.TENDER, 35),
    (AnnouncementKind.RESULT, 25),
    (AnnouncementKind.CORRECTION, 12),
    (AnnouncementKind.CONTRACT, 18),
    (AnnouncementKind.CANCELLATION, 5),
    (AnnouncementKind.CLARIFICATION, 5),
]
KIND_SUFFIX = {
    AnnouncementKind.TENDER: "招标公告",
    AnnouncementKind.CORRECTION: "更正公告",
    AnnouncementKind.CANCELLATION: "终止公告",
    AnnouncementKind.CLARIFICATION: "澄清公告",
    AnnouncementKind.RESULT: "结果公告",
    AnnouncementKind.CONTRACT: "合同公告",
}
METHOD_WEIGHTS = [
    (ProcurementMethod.PUBLIC_TENDER, 50),
    (ProcurementMethod.COMPETITIVE_CONSULTATION, 20),
    (ProcurementMethod.COMPETITIVE_NEGOTIATION, 10),
    (ProcurementMethod.REQUEST_FOR_QUOTATION, 15),
    (ProcurementMethod.SINGLE_SOURCE, 5),
]


def _uscc(n: int, prefix: str) -> str:
    """A valid unified social credit code (GB 32100-2015 check character)."""
    from accounts.uscc import check_character

    body = f"{prefix}410100{n:09d}"[:17]
    return body + check_character(body)


def _pick(rng: random.Random, weighted: Sequence[tuple[_T, int]]) -> _T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _organisations() -> tuple[list[Organisation], list[Organisation]]:
    purchasers = [
        Organisation(
            kind=OrganisationKind.PURCHASER,
            name=f"郑州市{region_name}{unit}",
            uscc=_uscc(i, "12"),
            region_code=code,
            region_name=region_name,
        )
        for i, ((code, region_name), unit) in enumerate(
            ((r, u) for r in REGIONS for u in UNITS), start=1
        )
    ]
    agencies = [
        Organisation(
            kind=OrganisationKind.AGENCY,
            name=f"河南第{i}招标代理有限公司",
            uscc=_uscc(900 + i, "91"),
            region_code="410100",
            region_name="郑州市",
        )
        for i in range(1, 21)
    ]
    return (
        Organisation.objects.bulk_create(purchasers, batch_size=BATCH),
        Organisation.objects.bulk_create(agencies, batch_size=BATCH),
    )


def _moments(rng: random.Random, n: int, end: dt.datetime) -> list[dt.datetime]:
    """n publication moments over three years, oldest first, to the second (ties happen)."""
    start = end - dt.timedelta(days=SPAN_DAYS)
    seconds = sorted(rng.randrange(SPAN_DAYS * 86400) for _ in range(n))
    return [start + dt.timedelta(seconds=s) for s in seconds]


def _party(org: Organisation | None) -> dict | None:
    if org is None:
        return None
    return {
        "name": org.name,
        "address": "",
        "contact_phone": "0371-67880000",
        "region_name": org.region_name,
    }


def _data(rng: random.Random, kind: str, project: Project, moment: dt.datetime) -> dict:
    """A snapshot shaped like procurement's (services/announcements.py) for each kind."""
    snapshot = {
        "code": project.code,
        "name": project.name,
        "kind": project.kind,
        "method": project.method,
        "budget": str(project.budget),
        "sme_mode": project.sme_mode,
        "contact_name": "王女士",
        "contact_phone": "0371-67880000",
        "purchaser": _party(project.purchaser),
        "agency": _party(project.agency),
        "intention": None,
        "exemption_reason": "",
    }
    lots = [
        {
            "number": n,
            "name": f"{project.name[-12:]}第{n}包",
            "kind": project.kind,
            "budget": str((project.budget / 2).quantize(Decimal("0.01"))),
            "max_price": None,
            "sme_reserved": n == 2,
            "qualification_requirements": "具有独立承担民事责任的能力；具有良好的商业信誉。",
            "evaluation_method": "comprehensive",
            "price_weight": "30.00",
            "sme_deduction": "10.00",
            "criteria": [
                {"name": "技术方案", "points": "40.00", "description": "方案完整、可行"},
                {"name": "售后服务", "points": "30.00", "description": ""},
            ],
            "bid_deadline": (moment + dt.timedelta(days=21)).isoformat(),
            "opening_at": (moment + dt.timedelta(days=21)).isoformat(),
            "decryption_window_minutes": 30,
        }
        for n in (1, 2)
    ]
    original = {"title": f"{project.name}公开招标公告", "published_at": moment.isoformat()}
    data: dict = {"project": snapshot}
    if kind == AnnouncementKind.TENDER:
        data |= {"lots": lots, "documents": [], "documents_from": moment.isoformat()}
    elif kind == AnnouncementKind.CORRECTION:
        data |= {"original": original, "corrections": "开标时间顺延，其他内容不变。"}
    elif kind == AnnouncementKind.CANCELLATION:
        data |= {"original": original, "lots": lots[:1], "reason": "因预算调整，终止本项目采购。"}
    elif kind == AnnouncementKind.CLARIFICATION:
        data |= {"lot": lots[0], "question": "是否接受进口产品？", "answer": "不接受。"}
    else:
        data |= {"lots": lots, "supplier": f"河南第{rng.randrange(1, 99)}科技有限公司"}
    return data


@transaction.atomic
def seed(*, n: int, seed_value: int = 2026) -> None:
    """n published announcements in n/4 projects, and n/4 published intentions."""
    rng = random.Random(seed_value)
    now = timezone.now().replace(microsecond=0)
    user, _created = User.objects.get_or_create(
        username="bench", defaults={"full_name": "基准测试"}
    )
    purchasers, agencies = _organisations()
    projects_n = max(1, n // ANNOUNCEMENTS_PER_PROJECT)
    # 1. Plans and projects (one plan each, filed), the skeleton the notices hang on.
    plans, project_rows = [], []
    for _i in range(projects_n):
        purchaser = rng.choice(purchasers)
        services = rng.random() < 0.4
        item = rng.choice(SERVICES if services else GOODS)
        name = f"{purchaser.name}{item}采购项目"
        fields = {
            "kind": ProcurementKind.SERVICES if services else ProcurementKind.GOODS,
            "method": _pick(rng, METHOD_WEIGHTS),
            "budget": Decimal(rng.randrange(50_000, 20_000_000)),
            "sme_mode": SmeMode.WHOLE if rng.random() < 0.5 else SmeMode.NONE,
        }
        plans.append(
            ImplementationPlan(
                purchaser=purchaser,
                project_name=name,
                intention_exempt=True,
                status=PlanStatus.FILED,
                created_by=user,
                **fields,
            )
        )
        project_rows.append((purchaser, name, fields, item))
    plans = ImplementationPlan.objects.bulk_create(plans, batch_size=BATCH)
    projects = Project.objects.bulk_create(
        [
            Project(
                plan=plan,
                code=f"ZZCG-{2024 + i % 3}-{i:06d}",
                name=name,
                purchaser=purchaser,
                agency=rng.choice(agencies) if rng.random() < 0.6 else None,
                created_by=user,
                **fields,
            )
            for i, (plan, (purchaser, name, fields, _item)) in enumerate(
                zip(plans, project_rows, strict=True)
            )
        ],
        batch_size=BATCH,
    )
    # 2. Announcements, oldest first so ids follow publication time as in real life.
    batch: list[Announcement] = []
    for moment in _moments(rng, n, now):
        project = projects[rng.randrange(projects_n)]
        kind = _pick(rng, KIND_WEIGHTS)
        purchaser = project.purchaser
        title = f"{project.name}{KIND_SUFFIX[kind]}"
        data = _data(rng, kind, project, moment)
        batch.append(
            Announcement(
                kind=kind,
                project=project,
                title=title,
                purchaser=purchaser,
                agency=project.agency,
                region_code=purchaser.region_code,
                method=project.method,
                budget=project.budget,
                data=data,
                search_text=" ".join([title, project.code, purchaser.name, project.name]),
                status=AnnouncementStatus.PUBLISHED,
                published_at=moment,
                created_by=user,
            )
        )
        if len(batch) >= BATCH:
            Announcement.objects.bulk_create(batch)
            batch = []
    Announcement.objects.bulk_create(batch)
    # 3. Intentions: a quarter as many, published over the same three years.
    intentions = []
    for moment in _moments(rng, max(1, n // 4), now):
        purchaser = rng.choice(purchasers)
        item = rng.choice(GOODS + SERVICES)
        intentions.append(
            ProcurementIntention(
                purchaser=purchaser,
                project_name=f"{purchaser.name}{item}采购",
                summary=f"拟采购{item}，具体需求以采购文件为准。",
                budget=Decimal(rng.randrange(50_000, 5_000_000)),
                expected_month=(moment + dt.timedelta(days=45)).date().replace(day=1),
                sme_reserved=rng.random() < 0.5,
                contact_name="李先生",
                contact_phone="0371-66889900",
                status=IntentionStatus.PUBLISHED,
                published_at=moment,
                region_code=purchaser.region_code,
                created_by=user,
            )
        )
    ProcurementIntention.objects.bulk_create(intentions, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def targets() -> dict[str, list[str]]:
    """The URLs measured, by name: the floor first, then the public pages."""
    published = Announcement.objects.published().order_by("-published_at", "-id")
    tenders = published.filter(kind=AnnouncementKind.TENDER)
    region = REGIONS[3][0]
    filtered = tenders.filter(region_code=region)
    total = filtered.count()
    # A cursor 80 % of the way down the filtered list: page ~ total*0.8/20.
    deep = filtered.values_list("published_at", "id")[int(total * 0.8) : int(total * 0.8) + 1]
    deep_path = f"/announcements/?kind=tender&region={region}"
    if deep:
        token = encode_cursor(Cursor(tuple(deep[0]), FORWARD))
        deep_path += f"&cursor={token}"
    detail_ids = list(published.values_list("id", flat=True)[:10_000:200]) or [0]
    return {
        "floor": ["/bench/floor/"],
        "home": ["/"],
        "list_deep_filtered": [deep_path],
        "list_search": ["/announcements/?q=%E7%89%A9%E4%B8%9A%E7%AE%A1%E7%90%86"],  # 物业管理
        "intention_list": ["/intentions/"],
        "detail": [f"/announcements/{pk}/" for pk in detail_ids],
        "feed": ["/feeds/announcements/tender/"],
    }
