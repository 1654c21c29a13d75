"""Qualification conditions the rules forbid (RULES.md B-5; O87 Art 17, D46 Art 5, IR Art 20,
财库〔2019〕38号): found in the lot's free text, quoted, cited, and refused when the lot is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from procurement.models import Lot
from procurement.qualification_rules import forbidden_conditions
from procurement.services import update_lot
from procurement.services._base import RulesBroken
from procurement.services.projects import qualification_problems

from .factories import lot_values, make_lot

FORBIDDEN = [
    # size conditions (O87 Art 17; D46 Art 5)
    ("注册资本不低于1000万元", "registered_capital"),
    ("注册资金500万元以上", "registered_capital"),
    ("具有1000万元以上的注册资本", "registered_capital"),
    ("注册资本不低于人民币1,000万元（含）", "registered_capital"),
    ("近三年年均营业收入不少于5000万元", "revenue"),
    ("资产总额达到1亿元以上", "total_assets"),
    ("员工人数不少于100人", "employees"),
    ("从业人员100人以上", "employees"),
    ("上年度净利润不低于200万元", "profit"),
    ("连续三年盈利", "profit"),
    ("年纳税额不低于50万元", "tax_paid"),
    ("成立时间不少于3年", "years_founded"),
    ("须成立满三年", "years_founded"),
    # ownership (IR Art 20(7); 财库〔2019〕38号)
    ("须为国有企业", "ownership"),
    ("仅限国有及国有控股企业", "ownership"),
    ("所有制形式为国有", "ownership"),
    ("国有企业优先", "ownership"),
    # place of registration, branches, regional records (IR Art 20(4)(7); 财库〔2019〕38号)
    ("须在本市注册", "locality"),
    ("本地注册企业", "locality"),
    ("注册地须在郑州市", "locality"),
    ("须在郑州市设立分支机构", "locality"),
    ("在本地设有售后服务网点", "locality"),
    ("具有郑州市内类似项目业绩", "regional_record"),
    ("具有本省同类项目业绩", "regional_record"),
]

ALLOWED = [
    "具有独立承担民事责任的能力",
    "营业执照",
    "具有有效的营业执照",
    "具有良好的商业信誉和健全的财务会计制度",
    "有依法缴纳税收和社会保障资金的良好记录",
    "参加政府采购活动前三年内，在经营活动中没有重大违法记录",
    "参加政府采购活动前三年内在经营活动中没有重大违法记录",
    "具备履行合同所必需的设备和专业技术能力",
    "未被列入失信被执行人、重大税收违法失信主体、政府采购严重违法失信行为记录名单",
    "项目负责人须具有高级工程师职称",
    "配备不少于5名技术人员",
    "项目团队成员不少于10人",
    "本项目不接受联合体投标",
    "不限所有制形式",
    "不得将注册资本作为资格条件",
    "须在中华人民共和国境内注册",
    "提供近三年营业收入情况的财务审计报告",
    "须提供近3年的财务报表",
    "具有智慧城市项目业绩",
    "供应商不属于大企业的分支机构",
    "售后服务响应时间不超过2小时",
    "统一社会信用代码",
]


@pytest.mark.parametrize("text, key", FORBIDDEN)
def test_it_finds_a_forbidden_condition(text, key):
    found = forbidden_conditions(text)
    assert [f.condition.key for f in found] == [key]
    assert found[0].phrase == text


@pytest.mark.parametrize("text", ALLOWED)
def test_it_accepts_a_lawful_requirement(text):
    assert forbidden_conditions(text) == []


def test_it_quotes_each_clause_without_its_numbering():
    text = "1. 具有独立承担民事责任的能力；\n2. 注册资本不低于1000万元；\n3. 须为国有企业。"
    assert [f.phrase for f in forbidden_conditions(text)] == [
        "注册资本不低于1000万元",
        "须为国有企业",
    ]


def test_the_message_quotes_the_phrase_and_cites_the_article():
    with translation.override("zh-hans"):
        [message] = qualification_problems("注册资本不低于1000万元")
    assert message.startswith(
        "资格要求“注册资本不低于1000万元”不符合规定：不得将规模条件作为资格要求"
    )
    assert "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十七条" in message
    assert "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第五条" in message
    with translation.override("zh-hans"):
        [message] = qualification_problems("须在本市设立分支机构")
    assert "《中华人民共和国政府采购法实施条例》第二十条第七项" in message
    assert "财库〔2019〕38号" in message


@pytest.mark.django_db
def test_saving_a_lot_with_a_registered_capital_floor_is_refused(cast):
    lot = make_lot(cast)
    deadline = timezone.now() + dt.timedelta(days=30)
    values = lot_values(
        lot,
        deadline=deadline,
        qualification_requirements="具有独立承担民事责任的能力；注册资本不低于1000万元。",
    )
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=values, acting_user=cast.purchaser)
    [message] = excinfo.value.messages
    assert "“注册资本不低于1000万元”" in message and "第十七条" in message
    assert Lot.objects.get(pk=lot.pk).qualification_requirements == ""
    values.qualification_requirements = "具有独立承担民事责任的能力；具有有效的营业执照。"
    update_lot(lot=lot, values=values, acting_user=cast.purchaser)
    assert "营业执照" in Lot.objects.get(pk=lot.pk).qualification_requirements
