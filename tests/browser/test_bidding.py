"""Issue 5 §9 in a real browser: two suppliers bid (one replaces its bid), nobody else reaches a
bid before the opening, a late bid is refused, both decrypt and the record shows both prices;
the stored rows and files hold no plaintext."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from bidding.models import Bid, BiddingParameters, BidState
from procurement.models import LotState
from tests.bidding.helpers import announced_lot, pdf_file, third_supplier
from tests.browser.conftest import shot, sign_in
from tests.browser.journey_steps import fill_line
from timers.services import sweep

SECRET = "TECHNICAL-PLAN-7Q"
FILE_NAME = "报价88万-技术方案.pdf"  # a name that tells the price: sealed until the opening


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(*, phone: bool = False):
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(locale="zh-CN", viewport=size, is_mobile=phone)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def pdf_payload(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_file(marker=SECRET).read()}


LETTER = [
    ("教学一体机", "industry", "洛阳精工电子有限公司", "small", "86", "5200.50", "3100"),
    ("教学管理软件", "software", "郑州启明软件有限公司", "micro", "", "", ""),
]


def fill_letter(page, lines: list[tuple]) -> None:
    """Tick the letter, fill line 1, add the others, and add and remove a stray line."""
    assert not page.is_visible("[data-testid=sme-rows]")  # hidden until ticked
    page.check("#id_sme_declare")
    fill_line(page, 0, lines[0])
    page.click("[data-testid=sme-add]")
    page.fill("#id_sme-1-item", "删掉的一行")
    page.locator("[data-testid=sme-row]").nth(1).locator("[data-testid=sme-remove]").click()
    assert not page.is_visible("#id_sme-1-item")
    for i, line in enumerate(lines[1:], start=2):
        page.click("[data-testid=sme-add]")
        fill_line(page, i, line)
    numbers = page.locator("[data-testid=sme-row]:visible [data-sme-number]").all_inner_texts()
    assert numbers == [str(n) for n in range(1, len(lines) + 1)]


def submit_bid(page, live_server, lot, *, price: str, passphrase: str, letter=()) -> None:
    page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    page.fill("#id_price", price)
    page.set_input_files("#id_files", [pdf_payload(FILE_NAME)])
    if letter:
        fill_letter(page, list(letter))
    page.fill("#id_passphrase", passphrase)
    page.fill("#id_passphrase_again", passphrase)
    page.check("#id_understood")
    page.click("[data-testid=submit-bid]")


def raw_text() -> str:
    """Every column of every row of every table."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            for row in cursor.fetchall():
                for value in row:
                    value = bytes(value) if isinstance(value, memoryview) else value
                    parts.append(
                        value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    )
    return "\n".join(parts)


def test_two_suppliers_bid_and_decrypt_and_a_late_one_is_refused(
    live_server, cast, new_page, media
):
    BiddingParameters.objects.create(min_bids_public_tender=2)
    deadline = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    lot = announced_lot(cast, deadline=deadline)  # with its deadline clock, for sweep()
    late = third_supplier()

    first = new_page()
    sign_in(first, live_server, "supplier")
    # At 1280 px the bar keeps every entry on one line (a wrapped entry is twice as tall).
    heights = first.eval_on_selector_all(
        ".navbar .nav-link", "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and max(heights) < 50, heights
    first.click("[data-testid=nav-bidding]")
    first.click("[data-testid=nav-bids]")
    first.wait_for_url(f"{live_server.url}/bidding/")
    submit_bid(
        first, live_server, lot, price="880000.00", passphrase="甲公司开标口令2026", letter=LETTER
    )
    first.wait_for_selector("[data-testid=receipt]")
    # The name comes from this browser (matched by SHA-256); the server never stored it.
    first.wait_for_selector("[data-local-note]:not([hidden])")
    assert FILE_NAME in first.inner_text("[data-testid=receipt-files]")
    shot(first, "bidding-receipt")

    second = new_page(phone=True)
    sign_in(second, live_server, "supplier2")
    # At phone width: a line without its enterprise is refused with a message, then fixed.
    line = ("办公家具", "wholesale", "", "small", "18", "2600", "900")
    submit_bid(
        second, live_server, lot, price="910000.00", passphrase="yi-company-pass-1", letter=[line]
    )
    second.wait_for_selector("[data-testid=bid-form] .invalid-feedback")
    assert "请填写制造或提供该标的的企业" in second.inner_text("[data-testid=sme-card]")
    assert second.is_visible("#id_sme-0-manufacturer")  # the ticked letter stays open
    shot(second, "bidding-sme-letter-error-phone")
    second.fill("#id_sme-0-manufacturer", "郑州乙商贸有限公司")
    second.fill("#id_price", "910000.00")
    second.set_input_files("#id_files", [pdf_payload(FILE_NAME)])
    second.fill("#id_passphrase", "yi-company-pass-1")
    second.fill("#id_passphrase_again", "yi-company-pass-1")
    second.click("[data-testid=submit-bid]")
    second.wait_for_selector("[data-testid=receipt]")
    second.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    assert second.is_visible("[data-testid=current-bid]")
    shot(second, "bidding-submit-phone")
    submit_bid(second, live_server, lot, price="905000.00", passphrase="yi-company-pass-2")
    second.wait_for_selector("[data-testid=receipt]")
    replaced = Bid.objects.filter(supplier__name="郑州乙商贸有限公司").order_by("id")
    assert [b.state for b in replaced] == [BidState.REPLACED, BidState.SUBMITTED]
    latest = replaced.last()

    # Before the opening nobody else reaches the bid: purchaser, bureau, the other supplier.
    for username in ["purchaser", "bureau"]:
        other = new_page()
        sign_in(other, live_server, username)
        response = other.goto(f"{live_server.url}/bidding/bids/{latest.uuid}/")
        assert response.status == 404, username
    response = first.goto(f"{live_server.url}/bidding/bids/{latest.uuid}/")
    assert response.status == 404

    # Nothing readable is stored.
    text = raw_text()
    for plain in ["880000", "910000", "905000", SECRET, FILE_NAME, "报价88万", "洛阳精工电子"]:
        assert plain not in text, plain
    sealed = b"".join(p.read_bytes() for p in (Path(media) / "bids").rglob("*") if p.is_file())
    assert sealed and SECRET.encode() not in sealed and b"%PDF" not in sealed
    # The receipts are stored (rendered after each submission): times and hashes only.
    bids = Bid.objects.filter(lot=lot).select_related("receipt_pdf")
    receipts = {b.uuid: b.receipt_pdf.file.path for b in bids if b.receipt_pdf}
    assert len(receipts) == 3  # the first bid, the replaced one and its replacement
    for uuid, path in receipts.items():
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        flat = "".join(text.split())  # extraction breaks long values across lines
        assert "投标回执" in text and lot.name in text and str(uuid) in flat, path
        for plain in ["880000", "910000", "905000", SECRET, FILE_NAME, "报价88万", "洛阳精工电子"]:
            assert plain not in text, (path, plain)

    third = new_page()
    sign_in(third, live_server, late.username)
    third.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    with time_machine.travel(deadline + dt.timedelta(seconds=1), tick=True):
        third.fill("#id_price", "700000.00")
        third.set_input_files("#id_files", [pdf_payload("丙投标文件.pdf")])
        third.fill("#id_passphrase", "bing-company-pass")
        third.fill("#id_passphrase_again", "bing-company-pass")
        third.check("#id_understood")
        third.click("[data-testid=submit-bid]")
        # The answer is the closed page: the deadline, the lot's state, and no form.
        third.wait_for_selector("[data-testid=bidding-closed]")
        assert "投标已截止" in third.inner_text("[data-testid=closed-title]")
        assert not third.is_visible("[data-testid=bid-form]")
        shot(third, "bidding-late-refused")
        assert not Bid.objects.filter(supplier__name="郑州丙工程有限公司").exists()

        sweep()  # the lot closes and the opening starts
        lot.refresh_from_db()
        assert lot.state == LotState.OPENING

        first.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        first.fill("[data-testid=decrypt-passphrase]", "wrong passphrase")
        first.click("[data-testid=decrypt]")
        first.wait_for_selector(".alert-danger, .alert-error, [role=alert]")
        first.fill("[data-testid=decrypt-passphrase]", "甲公司开标口令2026")
        first.click("[data-testid=decrypt]")
        first.wait_for_selector("[data-testid=decrypted]")
        shot(first, "bidding-opening-live")
        assert "880000" not in first.inner_text("[data-testid=opening-status]")

        second.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        second.fill("[data-testid=decrypt-passphrase]", "yi-company-pass-2")
        second.click("[data-testid=decrypt]")
        second.wait_for_selector("[data-testid=opening-record]")
        shot(second, "bidding-opening-record-phone")
        # The first bidder's page learns it by polling (htmx).
        first.wait_for_selector("[data-testid=opening-record]", timeout=15_000)
        record = first.inner_text("[data-testid=opening-record]")
        assert "880,000.00 元" in record and "905,000.00 元" in record
        letters = first.inner_text("[data-testid=sme-letters]")
        assert "洛阳精工电子有限公司" in letters and "郑州启明软件有限公司" in letters
        # The letter in the annex's form, with its table of items.
        assert "中小企业声明函（货物）" in letters and "本公司（联合体）郑重声明" in letters
        assert first.is_visible("[data-testid=sme-letter-text]")
        assert "删掉的一行" not in letters
        shot(first, "bidding-opening-record")
        # Decrypted, the platform shows the names again (in another browser too).
        fresh = new_page()
        sign_in(fresh, live_server, "supplier2")
        fresh.goto(f"{live_server.url}/bidding/bids/{latest.uuid}/")
        assert FILE_NAME in fresh.inner_text("[data-testid=receipt-files]")
        assert not fresh.is_visible("[data-local-note]")
    lot.refresh_from_db()
    assert lot.state == LotState.OPENED


def test_a_supplier_is_warned_of_an_expired_qualification_on_its_pages(live_server, cast, new_page):
    from suppliers.models import Qualification, SizeClass
    from suppliers.services import set_size_class

    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    Qualification.objects.create(
        organisation=organisation,
        name="医疗器械经营许可证",
        expires_on=timezone.localdate() - dt.timedelta(days=2),
    )
    lot = announced_lot(cast)
    page = new_page(phone=True)
    sign_in(page, live_server, "supplier")
    assert page.is_visible("[data-testid=expired-qualifications]")
    shot(page, "bidding-home-expired-phone")
    page.goto(f"{live_server.url}/bidding/")
    assert page.is_visible(f"[data-testid=bid-{lot.pk}]")
    shot(page, "bidding-my-bids-phone")
    page.goto(f"{live_server.url}/suppliers/profile/")
    page.fill("#id_bank_name", "中原银行郑州分行")
    page.fill("#id_bank_account_name", "郑州甲科技有限公司")
    page.fill("#id_bank_account_number", "6228480012345678")
    page.click("[data-testid=profile-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.is_visible("[data-testid=expired]")
    shot(page, "suppliers-profile-phone")


def test_a_platform_failure_is_ruled_on_and_the_bidder_uploads_its_files_again(
    live_server, cast, new_page, media
):
    """EBID Art 31 in the browser: the purchaser allows the remedy, the platform damages a
    sealed file, the bidder's right key is told apart from a wrong one, the purchaser records
    the failure as the platform's and the bidder, on its phone, uploads the same file again."""
    from bidding.models import OpeningRules
    from tests.bidding.helpers import PASSPHRASE, bid

    BiddingParameters.objects.create(min_bids_public_tender=1)
    deadline = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    lot = announced_lot(cast, deadline=deadline)  # with its deadline clock, for sweep()

    staff = new_page()
    sign_in(staff, live_server, "purchaser")
    staff.click("[data-testid=home-opening-rules] a")
    staff.check("#id_reupload")
    staff.fill("#id_window_minutes", "45")
    staff.click("[data-testid=rules-form] button[type=submit]")
    staff.wait_for_selector(".alert-success")
    assert OpeningRules.objects.get(lot=lot).reupload_window_minutes == 45

    original = pdf_file("投标文件-甲.pdf", marker="ORIGINAL")
    content = original.read()
    original.seek(0)
    sealed = bid(lot, cast.supplier, "660000.00", files=[original])
    blob = Path(media) / sealed.files.get().blob.name
    damaged = bytearray(blob.read_bytes())
    damaged[len(damaged) // 2] ^= 1
    blob.write_bytes(bytes(damaged))  # the platform's store changes one bit

    bidder = new_page(phone=True)
    sign_in(bidder, live_server, "supplier")
    with time_machine.travel(deadline + dt.timedelta(seconds=1), tick=True):
        sweep()
        bidder.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        bidder.fill("[data-testid=decrypt-passphrase]", PASSPHRASE)
        bidder.click("[data-testid=decrypt]")
        bidder.wait_for_selector("[data-testid=own-integrity-failure]")
        assert "并非您的原因" in bidder.inner_text("body")
        shot(bidder, "bidding-platform-failure-phone")

        staff.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        staff.click(f"[data-testid=rule-{sealed.uuid}]")
        assert "SHA-256" in staff.inner_text("[data-testid=evidence]")
        shot(staff, "bidding-platform-failure-ruling")
        staff.click("[data-testid=confirm-platform-failure]")
        staff.wait_for_selector("[data-testid=failures] .badge")

        bidder.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        bidder.wait_for_selector("[data-testid=remedy-card]")
        assert sealed.files.get().sha256 in bidder.inner_text("[data-testid=lost-parts]")
        bidder.fill("[data-testid=remedy-passphrase]", PASSPHRASE)
        bidder.set_input_files(
            "[data-testid=remedy-files]",
            [{"name": "投标文件-甲.pdf", "mimeType": "application/pdf", "buffer": content}],
        )
        shot(bidder, "bidding-reupload-phone")
        bidder.click("[data-testid=remedy-submit]")
        bidder.wait_for_selector("[data-testid=opening-record]")
        record = bidder.inner_text("[data-testid=opening-record]")
        assert "660,000.00 元" in record and "经重新上传恢复" in record
        shot(bidder, "bidding-reupload-record-phone")
    sealed.refresh_from_db()
    assert sealed.state == BidState.DECRYPTED and sealed.remedied_at is not None
