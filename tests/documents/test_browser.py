"""The bureau's view of stored files in a real browser, and a Chinese-named download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import store_file
from tests.browser.conftest import (  # noqa: F401 - pytest fixtures
    _playwright,
    browser,
    cast,
    context,
    page,
    phone_page,
    shot,
)
from tests.factories import PASSWORD

from .samples import SAMPLES, ooxml

pytestmark = pytest.mark.browser

LIST = "/admin/documents/storedfile/"


def admin_sign_in(browser_page, live_server, username: str) -> None:
    """Sign in through the real form, going straight on to the stored files."""
    browser_page.goto(f"{live_server.url}/accounts/login/?next={LIST}")
    browser_page.fill("input[name=username]", username)
    browser_page.fill("input[name=password]", PASSWORD)
    browser_page.click("form button[type=submit]")
    browser_page.wait_for_url(f"{live_server.url}{LIST}")


@pytest.fixture
def files(cast):  # noqa: F811
    return [
        store_file(
            upload=SimpleUploadedFile("投标文件（技术部分）.docx", ooxml("docx")),
            use="general",
            acting_user=cast.supplier,
        ),
        store_file(
            upload=SimpleUploadedFile("验收现场照片.png", SAMPLES["png"]()),
            use="general",
            acting_user=cast.purchaser,
        ),
    ]


def test_it_shows_the_bureau_stored_files_and_downloads_one(page, live_server, files):  # noqa: F811
    admin_sign_in(page, live_server, "bureau")
    assert page.is_visible("text=投标文件（技术部分）.docx")
    assert page.is_visible("text=验收现场照片.png")
    shot(page, "documents-admin-list")

    page.click("text=投标文件（技术部分）.docx")
    page.wait_for_url(f"**/storedfile/{files[0].pk}/change/")
    page.wait_for_selector(f"text={files[0].sha256}")
    shot(page, "documents-admin-detail")
    with page.expect_download() as info:
        page.click(f"a[href='/documents/{files[0].uuid}/download/']")
    download = info.value
    assert download.suggested_filename == "投标文件（技术部分）.docx"
    with open(download.path(), "rb") as handle:
        assert handle.read() == files[0].file.open("rb").read()


def test_it_fits_the_list_on_a_phone(phone_page, live_server, files):  # noqa: F811
    admin_sign_in(phone_page, live_server, "bureau")
    assert phone_page.is_visible("text=验收现场照片.png")
    shot(phone_page, "documents-admin-phone")
