"""Organisations and one user per role (issue 2 §9)."""

from __future__ import annotations

from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
from accounts.uscc import check_character

from . import DEMO_PASSWORD, DemoContext


def uscc(prefix: str, region: str, serial: int) -> str:
    body = f"{prefix}{region}{serial:09d}"
    return body + check_character(body)


# key, kind, name, registration prefix (GB 32100: 1=organ of state, 9=enterprise), serial
ORGANISATIONS = [
    ("bureau", OrganisationKind.BUREAU, "郑州市财政局", "11", 1),
    ("purchaser1", OrganisationKind.PURCHASER, "郑州市教育局", "11", 2),
    ("purchaser2", OrganisationKind.PURCHASER, "郑州市卫生健康委员会", "11", 3),
    ("agency", OrganisationKind.AGENCY, "河南中原招标代理有限公司", "91", 4),
    ("supplier1", OrganisationKind.SUPPLIER, "郑州华信科技股份有限公司", "91", 5),
    ("supplier2", OrganisationKind.SUPPLIER, "郑州绿源办公用品有限公司", "91", 6),
    ("supplier3", OrganisationKind.SUPPLIER, "河南小禾信息技术有限公司", "91", 7),
    ("supplier4", OrganisationKind.SUPPLIER, "郑州微光印务工作室有限公司", "91", 8),
    ("bank", OrganisationKind.BANK, "中原银行郑州分行", "91", 9),
    ("university", OrganisationKind.PURCHASER, "郑州大学", "12", 10),
]

# Each organisation its own legal representative: the expert draw excludes an expert whose
# employer has the same legal representative as a bidder (experts.services.draw).
LEGAL_REPRESENTATIVES = {
    "bureau": "郑财政",
    "purchaser1": "王教育",
    "purchaser2": "李卫健",
    "agency": "赵中原",
    "supplier1": "张华信",
    "supplier2": "陈绿源",
    "supplier3": "杨小禾",
    "supplier4": "黄微光",
    "bank": "孙中原",
    "university": "刘郑大",
}

# username, full name, organisation key, extra fields
USERS = [
    ("bureau", "财政局监管员 刘敏", "bureau", {"is_staff": True}),
    ("purchaser", "教育局采购员 王芳", "purchaser1", {}),
    ("purchaser2", "卫健委采购员 李强", "purchaser2", {}),
    ("agency", "代理机构项目经理 赵磊", "agency", {}),
    ("supplier", "华信科技投标专员 张伟", "supplier1", {}),
    ("supplier2", "绿源办公投标专员 陈静", "supplier2", {}),
    ("supplier3", "小禾信息投标专员 杨洋", "supplier3", {}),
    ("supplier4", "微光印务投标专员 黄丽", "supplier4", {}),
    ("bank", "中原银行客户经理 孙涛", "bank", {}),
]

EXPERTS = [
    ("expert1", "周建国", "university"),
    ("expert2", "吴晓梅", "university"),
    ("expert3", "郑海峰", "purchaser2"),
    ("expert4", "冯雪", "agency"),
    ("expert5", "何立新", "supplier1"),
    ("expert6", "罗文静", "bank"),
]


def _user(username: str, full_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.email = f"{username}@demo.yangguang.cn"
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def run(ctx: DemoContext) -> None:
    for key, kind, name, prefix, serial in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            uscc=uscc(prefix, "410100", serial),
            defaults={
                "kind": kind,
                "name": name,
                "region_code": "410100",
                "region_name": "河南省郑州市",
                "legal_representative": LEGAL_REPRESENTATIVES[key],
            },
        )
        ctx.orgs[key] = org
    for username, full_name, org_key, extra in USERS:
        user = _user(username, full_name, **extra)
        Membership.objects.get_or_create(
            user=user, organisation=ctx.orgs[org_key], defaults={"role": MembershipRole.ADMIN}
        )
        ctx.users[username] = user
    for username, full_name, employer_key in EXPERTS:
        ctx.users[username] = _user(
            username, full_name, is_expert=True, employer=ctx.orgs[employer_key]
        )
    ctx.say(
        f"Demo sign-ins (password for all: {DEMO_PASSWORD}): bureau, purchaser, purchaser2, agency, "
        "supplier, supplier2, supplier3, supplier4, bank, expert1…expert6"
    )
