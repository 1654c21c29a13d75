"""Expert database and committees demo (issue 11 §1–§2).

1. expert1…expert6 get expert profiles: expert1…expert5 specialise in 通用设备 (A02), expert6 in
   计算机设备 (A020101); eight more experts are imported through the bureau's import service from
   a CSV written here (computers, 计算机设备 A020101).
2. The opened lot of the bidding stage (自助借还设备) names 计算机设备 as its category (written
   directly: an announced lot's settings are not edited) and its committee is drawn through the
   service by the purchaser, the evaluation on the next working day at 09:00; every expert drawn
   accepts, so the leader is drawn and the committee is complete.
3. The lot whose opening is in progress (理化生实验室设备) names 通用设备 (A02): exactly five
   experts (expert1…expert5) specialise in it, so all five are invited, expert1 among them, and
   expert1 finds the invitation to answer on its home and to-do list.

Idempotent: a profile is made once per user, the import rejects the experts already there, a lot
with a committee is skipped. Run after s60_bidding.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from experts.models import Committee, Expert, ExpertTitle, MemberState
from experts.services import CommitteeValues, accept_invitation, form_committee
from experts.services.database import COLUMNS, id_check_character, import_experts
from procurement.models import CatalogueCategory, Lot
from workdays.calendar import SHANGHAI, add_working_days

from . import DemoContext

PROFILES = {
    "expert1": ("41010219700315", "A02"),
    "expert2": ("41010319750620", "A02"),
    "expert3": ("41010419680901", "A02"),
    "expert4": ("41010519720112", "A02"),
    "expert5": ("41010619800228", "A02"),
    "expert6": ("41010719830707", "A020101"),
}
IMPORTED = [
    ("高建华", "41010219710405", "13837100001", "郑州轻工业大学"),
    ("林志远", "41010319760811", "13837100002", "河南省信息中心"),
    ("马丽娟", "41010419790123", "13837100003", "郑州航空工业管理学院"),
    ("宋振宇", "41010519660530", "13837100004", "河南工业大学"),
    ("唐雅琴", "41010619820917", "13837100005", "中原工学院"),
    ("许文博", "41010719740302", "13837100006", "河南财经政法大学"),
    ("曹静怡", "41010819850614", "13837100007", "郑州师范学院"),
    ("邓国强", "41010919690825", "13837100008", "河南省计算中心"),
]
OPENED_PROJECT = "市图书馆自助借还设备采购项目"
OPENING_PROJECT = "市第三中学实验室设备采购项目"


def _id_number(first14: str, serial: str) -> str:
    body = first14 + serial
    return body + id_check_character(body)


def _profiles(ctx: DemoContext) -> int:
    made = 0
    for n, (username, (born, code)) in enumerate(PROFILES.items(), start=1):
        user = ctx.users[username]
        if Expert.objects.filter(user=user).exists():
            continue
        if not user.phone:
            user.phone = f"1393710{n:04d}"
            user.save(update_fields=["phone"])
        expert = Expert.objects.create(
            user=user,
            id_number=_id_number(born, f"{n:03d}"),
            title=ExpertTitle.SENIOR,
            region_code="410100",
            region_name="河南省郑州市",
        )
        expert.specialties.set([CatalogueCategory.objects.get(code=code)])
        made += 1
    return made


def _import(ctx: DemoContext) -> int:
    header = ",".join(COLUMNS.values())
    lines = [header]
    for i, (name, born, phone, employer) in enumerate(IMPORTED, start=1):
        row = [name, _id_number(born, f"{i + 10:03d}"), phone, "", "高级", employer, "",
               "410100", "河南省郑州市", "A020101"]  # fmt: skip
        lines.append(",".join(row))
    upload = SimpleUploadedFile("demo-experts.csv", "\n".join(lines).encode("utf-8"))
    report = import_experts(upload=upload, acting_user=ctx.users["bureau"])
    return len(report.created)


def _next_working_day_at(hour: int) -> dt.datetime:
    today = timezone.localdate()
    day = add_working_days(today, 1)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


def _lot(project_name: str, code: str) -> Lot | None:
    lot = Lot.objects.filter(project__name=project_name).select_related("project").first()
    if lot is None or Committee.objects.filter(lot=lot).exists():
        return None
    if lot.category_id is None:
        # The bidding stage announced the lot without a category; the demo writes it directly.
        lot.category = CatalogueCategory.objects.get(code=code)
        lot.save(update_fields=["category"])
    return lot


def run(ctx: DemoContext) -> None:
    made = _profiles(ctx)
    imported = _import(ctx)
    if made or imported:
        ctx.say(f"experts: {made} expert profiles, {imported} experts imported from a CSV")
    purchaser = ctx.users["purchaser"]
    opened = _lot(OPENED_PROJECT, "A020101")
    if opened is not None:
        committee = form_committee(
            lot=opened,
            values=CommitteeValues(evaluation_at=_next_working_day_at(9), size=5),
            acting_user=purchaser,
        )
        for member in committee.members.filter(state=MemberState.INVITED).select_related("user"):
            accept_invitation(member=member, acting_user=member.user)
        ctx.say(f"experts: lot {opened.pk} has its committee drawn, accepted and its leader")
    opening = _lot(OPENING_PROJECT, "A02")
    if opening is not None:
        form_committee(
            lot=opening,
            values=CommitteeValues(evaluation_at=_next_working_day_at(14), size=5),
            acting_user=purchaser,
        )
        ctx.say(f"experts: lot {opening.pk} committee invited; expert1 has an invitation to answer")
