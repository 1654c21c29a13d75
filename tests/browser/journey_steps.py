"""Steps of the procurement cycle as a person clicks them, shared by the browser journeys.

Each step starts from the role's home (its to-do list) or from the navigation bar; none types an
address. Time is the caller's: wrap a step in `time_machine.travel(..., tick=True)`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import Page

from tests.procurement.factories import pdf_bytes


def from_home(page: Page, live_server, kind: str) -> None:
    """Open the role's home and click the to-do item of `kind`."""
    page.goto(f"{live_server.url}/accounts/")
    selector = f"[data-testid=todo-item][data-kind='{kind}']"
    for _ in range(5):  # the home is read again if the item is not there yet
        if page.locator(selector).count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    item = page.locator(selector).first
    submit(page, item.locator("[data-testid=todo-link]"))


def submit(page: Page, target) -> None:
    """Click a form's submit button (a selector or a locator) and wait for the page the server
    answers with. Waiting for the load state alone can return before the POST was even sent, and
    another party's page would then look for a to-do item the server has not created yet."""
    button = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        button.click()


def owes(page: Page, live_server, kind: str) -> bool:
    page.goto(f"{live_server.url}/accounts/")
    return page.locator(f"[data-testid=todo-item][data-kind='{kind}']").count() > 0


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def pdf_payload(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


# Procurement: intention, plan, lot, announcement.


def publish_intention(page: Page, *, name: str, summary: str, budget: str, month: str) -> None:
    """From the navigation bar: a new intention, filled in and published."""
    page.click("[data-testid=nav-intentions]")
    page.click("a[href$='/procurement/intentions/new/']")
    page.fill("#id_project_name", name)
    page.fill("#id_summary", summary)
    page.fill("#id_budget", budget)
    page.fill("#id_expected_month", month)
    page.fill("#id_contact_name", "王老师")
    page.fill("#id_contact_phone", "0371-67180000")
    page.click("main form button[type=submit]")
    page.click("main a[href$='/publish/']")
    page.click("[data-testid=confirm-publish]")
    page.wait_for_selector("[data-testid=intention-status]:has-text('已发布')")


def set_up_lot(
    page: Page,
    *,
    deadline: dt.datetime,
    goods: bool,
    sme_deduction: bool = True,
    category: int | None = None,
    submit: bool = True,
) -> None:
    """Fill the lot form: comprehensive scoring, 技术方案 and 售后服务 besides the price."""
    page.fill(
        "#id_qualification_requirements", "具有独立承担民事责任的能力；近三年无重大违法记录。"
    )
    page.select_option("#id_evaluation_method", "comprehensive")
    page.fill("#id_price_weight", "30" if goods else "20")
    if goods and sme_deduction:  # none on a lot reserved for SMEs
        page.fill("#id_sme_deduction", "10")
    if category:
        page.select_option("#id_category", value=str(category))  # the catalogue entry chosen
    page.fill("#id_bid_deadline", local_input(deadline))
    for index, (name, points) in enumerate(
        [("技术方案", "50" if goods else "60"), ("售后服务", "20")]
    ):
        page.click("[data-formset-add=criteria]")
        page.fill(f"#id_criteria-{index}-name", name)
        page.fill(f"#id_criteria-{index}-points", points)
    if submit:
        page.click("main form button[type=submit]")


def upload_tender_documents(page: Page) -> None:
    page.fill("#id_title", "招标文件")
    page.set_input_files("#id_file", files=[pdf_payload("招标文件.pdf")])
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=documents] >> text=招标文件")


# Bidding: a sealed bid from the list of tenders, decryption from the to-do.


def fill_line(page: Page, i: int, line: tuple) -> None:
    """Line i of the SME declaration letter: item, industry, maker, size, employees, revenue,
    total assets."""
    item, industry, firm, size, employees, revenue, assets = line
    page.fill(f"#id_sme-{i}-item", item)
    page.select_option(f"#id_sme-{i}-industry", industry)
    page.fill(f"#id_sme-{i}-manufacturer", firm)
    page.select_option(f"#id_sme-{i}-size_class", size)
    page.fill(f"#id_sme-{i}-employees", employees)
    page.fill(f"#id_sme-{i}-revenue", revenue)
    page.fill(f"#id_sme-{i}-total_assets", assets)


def bid_from_tenders(
    page: Page, *, lot_name: str, price: str, passphrase: str, sme_line: tuple | None = None
) -> None:
    """From the navigation bar: the open tenders → the lot → the bid form, sealed and sent; with
    `sme_line`, the SME declaration letter of one line (a lot reserved for SMEs needs it)."""
    page.click("[data-testid=nav-tenders]")
    page.click(f"main >> text={lot_name}")
    page.click("[data-testid=bid-link]")
    page.fill("#id_price", price)
    if sme_line is not None:
        page.check("#id_sme_declare")
        fill_line(page, 0, sme_line)
    page.set_input_files("#id_files", [pdf_payload("投标文件.pdf")])
    page.fill("#id_passphrase", passphrase)
    page.fill("#id_passphrase_again", passphrase)
    page.check("#id_understood")
    page.click("[data-testid=submit-bid]")
    page.wait_for_selector("[data-testid=receipt]")


def decrypt_from_home(page: Page, live_server, *, passphrase: str) -> None:
    from_home(page, live_server, "bidding.bid_to_decrypt")
    page.fill("[data-testid=decrypt-passphrase]", passphrase)
    page.click("[data-testid=decrypt]")
    page.wait_for_selector("[data-testid=decrypted], [data-testid=opening-record]")


# Evaluation: the draw, the committee's work, the result.


def draw_committee(purchaser: Page, live_server, *, evaluation_at: str, size: int = 5) -> None:
    from_home(purchaser, live_server, "experts.committee_to_draw")
    purchaser.fill("#id_evaluation_at", evaluation_at)
    purchaser.fill("#id_size", str(size))
    purchaser.click("[data-testid=draw]")
    purchaser.wait_for_selector("[data-testid=members]")


def accept_invitations(new_page, live_server, usernames: list[str]) -> dict[str, Page]:
    """Each expert signs in on its own browser and accepts its invitation from its home."""
    from tests.browser.conftest import sign_in

    pages = {}
    for username in usernames:
        page = pages[username] = new_page()
        sign_in(page, live_server, username)
        from_home(page, live_server, "experts.invitation_to_answer")
        submit(page, "[data-testid=accept]")
    return pages


def start_and_declare(
    purchaser: Page, experts: dict[str, Page], live_server, *, bidder: str
) -> None:
    """The purchaser starts the evaluation; every member declares no conflict with the bidders
    named in its statement (`bidder` among them) before any bid is shown."""
    from_home(purchaser, live_server, "evaluation.start_due")
    submit(purchaser, "[data-testid=start-form] button[type=submit]")
    for username, page in experts.items():
        from_home(page, live_server, "evaluation.declaration_due")
        assert bidder in page.inner_text("[data-testid=statement]")
        page.check("input[name=no_conflict][value='1']")
        submit(page, "[data-testid=declaration-form] button[type=submit]")
        assert not owes(page, live_server, "evaluation.declaration_due"), username


def review_qualification(purchaser: Page, live_server, *, bids: int, checked_at: str) -> None:
    """The purchaser records every bidder qualified, with the credit check's time."""
    from_home(purchaser, live_server, "evaluation.qualification_due")
    for n in range(bids):
        row = purchaser.locator("[data-testid=qualification-row]").nth(n)
        row.locator("input[name=qualified][value='1']").check()
        row.locator("input[name=credit_checked_at]").fill(checked_at)
        submit(purchaser, row.locator("button[type=submit]"))


def review_compliance(leader: Page, live_server, *, bids: int) -> None:
    from_home(leader, live_server, "evaluation.compliance_due")
    for n in range(bids):
        row = leader.locator("[data-testid=compliance-row]").nth(n)
        row.locator("input[type=radio][value='1']").check()
        submit(leader, row.locator("button[type=submit]").first)


def finish_review(page: Page, testid: str) -> None:
    submit(page, f"[data-testid={testid}]")


def score_all(
    experts: dict[str, Page], live_server, *, points: dict[str, tuple], other: tuple
) -> None:
    """Every member fills its own sheet (points by bidder name) and submits it."""
    for page in experts.values():
        from_home(page, live_server, "evaluation.scoring_due")
        sheet = page.locator("[data-testid=sheet]")
        for row in sheet.locator("tbody tr").all():
            text = row.inner_text()
            given = next((p for name, p in points.items() if name in text), other)
            for cell, value in zip(row.locator("input").all(), given, strict=True):
                cell.fill(value)
        page.click("[data-testid=submit-sheet]")
        page.wait_for_selector("[data-testid=submitted]")


def submit_report(leader: Page, live_server) -> None:
    from_home(leader, live_server, "evaluation.report_to_submit")
    leader.click("[data-testid=submit-report]")
    leader.click("[data-testid=submit-report-confirm]")
    leader.wait_for_selector("[data-testid=report-ranking]")


def sign_report(experts: dict[str, Page], live_server) -> None:
    for username, page in experts.items():
        from_home(page, live_server, "evaluation.report_to_sign")
        submit(page, "[data-testid=sign-submit]")
        assert not owes(page, live_server, "evaluation.report_to_sign"), username


def confirm_result(purchaser: Page, live_server) -> None:
    from_home(purchaser, live_server, "evaluation.result_to_confirm")
    purchaser.click("[data-testid=confirm-submit]")
    purchaser.wait_for_selector("[data-testid=award-facts]")
