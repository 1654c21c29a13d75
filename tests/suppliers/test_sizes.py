"""The declared enterprise size against its industry and figures (工信部联企业〔2011〕300号 Art 4):
the profile warns, a bid's SME letter refuses a line whose size contradicts its figures, and a size
change is audited as itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import Event
from common.errors import DomainError
from suppliers.models import Industry, SizeClass
from suppliers.services import set_size_class
from suppliers.sizes import classify
from suppliers.sme import check_items

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "industry, employees, revenue, assets, expected",
    [
        # (十二) software: the walk's supplier, 180 staff and 6,800万 revenue, is medium
        (Industry.SOFTWARE, 180, "6800", "5200", SizeClass.MEDIUM),
        (Industry.SOFTWARE, 10, "50", "1", SizeClass.SMALL),
        (Industry.SOFTWARE, 9, "5000", "1", SizeClass.MICRO),
        (Industry.SOFTWARE, 300, "10000", "1", SizeClass.LARGE),
        # either indicator below the ceiling keeps it small or medium-sized ("……以下或……以下")
        (Industry.SOFTWARE, 300, "9999.99", "1", SizeClass.MEDIUM),
        (Industry.INDUSTRY, 1000, "40000", "1", SizeClass.LARGE),
        (Industry.INDUSTRY, 8, "160", "90", SizeClass.MICRO),
        (Industry.WHOLESALE, 18, "2600", "900", SizeClass.SMALL),
        (Industry.WHOLESALE, 20, "5000", "900", SizeClass.MEDIUM),
        # (三) construction counts revenue and total assets, not staff
        (Industry.CONSTRUCTION, 5000, "6000", "4999", SizeClass.SMALL),
        (Industry.CONSTRUCTION, 1, "80000", "80000", SizeClass.LARGE),
        # (十五) leasing counts staff and total assets
        (Industry.LEASING, 100, "99999", "8000", SizeClass.MEDIUM),
        # (一) agriculture: revenue alone; (十六) other industries: staff alone
        (Industry.AGRICULTURE, 900, "49.99", "1", SizeClass.MICRO),
        (Industry.OTHER, 300, "1", "1", SizeClass.LARGE),
        (Industry.OTHER, 10, "999999", "1", SizeClass.SMALL),
    ],
)
def test_the_figures_give_the_size_of_the_300_table(industry, employees, revenue, assets, expected):
    got = classify(
        industry=industry, employees=employees, revenue=Decimal(revenue), total_assets=assets
    )
    assert got == expected


def test_without_figures_or_a_known_industry_the_size_cannot_be_told():
    assert classify(industry=Industry.SOFTWARE, employees=None, revenue="", total_assets="") is None
    assert classify(industry="工业", employees=5, revenue="1", total_assets="1") is None


def profile_data(**extra) -> dict:
    return {
        "size_class": "micro",
        "industry": "software",
        "employees": "180",
        "revenue": "6800.00",
        "total_assets": "5200.00",
        "figures_year": "2025",
        **extra,
    }


def test_the_profile_warns_a_size_smaller_than_the_figures_allow(client, cast):
    client.force_login(cast.supplier)
    response = client.post(reverse("suppliers:profile"), profile_data())
    assert response.status_code == 302
    told = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "工信部联企业〔2011〕300号第四条（十二）" in told and "中型企业" in told
    assert "微型企业" in told
    # The page after the save tells it once, in its one message; later visits show the check.
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert 'data-testid="size-check"' not in page and page.count("投标时将被拒绝") == 1
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert 'data-testid="size-check"' in page and "alert-warning" in page
    assert "投标时将被拒绝" in page and "alert-danger" not in page
    # Declared as the figures give: the page says so, without a warning.
    client.post(reverse("suppliers:profile"), profile_data(size_class="medium"))
    client.get(reverse("suppliers:profile"))  # the page with the save's message
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert "alert-warning" not in page and "与声明一致" in page


def test_a_size_change_is_audited_as_itself_with_old_and_new(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    client.force_login(cast.supplier)
    client.post(reverse("suppliers:profile"), profile_data())
    event = Event.objects.get(action="suppliers.size.changed", actor=cast.supplier)
    assert event.data == {"old": "small", "new": "micro"}
    figures = Event.objects.get(action="suppliers.size_figures.changed")
    assert figures.data["old"]["employees"] is None
    assert figures.data["new"]["employees"] == 180 and figures.data["new"]["revenue"] == "6800.00"
    # The bank account did not change: no bank event is written for it.
    assert not Event.objects.filter(action="suppliers.bank_account.changed").exists()


LINE = {
    "item": "教学管理软件",
    "manufacturer": "郑州启明软件有限公司",
    "size_class": "micro",
    "industry": "software",
    "employees": 180,
    "revenue": "6800.00",
    "total_assets": "5200.00",
}


def test_the_service_refuses_a_letter_line_whose_size_contradicts_its_figures():
    with pytest.raises(DomainError) as excinfo:
        check_items([LINE])
    message = str(excinfo.value)
    assert message == (
        "中小企业声明第 1 行：按工信部联企业〔2011〕300号第四条（十二），软件和信息技术服务业中"
        "具有上述数据的企业属于中型企业，而非微型企业。"
    )
    assert check_items([{**LINE, "size_class": "medium"}])[0]["size_class"] == "medium"
    # A firm founded this year has no figures to check against.
    new_firm = {**LINE, "employees": "", "revenue": "", "total_assets": ""}
    assert check_items([new_firm])[0]["size_class"] == "micro"
