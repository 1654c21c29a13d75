"""Organisations and one user per role (issue 2 §9)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
from accounts.uscc import check_character

from . import DEMO_PASSWORD, DemoContext


def uscc(prefix: str, region: str, serial: int) -> str:
    body = f"{prefix}{region}{serial:09d}"
    return body + check_character(body)


# The demo city: Pingdingshan (平顶山市, administrative division 410400) in Henan. Offices of the
# city are registered at the city's code, enterprises at their district's (GB/T 2260).
CITY_CODE = "410400"
CITY_NAME = "河南省平顶山市"
DISTRICTS = {
    "410402": "河南省平顶山市新华区",
    "410403": "河南省平顶山市卫东区",
    "410411": "河南省平顶山市湛河区",
}


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: str
    name: str
    prefix: str  # registration prefix (GB 32100): 11 organ of state, 12 institution, 91 enterprise
    serial: int
    region_code: str
    legal_representative: str
    address: str
    contact_phone: str

    @property
    def region_name(self) -> str:
        return CITY_NAME if self.region_code == CITY_CODE else DISTRICTS[self.region_code]


K = OrganisationKind
ORGANISATIONS = [
    DemoOrganisation(
        "bureau",
        K.BUREAU,
        "平顶山市财政局",
        "11",
        1,
        CITY_CODE,
        "高建民",
        "平顶山市新华区建设路中段 6 号",
        "0375-2661234",
    ),
    DemoOrganisation(
        "purchaser1",
        K.PURCHASER,
        "平顶山市教育局",
        "11",
        2,
        CITY_CODE,
        "王晓东",
        "平顶山市新华区光明路 18 号",
        "0375-2670000",
    ),
    DemoOrganisation(
        "purchaser2",
        K.PURCHASER,
        "平顶山市卫生健康委员会",
        "11",
        3,
        CITY_CODE,
        "陈立平",
        "平顶山市卫东区建设路东段 12 号",
        "0375-2680101",
    ),
    DemoOrganisation(
        "agency",
        K.AGENCY,
        "平顶山鹰城招标代理有限公司",
        "91",
        4,
        "410402",
        "刘卫国",
        "平顶山市新华区中兴路 88 号",
        "0375-2690202",
    ),
    DemoOrganisation(
        "supplier1",
        K.SUPPLIER,
        "平顶山华信科技股份有限公司",
        "91",
        5,
        "410411",
        "张振华",
        "平顶山市湛河区开源路 66 号",
        "0375-3365001",
    ),
    DemoOrganisation(
        "supplier2",
        K.SUPPLIER,
        "平顶山绿源办公用品有限公司",
        "91",
        6,
        "410403",
        "陈秀兰",
        "平顶山市卫东区东环路 21 号",
        "0375-3365002",
    ),
    DemoOrganisation(
        "supplier3",
        K.SUPPLIER,
        "河南小禾信息技术有限公司",
        "91",
        7,
        "410402",
        "杨建军",
        "平顶山市新华区矿工路 150 号",
        "0375-3365003",
    ),
    DemoOrganisation(
        "supplier4",
        K.SUPPLIER,
        "平顶山微光印务有限公司",
        "91",
        8,
        "410411",
        "黄国强",
        "平顶山市湛河区姚孟路 9 号",
        "0375-3365004",
    ),
    DemoOrganisation(
        "bank",
        K.BANK,
        "中原银行平顶山分行",
        "91",
        9,
        "410402",
        "王志刚",
        "平顶山市新华区中兴路 1 号",
        "0375-2288000",
    ),
    DemoOrganisation(
        "university",
        K.PURCHASER,
        "平顶山学院",
        "12",
        10,
        "410411",
        "李春阳",
        "平顶山市湛河区未来路南段",
        "0375-2657000",
    ),
]

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
    for o in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            uscc=uscc(o.prefix, o.region_code, o.serial),
            defaults={
                "kind": o.kind,
                "name": o.name,
                "region_code": o.region_code,
                "region_name": o.region_name,
                "legal_representative": o.legal_representative,
                "address": o.address,
                "contact_phone": o.contact_phone,
            },
        )
        ctx.orgs[o.key] = org
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
