"""The SME declaration letter (中小企业声明函) on the bid form: one line per item with its
enterprise, that enterprise's figures and size (财库〔2020〕46号 annex), prefilled from the
supplier's profile, validated with clear messages, sealed with the bid and read at the opening."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from bidding.models import Bid, BiddingParameters
from bidding.services import decrypt_bid
from common.errors import DomainError
from procurement.services import close_lot
from suppliers.models import Industry, SizeClass
from suppliers.services import set_size_class, update_size_figures

from .helpers import PASSPHRASE, announced_lot, as_format_1, bid, pdf_file

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)

GOODS = {
    "item": "教学一体机",
    "industry": "industry",
    "manufacturer": "洛阳精工电子有限公司",
    "size_class": "small",
    "employees": "86",
    "revenue": "5200.50",
    "total_assets": "3100",
}
SOFTWARE = {
    "item": "教学管理软件",
    "industry": "software",
    "manufacturer": "郑州启明软件有限公司",
    "size_class": "micro",
    "employees": "",
    "revenue": "",
    "total_assets": "",
}


def form_data(lines: list[dict], *, declare: bool = True, initial: int = 0, **extra) -> dict:
    data = {
        "price": "4321.00",
        "files": [pdf_file()],
        "key_method": "passphrase",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
        "understood": "on",
        "sme-TOTAL_FORMS": str(len(lines)),
        "sme-INITIAL_FORMS": str(initial),
        "sme-MIN_NUM_FORMS": "0",
        "sme-MAX_NUM_FORMS": "1000",
        **extra,
    }
    if declare:
        data["sme_declare"] = "on"
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"sme-{i}-{key}"] = value
    return data


@pytest.fixture
def lot(cast):
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        return announced_lot(cast, deadline=DEADLINE)


@pytest.fixture
def profile(cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    return update_size_figures(
        organisation=organisation,
        industry=Industry.WHOLESALE,
        employees=18,
        revenue=Decimal("2600.00"),
        total_assets=Decimal("900.00"),
        figures_year=2025,
        acting_user=cast.supplier,
    )


def post(client, lot, data):
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        return client.post(reverse("bidding:submit", args=[lot.pk]), data)


def bid_page(client, lot) -> str:
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        return client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()


def test_the_form_prefills_the_suppliers_own_line_from_its_profile(client, cast, lot, profile):
    client.force_login(cast.supplier)
    page = bid_page(client, lot)
    assert 'name="sme-INITIAL_FORMS" value="1"' in page
    assert f'name="sme-0-item" value="{lot.name}"' in page
    assert 'name="sme-0-manufacturer" value="郑州甲科技有限公司"' in page
    assert 'name="sme-0-employees" value="18"' in page
    assert 'name="sme-0-revenue" value="2600.00"' in page
    assert '<option value="wholesale" selected>' in page
    assert '<option value="small" selected>' in page
    # The letter is only sent when ticked; a large enterprise is no choice in it.
    assert (
        'name="sme_declare"' in page and "checked" not in page.split('name="sme_declare"')[1][:40]
    )
    assert '<option value="large"' not in page.split('id="sme-rows"')[1]


def test_without_profile_figures_one_empty_line_is_offered(client, cast, lot):
    client.force_login(cast.supplier2)
    page = bid_page(client, lot)
    assert 'name="sme-TOTAL_FORMS" value="1"' in page
    assert 'name="sme-INITIAL_FORMS" value="0"' in page
    assert 'name="sme-0-manufacturer"' in page and 'sme-0-manufacturer" value' not in page


def test_a_letter_of_several_lines_is_sealed_and_read_at_the_opening(client, cast, lot, profile):
    BiddingParameters.objects.create(min_bids_public_tender=1)
    own = {
        "item": lot.name,
        "industry": "wholesale",
        "manufacturer": "郑州甲科技有限公司",
        "size_class": "small",
        "employees": "18",
        "revenue": "2600.00",
        "total_assets": "900.00",
    }
    removed = {**GOODS, "item": "投影仪", "DELETE": "on"}
    empty = dict.fromkeys(GOODS, "")
    client.force_login(cast.supplier)
    response = post(client, lot, form_data([own, removed, GOODS, SOFTWARE, empty], initial=1))
    assert response.status_code == 302, response.content.decode()[:3000]
    b = Bid.objects.get()
    assert b.sme_items == []  # sealed: nothing of the letter in clear
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=cast.supplier)
    b.refresh_from_db()
    assert [line["item"] for line in b.sme_items] == [lot.name, "教学一体机", "教学管理软件"]
    assert b.sme_items[1] == {
        "item": "教学一体机",
        "manufacturer": "洛阳精工电子有限公司",
        "size_class": "small",
        "industry": "industry",
        "employees": 86,
        "revenue": "5200.50",
        "total_assets": "3100.00",
    }
    assert b.sme_items[2]["employees"] is None and b.sme_items[2]["revenue"] == ""
    record = b.lot.opening.record["bids"][0]
    assert record["sme"] is True and len(record["sme_items"]) == 3
    client.force_login(cast.purchaser)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        page = client.get(reverse("bidding:opening", args=[lot.pk])).content.decode()
    assert 'data-testid="sme-letters"' in page
    for text in ["洛阳精工电子有限公司", "5200.50", "软件和信息技术服务业", "微型企业", "制造商"]:
        assert text in page, text
    assert "新成立企业" in page  # the line without last year's figures says why
    # The letter itself, in the annex's form, dated the day the bid was received.
    project = lot.project
    letter = [
        "中小企业声明函（货物）",
        f"本公司（联合体）郑重声明，根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）"
        f"的规定，本公司（联合体）参加{project.purchaser.name}的{project.name}采购活动",
        "2. 教学一体机，属于工业；"
        "制造商为洛阳精工电子有限公司，从业人员86人，营业收入为5200.50万元，"
        "资产总额为3100.00万元，属于小型企业；",
        "不存在控股股东为大企业的情形",
        "企业名称（盖章）：郑州甲科技有限公司",
        "日期：2026年3月23日",
    ]
    for text in letter:
        assert text in page, text
    assert "4,321.00 元" in page  # the price with thousands separators and its unit
    pdf = client.get(reverse("bidding:record_pdf", args=[lot.pk]))
    pdf_text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    flat = "".join(pdf_text.split())
    for text in [*letter, "4,321.00元"]:
        assert "".join(text.split()) in flat, text
    client.force_login(cast.supplier)
    receipt = client.get(reverse("bidding:receipt", args=[b.uuid])).content.decode()
    for text in [*letter, "4,321.00 元"]:
        assert text in receipt, text


@pytest.mark.parametrize(
    "lines, message",
    [
        ([{**GOODS, "manufacturer": ""}], "请填写制造或提供该标的的企业"),
        ([{**GOODS, "item": ""}], "请填写标的名称"),
        ([{**GOODS, "industry": ""}], "请选择采购文件载明的所属行业"),
        ([{**GOODS, "size_class": "large"}], "选择一个有效的选项"),
        ([{**GOODS, "size_class": ""}], "大型企业制造的货物不能声明"),
        ([{**GOODS, "revenue": ""}], "或新成立企业三项均不填"),
        ([{**GOODS, "employees": "-3"}], "从业人员不能为负数"),
        ([{**GOODS, "employees": "八十"}], "从业人员请填整数"),
        ([{**GOODS, "revenue": "12.345"}], "最多两位小数"),
        ([{**GOODS, "total_assets": "很多"}], "请以万元为单位填写数字"),
        ([GOODS, GOODS], "重复声明"),
        ([{**GOODS, "DELETE": "on"}], "请至少填写一行"),
        # 86 staff and 5,200.50万 in industry make a small enterprise, not a micro one
        (
            [{**GOODS, "size_class": "micro"}],
            "按工信部联企业〔2011〕300号第四条（二），工业中具有上述数据的企业属于小型企业，而非微型企业",
        ),
    ],
)
def test_the_lines_are_checked_with_clear_messages(client, cast, lot, lines, message):
    client.force_login(cast.supplier)
    response = post(client, lot, form_data(lines))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bid.objects.exists()


def test_a_letter_ticked_without_lines_is_refused(client, cast, lot):
    client.force_login(cast.supplier)
    data = form_data([])
    for key in [k for k in data if k.startswith("sme-")]:
        del data[key]
    response = post(client, lot, data)
    assert response.status_code == 400 and "请填写中小企业声明函的各行" in response.content.decode()
    assert not Bid.objects.exists()


def test_lines_are_ignored_when_no_letter_is_submitted(client, cast, lot):
    client.force_login(cast.supplier)
    response = post(client, lot, form_data([{**GOODS, "manufacturer": ""}], declare=False))
    assert response.status_code == 302
    assert Bid.objects.get().format_version == 2


def test_the_service_refuses_a_large_enterprise_or_half_the_figures(cast, lot):
    line = {**GOODS, "employees": 86}
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        with pytest.raises(DomainError, match="大型企业"):
            bid(lot, cast.supplier, sme=[{**line, "size_class": "large"}])
        with pytest.raises(DomainError, match="三项"):
            bid(lot, cast.supplier, sme=[{**line, "total_assets": ""}])
        with pytest.raises(DomainError, match="标的"):
            bid(lot, cast.supplier, sme=[{**line, "item": " "}])
    assert not Bid.objects.exists()


def test_a_single_line_letter_of_an_old_bid_is_still_read(cast, lot, client):
    """Format 1 bids stored one line in clear, the industry as text and 0 for no employees."""
    BiddingParameters.objects.create(min_bids_public_tender=1)
    old_line = {
        "item": "教学一体机",
        "manufacturer": "郑州甲科技有限公司",
        "size_class": "small",
        "industry": "工业",
        "employees": 0,
        "revenue": "",
        "total_assets": "",
    }
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        old = as_format_1(bid(lot, cast.supplier, sme=[]), sme=[old_line])
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=old, passphrase=PASSPHRASE, acting_user=cast.supplier)
        client.force_login(cast.purchaser)
        page = client.get(reverse("bidding:opening", args=[lot.pk])).content.decode()
    row = old.lot.opening.record["bids"][0]
    assert row["sme"] is True and row["sme_items"] == [old_line]
    assert "教学一体机" in page and "工业" in page and "小型企业" in page
