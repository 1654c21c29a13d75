"""One walk per role (issue 10 §3 and its tests): signed in, each role starts at its home and
reaches every page it has by clicking only — the navigation bar, the sub-navigation and the
links on each page; no address is typed but the home's and the sign-in's. Each page shows its
heading, and none answers 403, 404 or 500.

The world: project A, entrusted to the agency, whose lot was opened a quarter of an hour ago
with three bids (the record published, collusion leads among them) after a question was
answered; and project B, the purchaser's own, open for bids, with a supplier's question
waiting. Bank, expert and public walks need only B."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.selectors import organisation_of
from bench import builders
from bidding.services import decrypt_bid
from procurement.models import ProcurementKind, Project
from procurement.services import answer_question, ask_question
from procurement.services.plans import PlanLotValues
from tests.bidding.helpers import PASSPHRASE, bid, third_supplier
from tests.browser.conftest import sign_in
from timers.services import sweep

OPENED = "市第一中学教学设备采购"
OPEN = "市图书馆图书采购"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def announced(cast, *, name: str, lot: str, deadline: dt.datetime, agency=None) -> Project:
    """A one-lot project of the cast's purchaser, announced through every service."""
    announced_at = builders.announcement_moment(deadline)
    intention = builders.make_intention(
        purchaser=cast.purchaser,
        published_at=announced_at - builders.INTENTION_LEAD,
        project_name=name,
        budget=Decimal("1500000.00"),
    )
    with at(announced_at):
        plan = builders.make_plan(
            purchaser=cast.purchaser,
            bureau=cast.bureau,
            intention=intention,
            agency=agency,
            lots=[PlanLotValues(name=lot, kind=ProcurementKind.GOODS, budget=Decimal("1500000"))],
        )
        staff = cast.agency if agency is not None else cast.purchaser
        project = builders.make_project(plan=plan, acting_user=staff)
        builders.set_up_lots(project, deadline=deadline, acting_user=staff)
        builders.add_documents(project, acting_user=staff)
        builders.announce(project, acting_user=staff)
    return project


def build_world(cast) -> None:
    now = timezone.now().replace(microsecond=0)
    # The record is published two minutes after the deadline; bidders confirm it within 30.
    deadline = now - dt.timedelta(minutes=15)
    opened = announced(
        cast, name=OPENED, lot="教学一体机", deadline=deadline, agency=organisation_of(cast.agency)
    )
    lot = opened.lots.get()
    with at(deadline - dt.timedelta(days=25)):  # answers change the documents: 15 days before
        question = ask_question(lot=lot, question="可否分批交货？", acting_user=cast.supplier)
        answer_question(clarification=question, answer="不可分批。", acting_user=cast.agency)
    with at(deadline - dt.timedelta(days=1)):
        # One address and one author for all three: leads for the committee (collusion flags).
        bids = [
            bid(lot, user, price)
            for user, price in [
                (cast.supplier, "1400000.00"),
                (cast.supplier2, "1410000.00"),
                (third_supplier(), "1420000.00"),
            ]
        ]
    with at(deadline):
        sweep()
    with at(deadline + dt.timedelta(minutes=2)):
        for sealed in bids:
            decrypt_bid(bid=sealed, passphrase=PASSPHRASE, acting_user=sealed.submitted_by)
    open_ = announced(cast, name=OPEN, lot="馆藏图书", deadline=now + dt.timedelta(days=20))
    ask_question(lot=open_.lots.get(), question="可否提供电子书？", acting_user=cast.supplier2)


class Walk:
    """Clicks through the pages of one person, checking each one's heading and status."""

    def __init__(self, page: Page, live_server) -> None:
        self.page = page
        self.failed: list[tuple[int, str]] = []
        self.headings: list[str] = []
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.url.startswith(live_server.url)
                and self.failed.append((response.status, response.url))
            ),
        )

    def nav(self, testid: str) -> Locator:
        return self.page.locator(f"[data-testid={testid}]").first

    def link(self, name: str, *, within: str = "main") -> Locator:
        return self.page.locator(within).get_by_role("link", name=name, exact=False).first

    def todo(self, kind: str) -> Locator:
        return self.page.locator(f"[data-kind='{kind}'] [data-testid=todo-link]").first

    def open_menu(self, testid: str) -> None:
        self.nav(testid).click()

    def project_pages(self, name: str, *, projects: Callable[[], None]) -> None:
        """From the list of projects (`projects()` clicks its way there): the project, its
        announcement, its public lot page with the clarifications, its opening record and
        the collusion leads — each reached again from the list, by clicking."""
        for step in ("announcement", "lot-link-public", "lot-link-record", "lot-link-collusion"):
            projects()
            self.to(self.link(name), name)
            if step == "announcement":
                self.to(self.page.locator("[data-testid=announcements] a").first, name)
            elif step == "lot-link-public":
                self.to(self.link("分包公开页面"), name)
                expect(self.page.locator("[data-testid=clarification-answer]")).to_have_text(
                    "不可分批。"
                )
            else:
                self.to(self.nav(step), "不见面开标")
        expect(self.page.locator("#flags")).to_be_visible()

    def public_pages(self) -> None:
        """The public notices from the navigation bar: an announcement, its lot, an intention."""
        self.to(self.link("采购公告", within="nav.navbar"), "采购公告")
        self.to(self.link(OPEN, within="main"), OPEN)
        self.to(self.link("馆藏图书", within="main"), OPEN)  # the lot's public page
        self.to(self.link("采购意向", within="nav.navbar"), "采购意向")
        self.to(self.link(OPEN, within="main"), OPEN)

    def account_pages(self, *, notified: bool = True) -> None:
        """The notifications (and the first one's page) and the password change, from the bar."""
        self.to(self.nav("inbox-link"), "通知")
        rows = self.page.locator("[data-testid=notification-row] a[href*='/notifications/']")
        assert bool(rows.count()) == notified
        if notified:  # the first notification: its page is headed by its title
            listed = rows.first.inner_text()
            with self.page.expect_navigation():
                rows.first.click()
            self.at(self.page.locator("main h1").first.inner_text().strip())
            assert self.headings[-1] and self.headings[-1] in listed, (self.headings[-1], listed)
        self.open_menu("user-menu")
        self.to(self.page.get_by_role("link", name="修改密码"), "密码修改")

    def to(self, where: Locator, heading: str) -> None:
        """Click `where` and land on a page whose heading says `heading`."""
        with self.page.expect_navigation():
            where.click()
        self.at(heading)

    def at(self, heading: str) -> None:
        expect(self.page.locator("h1").filter(has_text=heading).first).to_be_visible()
        assert not self.failed, self.failed
        self.headings.append(heading)


@pytest.fixture
def walk(page, live_server):
    return Walk(page, live_server)


def test_the_purchaser_reaches_each_of_its_pages_by_clicking(walk, live_server, cast):
    build_world(cast)
    sign_in(walk.page, live_server, "purchaser")
    walk.at("我的工作台")
    walk.to(walk.link("开标规则", within="[data-testid=home-opening-rules]"), "开标规则")
    walk.to(walk.nav("nav-todo"), "我的工作台")
    walk.to(walk.nav("open-purchaser-dashboard"), "今日到期与超期事项")
    walk.to(walk.nav("nav-todo"), "我的工作台")
    walk.to(walk.link("全部待办"), "待办")
    walk.to(walk.todo("procurement.question_to_answer"), "答复澄清问题")
    walk.to(walk.nav("nav-intentions"), "我的采购意向")
    walk.to(walk.link(OPENED), OPENED)
    walk.to(walk.nav("nav-plans"), "我的实施计划")
    walk.to(walk.link(OPENED), OPENED)
    walk.to(walk.nav("nav-projects"), "采购项目")
    walk.to(walk.link(OPEN), OPEN)
    walk.to(walk.nav("answer-question"), "答复澄清问题")
    walk.project_pages(OPENED, projects=lambda: walk.to(walk.nav("nav-projects"), "采购项目"))
    walk.to(walk.nav("nav-projects"), "采购项目")
    walk.to(walk.nav("subnav-lots"), "分包一览")
    walk.to(walk.link(OPEN), OPEN)
    walk.account_pages()


def test_the_agency_reaches_each_of_its_pages_by_clicking(walk, live_server, cast):
    build_world(cast)
    sign_in(walk.page, live_server, "agency")
    walk.at("我的工作台")
    walk.to(walk.link("全部待办"), "待办")
    walk.to(walk.nav("nav-todo"), "我的工作台")
    # The agency's home lists its projects by the step each is at.
    expect(walk.page.locator("[data-testid=home-step]")).to_contain_text("已开标")
    walk.to(walk.link(OPENED, within="[data-testid=home-procurement]"), OPENED)
    walk.project_pages(OPENED, projects=lambda: walk.to(walk.nav("nav-projects"), "受托项目"))
    walk.to(walk.nav("nav-projects"), "受托项目")
    walk.to(walk.nav("subnav-lots"), "分包一览")
    walk.to(walk.nav("lot-link-record"), "不见面开标")
    walk.account_pages()


def test_the_bureau_reaches_each_of_its_pages_by_clicking(walk, live_server, cast):
    build_world(cast)
    sign_in(walk.page, live_server, "bureau")
    walk.at("我的工作台")
    walk.to(walk.link("全部待办"), "待办")
    walk.to(walk.nav("nav-bureau-plans"), "待备案的实施计划")
    walk.to(walk.link(OPENED), OPENED)  # recently handled: the filed plan
    walk.to(walk.nav("nav-lots"), "分包一览")
    walk.to(walk.link(OPENED, within="[data-testid=lot-list]"), OPENED)
    walk.to(walk.nav("nav-lots"), "分包一览")
    walk.to(walk.nav("lot-link-record"), "不见面开标")
    walk.to(walk.nav("nav-lots"), "分包一览")
    walk.to(walk.nav("lot-link-collusion"), "不见面开标")
    expect(walk.page.locator("#flags")).to_be_visible()
    walk.to(walk.nav("nav-lots"), "分包一览")
    walk.to(walk.nav("lot-link-public"), OPEN)  # the newest lot first

    def projects() -> None:  # the bureau's bar has the lots; their sub-navigation the projects
        walk.to(walk.nav("nav-lots"), "分包一览")
        walk.to(walk.link("采购项目"), "采购项目")

    walk.project_pages(OPENED, projects=projects)
    walk.to(walk.nav("nav-dashboard"), "计时监管看板")
    walk.to(walk.nav("nav-todo"), "我的工作台")
    walk.to(walk.nav("open-dashboard"), "计时监管看板")
    walk.to(walk.nav("inbox-link"), "通知")
    walk.to(walk.link("监管后台", within="nav.navbar"), "监督管理")


def test_the_supplier_reaches_each_of_its_pages_by_clicking(walk, live_server, cast):
    build_world(cast)
    sign_in(walk.page, live_server, "supplier")
    walk.at("我的工作台")
    walk.to(walk.link("全部待办"), "待办")
    walk.to(walk.todo("bidding.record_to_confirm"), "不见面开标")
    expect(walk.page.locator("[data-testid=confirm-record]")).to_be_visible()
    walk.to(walk.nav("nav-tenders"), "正在招标")
    walk.to(walk.link(OPEN), OPEN)
    expect(walk.page.locator("[data-testid=ask]")).to_be_visible()
    walk.to(walk.nav("bid-link"), OPEN)  # the bid form
    expect(walk.page.locator("[data-testid=key-warning]")).to_be_visible()
    walk.to(walk.nav("nav-questions"), "我的提问")
    walk.to(walk.link(OPENED), OPENED)
    expect(walk.page.locator("[data-testid=clarification-answer]")).to_have_text("不可分批。")
    walk.open_menu("nav-bidding")
    walk.to(walk.nav("nav-bids"), "我的投标")
    walk.to(walk.page.locator("[data-testid=my-bid] a").first, "投标回执")
    walk.to(walk.nav("opening-link"), "不见面开标")
    expect(walk.page.locator("#flags")).to_have_count(0)  # leads are for the organisers
    walk.open_menu("nav-bidding")
    walk.to(walk.nav("nav-profile"), "供应商档案")
    walk.public_pages()
    walk.account_pages()


@pytest.mark.parametrize("username", ["bank", "expert"])
def test_the_bank_and_the_expert_reach_each_of_their_pages_by_clicking(
    walk, live_server, cast, username
):
    announced(cast, name=OPEN, lot="馆藏图书", deadline=timezone.now() + dt.timedelta(days=20))
    sign_in(walk.page, live_server, username)
    walk.at("我的工作台")
    walk.to(walk.link("全部待办"), "待办")
    walk.to(walk.nav("nav-todo"), "我的工作台")
    if username == "bank":
        # Until contract financing, its home says what a bank can do: read contract notices.
        walk.to(walk.page.get_by_test_id("bank-contract-notices"), "合同公告")
        walk.to(walk.nav("nav-todo"), "我的工作台")
    walk.public_pages()
    walk.account_pages(notified=False)


def test_the_public_reaches_each_public_page_by_clicking(walk, live_server, cast):
    announced(cast, name=OPEN, lot="馆藏图书", deadline=timezone.now() + dt.timedelta(days=20))
    walk.page.goto(f"{live_server.url}/")
    walk.at("阳光采购")
    walk.public_pages()
    walk.to(walk.link("登录", within="nav.navbar"), "登录")
    walk.to(walk.nav("nav-supplier-registration"), "电子营业执照")
