"""Bidding demo (issue 5 §8): one lot whose online opening is in progress, one already opened.

Each lot is announced through the real procurement service (its tender announcement, the
deadline clock, the audit events), then the past is written directly, as the procurement stage
does: the announcement moves back so that its deadline falls now, and the bids, sealed through
the real service with the documented demo passphrases (README, demo section), are dated when a
bidder would send them, days and hours before the deadline. The deadline clock then runs its
due action, which closes the lot and starts the opening. The audit trail keeps the moments the
demo was seeded. The opened lot shows collusion flags (two bidders' files by the same author,
sent from the same address); the bidders hold qualifications, one about to expire.

Idempotent: each scenario is keyed by its intention's project name and skipped when it exists;
a qualification by its supplier and name.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation
from bidding.declaration import PolicyDeclaration
from bidding.models import Arrangement, Bid, BidState
from bidding.services import (
    Evidence,
    decrypt_bid,
    render_opening_record_pdf,
    set_opening_rules,
    submit_bid,
)
from procurement import services
from procurement.legal import documents_provided_until
from procurement.models import (
    Announcement,
    DocumentDownload,
    Lot,
    ProcurementIntention,
    SmeMode,
)
from procurement.services.announcements import tender_announcement_data
from procurement.services.projects import BID_DEADLINE_CLOCK, DOCUMENTS_PROVISION_CLOCK
from suppliers.models import Qualification
from suppliers.selectors import supplier_profile
from suppliers.services import add_qualification
from suppliers.sme import prefill
from timers.models import Clock
from timers.services import run_due_action, start_clock

from . import DemoContext
from .s50_procurement import _add_documents, _file, _intention, _lot_values, _plan

# Documented in the README's demo section.
PASSPHRASES = {
    "supplier": "huaxin-demo-2026",
    "supplier2": "lvyuan-demo-2026",
    "supplier3": "xiaohe-demo-2026",
}
# How long before the deadline each bidder's bid arrived (the last one close to the deadline).
RECEIVED_BEFORE_DEADLINE = {
    "supplier": dt.timedelta(days=3, hours=5, minutes=12),
    "supplier2": dt.timedelta(days=1, hours=2, minutes=47),
    "supplier3": dt.timedelta(hours=2, minutes=6),
}
# The opened lot's collusion example: supplier3's file was written by supplier2's bid clerk
# and sent from supplier2's address (RULES.md §15.3 leads for the committee, not a verdict).
SHARED_WITH = {"supplier3": "supplier2"}
PRICES = {
    "进行中": {"supplier": "412800.00", "supplier2": "398000.00", "supplier3": "405500.00"},
    "已开标": {"supplier": "1268000.00", "supplier2": "1239000.00", "supplier3": "1251500.00"},
}


def _pdf(author: str, title: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": author, "/Title": title, "/Creator": "WPS Office"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _lot(
    ctx, name: str, lot_name: str, budget: str, *, window: int, kind: str = "goods"
) -> Lot | None:
    """A one-lot public tender, announced through the service with a deadline 26 days on."""
    intention = _intention(
        ctx, "purchaser1", "purchaser", name, f"{lot_name}一批。", budget, days_ago=70
    )
    if intention is None:
        return None
    user = ctx.users["purchaser"]
    plan = _plan(
        ctx,
        "purchaser",
        intention,
        method="public_tender",
        kind=kind,
        sme_mode=SmeMode.NONE,
        lots=[(lot_name, kind, budget, False)],
        reasons="市场竞争充分，不预留。",
    )
    _file(ctx, "purchaser", plan)
    project = services.create_project(plan=plan, acting_user=user)
    _add_documents(ctx, user, project)
    lot = project.lots.get()
    deadline = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    deadline += dt.timedelta(days=26)
    services.update_lot(
        lot=lot,
        values=_lot_values(
            lot, deadline, weight="30", criteria=[("技术方案", "50", ""), ("售后服务", "20", "")]
        ),
        acting_user=user,
    )
    lot.refresh_from_db()
    lot.decryption_window_minutes = window
    lot.save(update_fields=["decryption_window_minutes"])
    services.publish_tender_announcement(project=project, acting_user=user)
    # The tender documents allow a re-upload within an hour should the platform fail to
    # decrypt a bid whose key is right (RULES.md C-5).
    set_opening_rules(lot=lot, reupload=True, window_minutes=60, acting_user=user)
    return Lot.objects.get(pk=lot.pk)


def _shift(value: str | None, by: dt.timedelta) -> str | None:
    return None if not value else (dt.datetime.fromisoformat(value) - by).isoformat()


def _move_into_the_past(lot: Lot, deadline: dt.datetime) -> None:
    """Write the past directly: the announcement moves back so that its deadline is `deadline`.

    The periods that depend on the calendar are not shifted but computed again from the new
    announcement moment (the provision period, the announcement period): the tender
    announcement's snapshot is rebuilt from the lot as the service builds it. The intention's
    expected month becomes the month the procurement was announced.
    """
    by = lot.announced_deadline() - deadline
    announced_at = lot.announced_issue_time() - by
    project = lot.project
    documents_until = documents_provided_until(
        method=project.method, issued_at=announced_at, deadline=deadline
    )
    Lot.objects.filter(pk=lot.pk).update(
        announced_at=announced_at,
        documents_issued_at=announced_at,
        bid_deadline=deadline,
        documents_until=documents_until,
    )
    lot.refresh_from_db()
    for announcement in Announcement.objects.filter(project=lot.project_id):
        assert announcement.published_at is not None  # published by the service just now
        data = {
            **tender_announcement_data(project, [lot], at=announced_at),
            "published_at": announced_at.isoformat(),
            "title": announcement.title,
        }
        Announcement.objects.filter(pk=announcement.pk).update(published_at=announced_at, data=data)
    ProcurementIntention.objects.filter(plans__project=lot.project_id).update(
        expected_month=timezone.localtime(announced_at).date().replace(day=1)
    )
    Clock.objects.filter(subject_id=lot.pk, kind=BID_DEADLINE_CLOCK).update(started=announced_at)
    Clock.objects.filter(subject_id=lot.pk, kind=DOCUMENTS_PROVISION_CLOCK).update(
        started=announced_at, due=documents_until
    )
    # The bidders took the documents the day after the announcement.
    DocumentDownload.objects.filter(project_id=lot.project_id).update(
        downloaded_at=announced_at + dt.timedelta(days=1)
    )


def _letter(organisation, lot: Lot) -> list[dict]:
    """The SME letter as the bid form prefills it: the supplier's own line, from its profile."""
    line = prefill(organisation=organisation, profile=supplier_profile(organisation), item=lot.name)
    if not line:
        return []
    # The goods are made by a second, small manufacturer too: a letter of two lines.
    return [
        line,
        {
            "item": f"{lot.name}配套软件",
            "manufacturer": "平顶山启明软件有限公司",
            "size_class": "small",
            "industry": "software",
            "employees": 46,
            "revenue": "880.00",
            "total_assets": "410.00",
        },
    ]


# The medium supplier bids in a consortium giving its small software maker 35 % of the contract:
# the evaluation report shows the consortium deduction (D46 Art 9 ¶2; the maker is in its letter).
POLICIES = {
    "supplier": PolicyDeclaration(
        arrangement=Arrangement.CONSORTIUM, small_micro_share=Decimal("35.00")
    )
}


def _bid_and_close(ctx, lot: Lot, prices: dict[str, str], *, shared: bool = False) -> list[Bid]:
    """Bids from each supplier, dated before the deadline; then the deadline clock closes it.

    With `shared`, the bidders in SHARED_WITH send a file by another's author from another's
    address, so the opening shows collusion flags.
    """
    numbers = {key: n for n, key in enumerate(prices, start=1)}
    document = lot.project.documents.filter(is_current=True).first()
    assert document is not None  # announced with its documents
    for key in prices:
        services.record_download(document=document, acting_user=ctx.users[key])
    bids = []
    for key, price in prices.items():
        sender = SHARED_WITH.get(key, key) if shared else key
        organisation = ctx.users[key].memberships.first().organisation
        n = numbers[sender]
        bids.append(
            submit_bid(
                lot=lot,
                price=Decimal(price),
                files=[
                    _pdf(author=ctx.users[sender].full_name, title=f"{organisation.name}投标文件")
                ],
                sme_items=_letter(organisation, lot),
                policy=POLICIES.get(key),
                passphrase=PASSPHRASES[key],
                evidence=Evidence(
                    ip_address=f"10.20.0.{n}",
                    device_id=f"demo-device-{numbers[key]}",
                    user_agent="demo",
                ),
                acting_user=ctx.users[key],
            )
        )
    # The deadline is now: the announcement and the bids move into the past before it.
    now = timezone.now().replace(microsecond=0)
    _move_into_the_past(lot, now)
    for key, bid in zip(prices, bids, strict=True):
        Bid.objects.filter(pk=bid.pk).update(received_at=now - RECEIVED_BEFORE_DEADLINE[key])
    # The deadline clock falls due and runs its action (close_lot), as the sweep would: the
    # lot closes and the opening starts (lot_closed signal).
    responsible = lot.project.agency or lot.project.purchaser
    clock = start_clock(subject=lot, kind=BID_DEADLINE_CLOCK, due=now, responsible=responsible)
    run_due_action(clock_id=clock.pk, now=now)
    for bid in bids:
        bid.refresh_from_db()
    return bids


QUALIFICATIONS = [
    # (supplier, name, number, issued by, valid for days from today: None = no end); a business
    # licence's number is the enterprise's unified social credit code (None: the code).
    ("supplier", "营业执照", None, "平顶山市市场监督管理局", None),
    ("supplier", "ISO 9001 质量管理体系认证证书", "00124Q3562R1M", "中国质量认证中心", 1200),
    ("supplier2", "营业执照", None, "平顶山市市场监督管理局", None),
    # About to expire: the bid form and the supplier's home warn before it lapses.
    ("supplier2", "信息系统集成服务资质证书", "XZ3410020231387", "中国电子信息行业联合会", 20),
]


def _qualifications(ctx) -> int:
    added = 0
    today = timezone.localdate()
    for key, name, number, issuer, days in QUALIFICATIONS:
        user = ctx.users[key]
        organisation: Organisation = user.memberships.first().organisation
        if Qualification.objects.filter(organisation=organisation, name=name).exists():
            continue
        add_qualification(
            organisation=organisation,
            name=name,
            number=number or organisation.uscc,
            issued_by=issuer,
            expires_on=None if days is None else today + dt.timedelta(days=days),
            upload=_pdf(author=issuer, title=f"{organisation.name}{name}"),
            acting_user=user,
        )
        added += 1
    return added


def run(ctx: DemoContext) -> None:
    in_progress = _lot(
        ctx, "市第三中学实验室设备采购项目", "理化生实验室设备", "450000.00", window=240
    )
    if in_progress is not None:
        bids = _bid_and_close(ctx, in_progress, PRICES["进行中"])
        decrypt_bid(
            bid=bids[0], passphrase=PASSPHRASES["supplier"], acting_user=ctx.users["supplier"]
        )
        ctx.say(
            f"bidding: lot {in_progress.pk} opening in progress (4-hour window); supplier has "
            "decrypted, supplier2 and supplier3 can decrypt with their demo passphrases"
        )
    opened = _lot(ctx, "市图书馆自助借还设备采购项目", "自助借还设备", "1300000.00", window=30)
    if opened is not None:
        bids = _bid_and_close(ctx, opened, PRICES["已开标"], shared=True)
        for key, bid in zip(PASSPHRASES, bids, strict=True):
            decrypt_bid(bid=bid, passphrase=PASSPHRASES[key], acting_user=ctx.users[key])
        opening = opened.opening
        render_opening_record_pdf(opening_id=opening.pk)
        ctx.say(
            f"bidding: lot {opened.pk} opened, record published; supplier2 and supplier3 flagged "
            "(same document author, same IP address)"
        )
    for lot in (in_progress, opened):
        if lot is None:  # the scenario existed already (a notice without a project is not its)
            continue
        for announcement in Announcement.objects.filter(project=lot.project_id):
            if announcement.pdf_id is None:
                services.render_announcement_pdf(announcement_id=announcement.pk)
    added = _qualifications(ctx)
    if added:
        ctx.say(f"bidding: {added} supplier qualifications added (one expiring within 30 days)")
    ctx.say(
        f"bidding: {Bid.objects.filter(state=BidState.DECRYPTED).count()} decrypted bids, "
        f"{Bid.objects.filter(state=BidState.SUBMITTED).count()} sealed"
    )
