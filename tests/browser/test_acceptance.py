"""Issue 12 §5 in a real browser: the supplier declares delivery from its home's to-do, the
purchaser records the acceptance from its own, and the supplier countersigns the report —
clicking only, from each role's home."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import AcceptanceResult, ContractState
from tests.browser.conftest import shot, sign_in
from tests.documents.samples import pdf
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def _signed_contract(cast):
    """Built in a thread of its own: pyhanko signs through asyncio.run, which cannot run inside
    the sync Playwright's event loop of this thread (the test database is a file, so the thread's
    own connection sees and commits the same rows)."""
    from tests.contracts.acceptance_builders import signed_contract

    def build():
        try:
            return signed_contract(cast)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build).result()


def test_delivery_and_acceptance_by_clicking_from_each_home(page, live_server, cast, tmp_path):
    contract = _signed_contract(cast)
    note = tmp_path / "送货单.pdf"
    note.write_bytes(pdf())

    # The supplier: home → to-do "declare delivery" → the form.
    sign_in(page, live_server, cast.supplier.username)
    page.locator('[data-kind="contracts.to_deliver"] [data-testid=todo-link]').click()
    expect(page.get_by_test_id("delivery-form")).to_be_visible()
    page.fill("#id_delivered_on", timezone.localdate().isoformat())
    page.fill("#id_note", "教学一体机1批已送达并安装")
    page.set_input_files("#id_documents", str(note))
    shot(page, "acceptance-1-declare-delivery")
    page.get_by_test_id("declare").click()
    expect(page.get_by_test_id("acceptance-section")).to_contain_text("送货单.pdf")
    shot(page, "acceptance-2-contract-delivered")

    # The purchaser: home → to-do "record the acceptance" → the form, a first try refused.
    page.context.clear_cookies()
    sign_in(page, live_server, cast.purchaser.username)
    page.locator('[data-kind="contracts.to_accept"] [data-testid=todo-link]').click()
    form = page.get_by_test_id("acceptance-form")
    expect(form).to_be_visible()
    page.check("input[name=result][value=passed]")
    page.fill("#id_overall", "履约情况良好")
    page.fill("#id_password", "wrong-password")
    for row in range(page.locator("[data-testid=check-row]").count() - 1):
        page.select_option(f"#id_checks-{row}-passed", "yes")
    page.get_by_test_id("record").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("#id_overall")).to_have_value("履约情况良好")
    page.fill("#id_password", PASSWORD)
    shot(page, "acceptance-3-record-form")
    page.get_by_test_id("record").click()
    expect(page.get_by_test_id("report-result")).to_contain_text("合格")
    shot(page, "acceptance-4-report")

    # The supplier: home → to-do "sign the acceptance report".
    page.context.clear_cookies()
    sign_in(page, live_server, cast.supplier.username)
    page.locator('[data-kind="contracts.to_sign_acceptance"] [data-testid=todo-link]').click()
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("sign-report").click()
    expect(page.get_by_test_id("signatures").locator("li")).to_have_count(2)
    page.get_by_test_id("back-to-contract").click()
    expect(page.get_by_test_id("acceptance-section")).to_contain_text("双方已签署")
    shot(page, "acceptance-5-contract-accepted")

    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED
    assert contract.acceptances.get().result == AcceptanceResult.PASSED
