"""The SME declaration letter's text for goods, services and works (财库〔2020〕46号 annex), and
the profile figures that prefill the supplier's own line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from common.errors import DomainError
from suppliers.models import Industry, SizeClass, SupplierProfile
from suppliers.services import set_size_class, update_size_figures
from suppliers.sme import SmeItem, declaration_text, items_from_data, prefill

pytestmark = pytest.mark.django_db

ITEMS = [
    SmeItem("教学一体机", "洛阳精工电子有限公司", "small", "industry", 86, "5200.50", "3100.00"),
    SmeItem("教学管理软件", "郑州启明软件有限公司", "micro", "software", None, "", ""),
]


def letter(kind: str) -> str:
    with translation.override("zh-hans"):
        return declaration_text(
            supplier_name="郑州甲科技有限公司",
            purchaser_name="郑州市教育局",
            project_name="教学设备采购项目",
            items=ITEMS,
            date_text="2026-03-20",
            kind=kind,
        )


def test_the_goods_letter_names_each_manufacturer_with_its_figures_and_size():
    text = letter("goods")
    assert "提供的货物全部由符合政策要求的中小企业制造" in text
    assert (
        "1. 教学一体机，属于工业；制造商为洛阳精工电子有限公司，从业人员86人，"
        "营业收入为5200.50万元，资产总额为3100.00万元，属于小型企业；"
    ) in text
    assert "2. 教学管理软件，属于软件和信息技术服务业；制造商为郑州启明软件有限公司，" in text
    assert "无上一年度数据（新成立企业），属于微型企业；" in text
    assert "不属于大企业的分支机构" in text and "企业名称（盖章）：郑州甲科技有限公司" in text
    assert "新成立企业可不填报" in text


@pytest.mark.parametrize(
    "kind, wording, role",
    [
        ("services", "服务全部由符合政策要求的中小企业承接", "承接企业为"),
        ("works", "工程的施工单位全部为符合政策要求的中小企业", "承建企业为"),
    ],
)
def test_services_and_works_letters_name_the_provider_or_builder(kind, wording, role):
    text = letter(kind)
    assert wording in text and f"{role}洛阳精工电子有限公司" in text
    assert "制造商" not in text


def test_old_lines_read_with_their_free_text_industry_and_zero_employees():
    (item,) = items_from_data(
        [
            {
                "item": "一体机",
                "manufacturer": "郑州甲科技有限公司",
                "size_class": "small",
                "industry": "工业",
                "employees": 0,
                "revenue": "5000",
                "total_assets": "3000",
            }
        ]
    )
    assert item.industry_label == "工业" and item.employees == 0 and item.has_figures


def test_the_supplier_saves_its_figures_on_the_profile_with_audit(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    client.force_login(cast.supplier)
    data = {
        "size_class": "small",
        "industry": "retail",
        "employees": "45",
        "revenue": "880.5",
        "total_assets": "",
        "figures_year": "2025",
    }
    response = client.post(reverse("suppliers:profile"), data)
    assert response.status_code == 200
    assert "或新成立企业三项均不填" in response.content.decode()
    response = client.post(reverse("suppliers:profile"), {**data, "total_assets": "300"})
    assert response.status_code == 302
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert (profile.industry, profile.employees, profile.revenue, profile.total_assets) == (
        Industry.RETAIL,
        45,
        Decimal("880.50"),
        Decimal("300.00"),
    )
    event = Event.objects.get(action="suppliers.size_figures.changed")
    assert event.data["new"]["employees"] == 45 and event.actor == cast.supplier
    assert event.data["old"]["employees"] is None
    # The same figures again change nothing and write no second event.
    client.post(reverse("suppliers:profile"), {**data, "total_assets": "300"})
    assert Event.objects.filter(action="suppliers.size_figures.changed").count() == 1
    assert prefill(organisation=organisation, profile=profile, item="复印纸") == {
        "item": "复印纸",
        "manufacturer": organisation.name,
        "size_class": "small",
        "industry": "retail",
        "employees": 45,
        "revenue": Decimal("880.50"),
        "total_assets": Decimal("300.00"),
    }


def test_a_large_enterprise_gets_no_prefilled_line(cast):
    organisation = cast.supplier.memberships.get().organisation
    profile = set_size_class(
        organisation=organisation, size_class=SizeClass.LARGE, acting_user=None
    )
    assert prefill(organisation=organisation, profile=profile, item="复印纸") == {}
    assert prefill(organisation=organisation, profile=None, item="复印纸") == {}


def test_the_service_refuses_half_the_figures_or_an_unknown_industry(cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    common = {"organisation": organisation, "figures_year": 2025, "acting_user": cast.supplier}
    with pytest.raises(DomainError):
        update_size_figures(
            industry="retail", employees=4, revenue=None, total_assets=None, **common
        )
    with pytest.raises(DomainError):
        update_size_figures(
            industry="mining", employees=None, revenue=None, total_assets=None, **common
        )
