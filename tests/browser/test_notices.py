"""Walk items 5, 7 and 12 in a real browser: the purchaser downloads its own tender documents,
publishes a structured correction (a documents change without a file is refused in one error
box), the public notice and lot page print the new contact, and a supplier finds the 投标 link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from procurement.models import Announcement, AnnouncementKind, DocumentDownload
from tests.browser.conftest import shot, sign_in
from tests.procurement.factories import make_announced_project


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_structured_correction_from_the_form_to_the_public_pages(
    context, browser, live_server, cast
):
    project = make_announced_project(cast)
    project.contact_name, project.contact_phone = "王芳", "0371-67180000"
    project.save(update_fields=["contact_name", "contact_phone"])
    lot = project.lots.get(number=1)

    purchaser = context.new_page()
    sign_in(purchaser, live_server, "purchaser")
    purchaser.goto(live_server.url + reverse("procurement:project_detail", args=[project.pk]))
    # Item 5: its own documents are a link, downloaded without being a potential bidder.
    with purchaser.expect_download() as download:
        purchaser.click("[data-testid=document-link] >> nth=0")
    assert download.value.suggested_filename.endswith(".pdf")
    assert not DocumentDownload.objects.exists()

    # Item 7: ticking the documents change without a file is refused, once, with its reason.
    purchaser.click("[data-testid=correct]")
    purchaser.check("#id_changes_documents")
    purchaser.fill("#id_corrections", "修改了招标文件。")
    purchaser.click("[data-testid=confirm-correct]")
    purchaser.wait_for_selector("[data-testid=form-errors]")
    assert purchaser.locator("[data-testid=form-errors]").count() == 1
    assert purchaser.locator(".alert-block").count() == 0
    assert "没有新增或撤回任何文件" in purchaser.inner_text("[data-testid=form-errors]")
    shot(purchaser, "notices-01-correction-without-file")

    # The contact changes as data.
    purchaser.uncheck("#id_changes_documents")
    purchaser.fill("#id_corrections", "")
    purchaser.fill("#id_contact_name", "赵磊")
    purchaser.fill("#id_contact_phone", "0371-67180202")
    purchaser.click("[data-testid=confirm-correct]")
    purchaser.wait_for_selector("[data-testid=correct]")
    project.refresh_from_db()
    assert (project.contact_name, project.contact_phone) == ("赵磊", "0371-67180202")

    correction = Announcement.objects.get(kind=AnnouncementKind.CORRECTION)
    public = browser.new_page(locale="zh-CN")
    public.goto(live_server.url + correction.get_absolute_url())
    change = public.inner_text("[data-testid=notice-contact-change]")
    assert "王芳" in change and "赵磊 0371-67180202" in change
    parties = public.inner_text("[data-testid=notice-parties]")
    assert "赵磊 0371-67180202" in parties and "王芳" not in parties
    shot(public, "notices-02-correction-notice")
    lot_url = live_server.url + reverse("procurement:tender_lot", args=[lot.pk])
    public.goto(lot_url)
    assert "赵磊 0371-67180202" in public.inner_text("[data-testid=lot-contact]")
    assert public.locator("[data-testid=bid-link]").count() == 0
    public.close()

    # A signed-in supplier reaches the bid form from the lot page.
    supplier = context.browser.new_context(locale="zh-CN").new_page()
    sign_in(supplier, live_server, "supplier")
    supplier.goto(lot_url)
    shot(supplier, "notices-03-supplier-lot-bid-link")
    supplier.click("[data-testid=bid-link]")
    supplier.wait_for_url(f"**{reverse('bidding:submit', args=[lot.pk])}")
    supplier.context.close()
